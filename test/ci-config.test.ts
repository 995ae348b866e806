import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

/** httprun.yaml `defaults:` for the CI runner (issue 8): jobs, reports, retry, timeout; flags override them. */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** /slow answers after 1.5 s; /flaky answers 500 on its first try; every answer waits 150 ms. */
async function configServer() {
  let active = 0;
  let maxActive = 0;
  const tries = new Map<string, number>();
  server = await serve(async (request, response) => {
    active++;
    maxActive = Math.max(maxActive, active);
    const path = new URL(request.url, 'http://x').pathname;
    const count = (tries.get(path) ?? 0) + 1;
    tries.set(path, count);
    await new Promise((done) => setTimeout(done, path === '/slow' ? 1_500 : 150));
    active--;
    json(response, path === '/flaky' && count === 1 ? 500 : 200, {});
  });
  return {
    url: server.url,
    maxActive: () => maxActive,
    reset: () => {
      maxActive = 0;
      tries.clear();
    },
  };
}

const YAML = `defaults:
  jobs: 1
  retry: 1
  retryInterval: 20ms
  timeout: 500ms
  reports:
    json: reports/run.json
    junit: reports/junit.xml
    tap: reports/run.tap
    html: reports/run.html
`;

function files(url: string): Record<string, string> {
  return {
    'httprun.yaml': YAML,
    'a.http': `### a\nGET ${url}/a\n\n?? status == 200\n`,
    'b.http': `### b\nGET ${url}/b\n\n?? status == 200\n`,
    'c.http': `### c\nGET ${url}/c\n\n?? status == 200\n`,
    'flaky.http': `### flaky\nGET ${url}/flaky\n\n?? status == 200\n`,
    'slow.http': `### slow\nGET ${url}/slow\n\n?? status == 200\n`,
  };
}

function readJson(root: string, path: string) {
  return JSON.parse(readFileSync(join(root, path), 'utf8'));
}

describe('httprun.yaml defaults', () => {
  test('defaults.jobs is applied; --jobs overrides it', async () => {
    const s = await configServer();
    const root = project(files(s.url));
    expect((await runCli(['a.http', 'b.http', 'c.http'], { cwd: root })).code).toBe(0);
    expect(s.maxActive()).toBe(1);
    s.reset();
    expect((await runCli(['a.http', 'b.http', 'c.http', '--jobs', '3'], { cwd: root })).code).toBe(0);
    expect(s.maxActive()).toBeGreaterThan(1);
  }, 90_000);

  test('without --jobs or defaults.jobs, files run as many at a time as there are CPUs', async () => {
    const s = await configServer();
    const root = project({ ...files(s.url), 'httprun.yaml': 'defaults:\n  retry: 0\n' });
    expect((await runCli(['a.http', 'b.http', 'c.http', 'flaky.http', '--retry', '1'], { cwd: root })).code).toBe(0);
    const cpus = availableParallelism();
    expect(s.maxActive()).toBeLessThanOrEqual(cpus);
    if (cpus > 1) expect(s.maxActive()).toBeGreaterThan(1);
  }, 90_000);

  test('defaults.reports are all written; a --report flag moves only its own report', async () => {
    const s = await configServer();
    const root = project(files(s.url));
    expect((await runCli(['a.http'], { cwd: root })).code).toBe(0);
    expect(readJson(root, 'reports/run.json').files.map((f: { file: string }) => f.file)).toEqual(['a.http']);
    expect(readFileSync(join(root, 'reports/junit.xml'), 'utf8')).toContain('<testcase name="a.http › a"');
    expect(readFileSync(join(root, 'reports/run.tap'), 'utf8')).toContain('ok 1 - a.http › a\n');
    expect(readFileSync(join(root, 'reports/run.html'), 'utf8')).toContain('a.http');

    const moved = await runCli(['b.http', '--report-json', 'elsewhere/b.json'], { cwd: root });
    expect(moved.code).toBe(0);
    expect(readJson(root, 'elsewhere/b.json').files[0].file).toBe('b.http');
    // The JSON report at the configured path is the earlier run's; the others were rewritten.
    expect(readJson(root, 'reports/run.json').files[0].file).toBe('a.http');
    expect(readFileSync(join(root, 'reports/junit.xml'), 'utf8')).toContain('<testcase name="b.http › b"');
    expect(existsSync(join(root, 'elsewhere/junit.xml'))).toBe(false);
  }, 90_000);

  test('defaults.retry and retryInterval are applied; --retry 0 overrides them', async () => {
    const s = await configServer();
    const root = project(files(s.url));
    expect((await runCli(['flaky.http'], { cwd: root })).code).toBe(0);
    expect(readJson(root, 'reports/run.json').files[0].requests[0]).toMatchObject({ outcome: 'passed', attempts: 2 });
    s.reset();
    expect((await runCli(['flaky.http', '--retry', '0'], { cwd: root })).code).toBe(1);
    expect(readJson(root, 'reports/run.json').files[0].requests[0]).toMatchObject({ outcome: 'failed', status: 500, attempts: 1 });
  }, 90_000);

  test('defaults.timeout is applied; --timeout overrides it', async () => {
    const s = await configServer();
    const root = project(files(s.url));
    const timedOut = await runCli(['slow.http', '--retry', '0'], { cwd: root });
    expect(timedOut.code).toBe(3);
    const request = readJson(root, 'reports/run.json').files[0].requests[0];
    expect(request).toMatchObject({ outcome: 'errored', attempts: 1 });
    expect(request.error).toBe('timed out after 500 ms');
    s.reset();
    expect((await runCli(['slow.http', '--retry', '0', '--timeout', '10s'], { cwd: root })).code).toBe(0);
    expect(readJson(root, 'reports/run.json').files[0].requests[0]).toMatchObject({ outcome: 'passed', status: 200 });
  }, 90_000);
});
