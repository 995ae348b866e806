import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { project } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';
import { startWatch, type WatchProcess } from './helpers/watch-process.js';

let server: TestServer | undefined;
let watcher: WatchProcess | undefined;
afterEach(async () => {
  await watcher?.stop('SIGKILL');
  await server?.close();
});

/**
 * The benchmark of issue 9: from a file write to the finished result line of a one-request file
 * against a local server (target: under 150 ms). The number is printed; the bound asserted here is
 * loose, because CI machines are shared and slow, but a regression to a fixed delay (a debounce of
 * hundreds of milliseconds, a polling watcher) still fails it.
 */
test('a saved file shows its finished result quickly (write → summary line)', async () => {
  server = await serve((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  const file = (n: number) => `GET ${server!.url}/ping?n=${n}\n\n?? status == 200\n?? body $.ok == true\n`;
  const root = project({ 'ping.http': file(0) });
  watcher = startWatch([], { cwd: root });
  await watcher.waitFor(/watching .* — Ctrl-C to stop\n/);

  const latencies: number[] = [];
  for (let n = 1; n <= 12; n++) {
    // Apart by more than chokidar's 50 ms change throttle, as saves by a person are.
    await new Promise((resolve) => setTimeout(resolve, 120));
    const written = performance.now();
    writeFileSync(join(root, 'ping.http'), file(n));
    const run = await watcher.nextRun();
    expect(run.text).toContain(`/ping?n=${n}`);
    expect(run.summary).toMatch(/^1 request: 1 passed/);
    latencies.push(run.at - written);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const worst = sorted.at(-1)!;
  console.log(`watch latency, write → result (12 saves): median ${median.toFixed(0)} ms, best ${sorted[0]!.toFixed(0)} ms, worst ${worst.toFixed(0)} ms`);
  expect(median).toBeLessThan(750);
  expect(server.requests).toHaveLength(13);
});

test('two saves 20 ms apart run the second content, although chokidar reports only the first', async () => {
  server = await serve((_request, response) => response.writeHead(200).end('ok'));
  const root = project({ 'twice.http': `GET ${server.url}/v0\n` });
  watcher = startWatch([], { cwd: root });
  await watcher.waitFor(/watching .* — Ctrl-C to stop\n/);

  writeFileSync(join(root, 'twice.http'), `GET ${server.url}/v1\n`);
  await new Promise((resolve) => setTimeout(resolve, 20));
  writeFileSync(join(root, 'twice.http'), `GET ${server.url}/v2-longer\n`);

  // Whether the first save ran on its own depends on timing; the last run must have read the second.
  let last = await watcher.nextRun();
  while (!last.text.includes('/v2-longer')) last = await watcher.nextRun();
  expect(server.requests.at(-1)?.url).toBe('/v2-longer');
});
