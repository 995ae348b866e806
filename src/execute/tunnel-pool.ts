import type { Dispatcher } from 'undici';
import { Pool } from './undici-parts.js';

/** The proxy hung up on CONNECT: a final answer, unlike the socket error undici would see. */
export class ProxyClosedError extends Error {
  readonly code = 'HTTPRUN_PROXY_CLOSED';

  constructor(
    /** The proxy as host:port. */
    readonly proxy: string,
    /** The tunnel's target as host:port. */
    readonly target: string,
  ) {
    super(`the proxy ${proxy} closed the connection instead of opening a tunnel to ${target}`);
    this.name = 'ProxyClosedError';
  }
}

/**
 * The ProxyAgent's pool to the proxy. undici treats "other side closed" on a CONNECT as a recoverable
 * socket error and reconnects at once, hundreds of times a second until the run's timer fires; rethrown
 * under our own code, the same failure ends the request on the first close.
 */
export function tunnelPool(proxyUrl: URL, factoryOptions: object): Dispatcher {
  const pool = new Pool(proxyUrl, factoryOptions);
  const connect = pool.connect.bind(pool) as (options: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>;
  const proxy = `${proxyUrl.hostname}:${proxyUrl.port || (proxyUrl.protocol === 'https:' ? 443 : 80)}`;
  const tunnel = async (options: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> => {
    try {
      return await connect(options);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'UND_ERR_SOCKET') throw new ProxyClosedError(proxy, options.path);
      throw error;
    }
  };
  return Object.assign(pool, { connect: tunnel });
}
