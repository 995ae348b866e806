import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

/** Retries through the real CLI (issue 8, SPEC §7 Retries): flags, `# @retry`, 429 + Retry-After. */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Row {
  name: string;
  outcome: string;
  status: number | null;
  attempts: number;
  error: string | null;
}

function requestsOf(root: string): Row[] {
  return JSON.parse(readFileSync(join(root, 'run.json'), 'utf8')).files.flatMap((f: { requests: Row[] }) => f.requests);
}

/** Answers each path with the given statuses in turn (the last one from then on), recording when. */
async function flaky(plan: Record<string, (number | 'drop')[]>, headers: Record<string, Record<string, string>> = {}) {
  await server?.close();
  const seen = new Map<string, number[]>();
  const started = performance.now();
  server = await serve((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    const times = seen.get(path) ?? [];
    times.push(performance.now() - started);
    seen.set(path, times);
    const steps = plan[path] ?? [200];
    const step = steps[Math.min(times.length, steps.length) - 1]!;
    if (step === 'drop') {
      response.socket?.destroy();
      return;
    }
    json(response, step, { try: times.length }, step === 200 ? {} : (headers[path] ?? {}));
  });
  return { url: server.url, times: (path: string) => seen.get(path) ?? [] };
}

describe('retries', () => {
  test('--retry 2 --retry-interval 50ms: fails twice, then passes on the third attempt', async () => {
    const s = await flaky({ '/flaky': [500, 503, 200] });
    const root = project({ 'a.http': `### flaky\nGET ${s.url}/flaky\n\n?? status == 200\n` });
    const { code, stdout } = await runCli(['a.http', '--retry', '2', '--retry-interval', '50ms', '--report-json', 'run.json'], { cwd: root });
    expect(code).toBe(0);
    expect(requestsOf(root)).toMatchObject([{ name: 'flaky', outcome: 'passed', status: 200, attempts: 3 }]);
    const times = s.times('/flaky');
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(45);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(45);
    expect(stdout).toMatch(/✓ passed\s+flaky .*3 attempts/);
  }, 60_000);

  test('without retries the same server fails the request after one attempt; too few retries still fail', async () => {
    const s = await flaky({ '/flaky': [500, 500, 200] });
    const root = project({ 'a.http': `### flaky\nGET ${s.url}/flaky\n\n?? status == 200\n` });
    expect((await runCli(['a.http', '--report-json', 'run.json'], { cwd: root })).code).toBe(1);
    expect(requestsOf(root)).toMatchObject([{ outcome: 'failed', status: 500, attempts: 1 }]);
    // A fresh server answering 500, 500, 200: one retry is not enough.
    const again = await flaky({ '/flaky': [500, 500, 200] });
    const root2 = project({ 'a.http': `### flaky\nGET ${again.url}/flaky\n\n?? status == 200\n` });
    expect((await runCli(['a.http', '--retry', '1', '--retry-interval', '10ms', '--report-json', 'run.json'], { cwd: root2 })).code).toBe(1);
    expect(requestsOf(root2)).toMatchObject([{ outcome: 'failed', status: 500, attempts: 2 }]);
  }, 60_000);

  test('# @retry 1 applies to its own request only', async () => {
    const s = await flaky({ '/with': [500, 200], '/without': [500, 200] });
    const root = project({
      'a.http':
        `### with\n# @retry 1 50ms\nGET ${s.url}/with\n\n?? status == 200\n\n` +
        `### without\nGET ${s.url}/without\n\n?? status == 200\n`,
    });
    const { code } = await runCli(['a.http', '--report-json', 'run.json'], { cwd: root });
    expect(code).toBe(1);
    expect(requestsOf(root)).toMatchObject([
      { name: 'with', outcome: 'passed', attempts: 2 },
      { name: 'without', outcome: 'failed', status: 500, attempts: 1 },
    ]);
  }, 60_000);

  test('a dropped connection is retried like a 5xx', async () => {
    const s = await flaky({ '/drop': ['drop', 200] });
    const root = project({ 'a.http': `### drop\nGET ${s.url}/drop\n\n?? status == 200\n` });
    const { code } = await runCli(['a.http', '--retry', '1', '--retry-interval', '10ms', '--report-json', 'run.json'], { cwd: root });
    expect(code).toBe(0);
    expect(requestsOf(root)).toMatchObject([{ outcome: 'passed', attempts: 2 }]);
  }, 60_000);

  test('429 with Retry-After waits as long as the server asks, not the shorter interval', async () => {
    const s = await flaky({ '/limited': [429, 200] }, { '/limited': { 'retry-after': '1' } });
    const root = project({ 'a.http': `### limited\nGET ${s.url}/limited\n\n?? status == 200\n` });
    const { code } = await runCli(['a.http', '--retry', '1', '--retry-interval', '10ms', '--report-json', 'run.json'], { cwd: root });
    expect(code).toBe(0);
    expect(requestsOf(root)).toMatchObject([{ outcome: 'passed', status: 200, attempts: 2 }]);
    const [first, second] = s.times('/limited');
    expect(second! - first!).toBeGreaterThanOrEqual(950);
  }, 60_000);
});
