// JetBrains' `HTTP/2 (Prior Knowledge)`: HTTP/2 from the first byte, here over plain http (h2c),
// against a real node:http2 server on 127.0.0.1 that speaks nothing else.
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { run } from '../src/index.js';
import { project } from './helpers/cli.js';

let server: Http2Server;
let origin: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.httpVersion} ${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: request.httpVersion }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('HTTP/2 (Prior Knowledge) on an http URL speaks HTTP/2 from the first byte (h2c)', async () => {
  const root = project({
    'a.http': `GET {{origin}}/one HTTP/2 (Prior Knowledge)\n\n?? status == 200\n?? version == 2\n?? body $.version == 2.0\n\n###\nPOST {{origin}}/two HTTP/2 (Prior Knowledge)\nContent-Type: text/plain\n\nhello\n`,
  });
  const before = seen.length;
  const result = await run([join(root, 'a.http')], { cwd: root, vars: { origin }, reporters: [] });
  expect(result.summary.exitCode).toBe(0);
  expect(seen.slice(before)).toEqual(['2.0 GET /one', '2.0 POST /two']);
  expect(result.summary.assertions).toEqual({ passed: 3, failed: 0 });
});

test('without Prior Knowledge an http URL is HTTP/1.1, which an h2c-only server refuses: an errored request, not a crash', async () => {
  const root = project({ 'a.http': `GET {{origin}}/three\n` });
  const result = await run([join(root, 'a.http')], { cwd: root, vars: { origin }, reporters: [], timeout: 2000 });
  expect(result.files[0]!.requests[0]!.outcome).toBe('errored');
  expect(result.summary.exitCode).toBe(3);
});
