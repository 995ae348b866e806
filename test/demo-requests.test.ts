import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { run } from '../src/index.js';
import { demoSecrets, startDemoServer, type DemoServer } from '../src/demo/server.js';

// requests/ is what `httprun demo` runs: keep it and the demo API in step.
const REQUESTS = resolve(import.meta.dirname, '../requests');

let server: DemoServer;
beforeEach(async () => {
  server = await startDemoServer();
});
afterEach(() => server.close());

test('every request in requests/ passes against the demo API, with its secrets masked', async () => {
  const result = await run([REQUESTS], { vars: { baseUrl: server.url }, processEnv: { ...demoSecrets } });

  expect(result.files.map((file) => file.file.replace(/\\/g, '/').split('/').pop()).sort()).toEqual([
    'microblog.http',
    'pixela.http',
    'posts.http',
  ]);
  const requests = result.files.flatMap((file) => file.requests);
  expect(requests.filter((request) => request.outcome !== 'passed')).toEqual([]);
  for (const request of requests) expect(request.assertions.length, request.name).toBeGreaterThan(0);
  expect(result.summary.exitCode).toBe(0);

  const report = JSON.stringify(result);
  const basic = Buffer.from(`demo:${demoSecrets['MICROBLOG_PASSWORD']}`).toString('base64');
  for (const secret of [...Object.values(demoSecrets), basic]) expect(report).not.toContain(secret);
}, 30_000);

test('the suite is not vacuous: a wrong bearer token fails the posts requests', async () => {
  const result = await run([resolve(REQUESTS, 'posts.http')], {
    vars: { baseUrl: server.url },
    processEnv: { ...demoSecrets, POSTS_TOKEN: 'wrong-token' },
  });

  const failed = result.files[0]!.requests.filter((request) => request.outcome === 'failed');
  expect(failed.map((request) => request.name)).toContain('createPost');
  expect(result.summary.exitCode).toBe(1);
}, 30_000);

test('the files clean up after themselves: a second run on the same server passes too', async () => {
  const options = { vars: { baseUrl: server.url }, processEnv: { ...demoSecrets } };
  expect((await run([REQUESTS], options)).summary.exitCode).toBe(0);
  expect((await run([REQUESTS], options)).summary.exitCode).toBe(0);
}, 30_000);
