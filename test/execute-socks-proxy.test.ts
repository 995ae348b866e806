import { afterEach, describe, expect, test } from 'vitest';
import { sendRequest } from '../src/execute/send-request.js';
import { client, runCleanups, sendOptions, serve, socksProxy } from './fixtures/execute/harness.js';

// A SOCKS5 proxy (httprun.yaml `proxy: socks5://…`, or HTTP(S)_PROXY): the request goes through it.

afterEach(runCleanups);

const get = (url: string) => ({ method: 'GET', url, headers: [] as [string, string][], body: null, httpVersion: null });

describe('through a SOCKS5 proxy', () => {
  test('the client sends through the proxy with no TLS to it (undici reads a proxyTls as "TLS to the proxy")', async () => {
    const target = await serve((_request, response) => response.end('proxied'));
    const socks = await socksProxy();
    const result = await sendRequest(get(`${target}/`), sendOptions({ timeoutMs: 5000 }), client({ proxy: socks.url }));
    expect('error' in result ? result.error.message : result.exchange.response.body?.toString()).toBe('proxied');
    expect(socks.tunnels).toHaveLength(1);
  });
});
