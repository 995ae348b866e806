import { once } from 'node:events';
import { afterEach, expect, test } from 'vitest';
import { sendRequest, type SendResult, type SendSuccess } from '../src/execute/send-request.js';
import { client, connectProxy, runCleanups, sendOptions, serve } from './fixtures/execute/harness.js';

afterEach(runCleanups);

function ok(result: SendResult): SendSuccess {
  if ('error' in result) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result;
}


const get = (url: string, headers: [string, string][] = []) => ({ method: 'GET', url, headers, body: null, httpVersion: null });

test('HTTP_PROXY from the given env is used, repeated headers survive the proxy agent', async () => {
  const target = await serve((request, response) => response.end(JSON.stringify(request.headers['x-twice'])));
  const { url, tunnels } = await connectProxy();
  const http = client({ env: { HTTP_PROXY: url } });
  const result = ok(await sendRequest(get(`${target}/via`, [['X-Twice', 'a'], ['x-twice', 'b']]), sendOptions(), http));
  expect(result.exchange.response.body?.toString()).toBe('"a, b"');
  expect(tunnels).toEqual([target.slice('http://'.length)]);
});

test('NO_PROXY bypasses the proxy for matching hosts; process.env is never read', async () => {
  const target = await serve((_request, response) => response.end('direct'));
  const { url, tunnels } = await connectProxy();
  process.env.HTTP_PROXY = 'http://127.0.0.1:9';
  try {
    const bypass = client({ env: { http_proxy: url, NO_PROXY: 'example.com, 127.0.0.1' } });
    expect(ok(await sendRequest(get(`${target}/`), sendOptions(), bypass)).exchange.response.body?.toString()).toBe('direct');
    expect(tunnels).toEqual([]);
    const none = client({ env: {} });
    expect(ok(await sendRequest(get(`${target}/`), sendOptions(), none)).exchange.response.body?.toString()).toBe('direct');
  } finally {
    delete process.env.HTTP_PROXY;
  }
});

test('an explicit proxy option wins; an unreachable proxy is a connect error', async () => {
  const target = await serve((_request, response) => response.end('proxied'));
  const { url, tunnels } = await connectProxy();
  expect(ok(await sendRequest(get(`${target}/`), sendOptions(), client({ proxy: url }))).exchange.response.body?.toString()).toBe('proxied');
  expect(tunnels).toHaveLength(1);
  const dead = await sendRequest(get(`${target}/`), sendOptions(), client({ proxy: 'http://127.0.0.1:9' }));
  expect(dead).toMatchObject({ error: { kind: 'connect', message: 'connection refused by the proxy: 127.0.0.1:9' } });
  void once;
});
