import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The parts of undici that httprun sends with, required one by one. undici's index also loads
 * fetch, WebSocket, EventSource, the cache and the mock API, which cost 130–160 ms of every run's
 * start-up against 45–50 ms for these (issue 10, W1). The files are not undici's public API: if a
 * release moves one, the index serves instead, so an upgrade can cost time but never break a run.
 */
const require = createRequire(import.meta.url);

function part<K extends keyof typeof Undici>(name: K, file: string): (typeof Undici)[K] {
  try {
    return require(`undici/lib/${file}`) as (typeof Undici)[K];
  } catch {
    return (require('undici') as typeof Undici)[name];
  }
}

// What undici's index does besides exporting: dispatchers get request/stream/pipeline/connect/upgrade,
// which ProxyAgent and our tunnel pool call (`pool.connect`).
try {
  const dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
  if (!('connect' in dispatcher.prototype)) Object.assign(dispatcher.prototype, require('undici/lib/api/index.js'));
} catch {
  require('undici');
}

export const Agent = part('Agent', 'dispatcher/agent.js');
export const Pool = part('Pool', 'dispatcher/pool.js');
export const ProxyAgent = part('ProxyAgent', 'dispatcher/proxy-agent.js');
export const buildConnector = part('buildConnector', 'core/connect.js');
export const H2CClient = part('H2CClient', 'dispatcher/h2c-client.js');
