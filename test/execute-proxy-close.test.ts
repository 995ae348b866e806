import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { sendRequest } from '../src/execute/send-request.js';
import { client, listen, runCleanups, sendOptions } from './fixtures/execute/harness.js';
import { project, runCli } from './helpers/cli.js';

afterEach(runCleanups);

/** A proxy that hangs up on every CONNECT instead of answering it; counts how often it was asked. */
async function hangUpProxy(): Promise<{ url: string; port: number; connects: () => number }> {
  let connects = 0;
  const server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (_request: IncomingMessage, socket: Socket) => {
    connects++;
    socket.destroy();
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, connects: () => connects };
}

const get = (url: string) => ({ method: 'GET', url, headers: [] as [string, string][], body: null, httpVersion: null });

test('a proxy that closes the connection on CONNECT fails the request at once with the reason, not a timeout', async () => {
  const proxy = await hangUpProxy();
  const started = performance.now();
  const result = await sendRequest(get('https://127.0.0.1:9/x'), sendOptions({ timeoutMs: 3000 }), client({ env: { HTTPS_PROXY: proxy.url } }));
  expect(result).toMatchObject({
    error: { kind: 'connect', message: `the proxy 127.0.0.1:${proxy.port} closed the connection instead of opening a tunnel to 127.0.0.1:9` },
  });
  expect(performance.now() - started).toBeLessThan(1500);
  expect(proxy.connects()).toBeLessThanOrEqual(2);
});

test('the same for a plain http target tunnelled through the proxy', async () => {
  const proxy = await hangUpProxy();
  const result = await sendRequest(get('http://127.0.0.1:9/x'), sendOptions({ timeoutMs: 3000 }), client({ proxy: proxy.url }));
  expect(result).toMatchObject({
    error: { kind: 'connect', message: `the proxy 127.0.0.1:${proxy.port} closed the connection instead of opening a tunnel to 127.0.0.1:9` },
  });
  expect(proxy.connects()).toBeLessThanOrEqual(2);
});

test('through the CLI: the request is errored with that reason and the run exits 3 well before --timeout', async () => {
  const proxy = await hangUpProxy();
  const root = project({ 's.http': 'GET https://127.0.0.1:9/x\n' });
  const started = Date.now();
  const { code, stdout } = await runCli(['s.http', '--timeout', '3s', '--report-json', 'r.json'], { cwd: root, env: { HTTPS_PROXY: proxy.url } });
  const reason = `the proxy 127.0.0.1:${proxy.port} closed the connection instead of opening a tunnel to 127.0.0.1:9`;
  expect(code).toBe(3);
  expect(Date.now() - started).toBeLessThan(2500);
  expect(stdout).toContain(reason);
  const report = JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')) as { files: { requests: { outcome: string; error: string | null }[] }[] };
  expect(report.files[0]!.requests[0]).toMatchObject({ outcome: 'errored', error: reason });
  expect(proxy.connects()).toBeLessThanOrEqual(2);
});
