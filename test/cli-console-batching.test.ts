import { spawn } from 'node:child_process';
import { afterEach, expect, test } from 'vitest';
import { CLI, project } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

test('console lines are batched, yet a finished request is shown while the next one is still waiting', async () => {
  let release: () => void = () => {};
  const slowAnswered = new Promise<void>((resolve) => (release = resolve));
  server = await serve(async (request, response) => {
    if (request.url === '/slow') await slowAnswered;
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  const root = project({ 'a.http': `### fast\nGET ${server.url}/fast\n\n### slow\nGET ${server.url}/slow\n` });
  const child = spawn(process.execPath, [CLI, 'a.http'], { cwd: root, env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const started = Date.now();
  while (!stdout.includes('fast') && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 10));
  // The slow request is still unanswered: the fast one's line did not wait for the end of the run.
  expect(stdout).toMatch(/✓ passed +fast/);
  expect(stdout).not.toContain('slow');
  release();
  expect(await closed).toBe(0);
  expect(stdout).toMatch(/✓ passed +fast[^\n]*\n {2}✓ passed +slow/);
  expect(stdout).toContain('2 requests: 2 passed');
});
