import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

/**
 * `--bail` through the real CLI (issue 8): the run stops at the first failure, requests in flight are
 * cancelled, every report is still written, and what did not run is `skipped` with the reason.
 * Files not yet started when the run bails are still listed, each request `skipped`
 * ("cancelled by --bail"), so the reports show the whole suite and what it did not cover.
 */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const REPORTS = ['--report-json', 'out/run.json', '--report-junit', 'out/junit.xml', '--report-tap', 'out/run.tap', '--report-html', 'out/run.html'];

function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

describe('--bail', () => {
  test('stops at the first failure: later requests and files are skipped, and every report is written', async () => {
    server = await serve((request, response) => json(response, request.url.startsWith('/b/fail') ? 500 : 200, {}));
    const host = `@host = ${server.url}\n\n`;
    const root = project({
      'a.http': `${host}### a ok\nGET {{host}}/a/ok\n\n?? status == 200\n`,
      'b.http':
        `${host}### b fails\nGET {{host}}/b/fail\n\n?? status == 200\n\n` +
        `### b after\nGET {{host}}/b/after\n\n?? status == 200\n`,
      'c.http': `${host}### c one\nGET {{host}}/c/one\n\n### c two\nGET {{host}}/c/two\n`,
    });
    const { code, stdout, stderr } = await runCli(['a.http', 'b.http', 'c.http', '--jobs', '1', '--bail', ...REPORTS], { cwd: root });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(server.requests.map((r) => r.url)).toEqual(['/a/ok', '/b/fail']);

    const report = JSON.parse(read(root, 'out/run.json'));
    const rows = report.files.flatMap((f: { file: string; requests: { name: string; outcome: string; error: string | null }[] }) =>
      f.requests.map((r) => [f.file, r.name, r.outcome, r.outcome === 'skipped' ? r.error : null]),
    );
    expect(rows).toEqual([
      ['a.http', 'a ok', 'passed', null],
      ['b.http', 'b fails', 'failed', null],
      ['b.http', 'b after', 'skipped', 'cancelled by --bail'],
      ['c.http', 'c one', 'skipped', 'cancelled by --bail'],
      ['c.http', 'c two', 'skipped', 'cancelled by --bail'],
    ]);
    expect(report.summary).toMatchObject({ files: 3, requests: 5, passed: 1, failed: 1, errored: 0, skipped: 3, exitCode: 1 });

    expect(stdout).toMatch(/- skipped\s+b after .*\(cancelled by --bail\)/);
    expect(stdout).toMatch(/- skipped\s+c two .*\(cancelled by --bail\)/);

    const junit = read(root, 'out/junit.xml');
    expect(junit).toMatch(/<testcase name="b\.http › b fails"[^>]*>\s*<failure /);
    expect(junit).toMatch(/<testcase name="c\.http › c two"[^>]*>\s*<skipped message="cancelled by --bail"\/>/);
    const tap = read(root, 'out/run.tap');
    expect(tap).toContain('1..5\n');
    expect(tap).toContain('not ok 2 - b.http › b fails\n');
    expect(tap).toContain('ok 5 - c.http › c two # SKIP cancelled by --bail\n');
    const html = read(root, 'out/run.html');
    expect(html).toContain('b.http › b fails');
    expect(html).toContain('cancelled by --bail');
  }, 90_000);

  test('cancels requests in flight in other files, and the run ends without waiting for them', async () => {
    let hungClosed = false;
    const hung: ServerResponse[] = [];
    server = await serve(async (request, response) => {
      if (request.url === '/hang') {
        // Never answers; records when the client gives up on the connection.
        response.on('close', () => (hungClosed = true));
        hung.push(response);
        return;
      }
      await new Promise((done) => setTimeout(done, 300));
      json(response, 500, { error: 'down' });
    });
    const host = `@host = ${server.url}\n\n`;
    const root = project({
      '1-hang.http': `${host}### waits forever\nGET {{host}}/hang\n\n?? status == 200\n`,
      '2-fail.http': `${host}### fails\nGET {{host}}/fail\n\n?? status == 200\n`,
      '3-later.http': `${host}### never started\nGET {{host}}/later\n`,
    });
    const started = performance.now();
    const { code } = await runCli(['1-hang.http', '2-fail.http', '3-later.http', '--jobs', '2', '--bail', '--timeout', '60s', ...REPORTS], {
      cwd: root,
    });
    const elapsed = performance.now() - started;
    expect(code).toBe(1);
    expect(elapsed).toBeLessThan(20_000);
    expect(hungClosed).toBe(true);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/fail', '/hang']);

    const report = JSON.parse(read(root, 'out/run.json'));
    expect(report.files.map((f: { file: string }) => f.file)).toEqual(['1-hang.http', '2-fail.http', '3-later.http']);
    expect(report.files[0].requests[0]).toMatchObject({ name: 'waits forever', outcome: 'skipped', error: 'cancelled by --bail', status: null });
    expect(report.files[1].requests[0]).toMatchObject({ name: 'fails', outcome: 'failed', status: 500 });
    expect(report.files[2].requests[0]).toMatchObject({ name: 'never started', outcome: 'skipped', error: 'cancelled by --bail' });
    expect(report.summary).toMatchObject({ requests: 3, passed: 0, failed: 1, errored: 0, skipped: 2, exitCode: 1 });
    expect(read(root, 'out/run.tap')).toContain('ok 1 - 1-hang.http › waits forever # SKIP cancelled by --bail\n');
    for (const response of hung) response.destroy();
  }, 90_000);

  test('a file that does not parse stops the run too; files after it are listed with their requests skipped', async () => {
    server = await serve((_request, response) => json(response, 200, {}));
    const host = `@host = ${server.url}\n\n`;
    const root = project({
      'a.http': `${host}### a ok\nGET {{host}}/a\n`,
      'b.http': `${host}### b broken\nGET {{host}}/b\nnot a header\n`,
      'c.http': `${host}### c one\nGET {{host}}/c\n`,
    });
    const { code } = await runCli(['a.http', 'b.http', 'c.http', '--jobs', '1', '--bail', '--report-json', 'out/run.json'], { cwd: root });
    expect(code).toBe(2);
    expect(server.requests.map((r) => r.url)).toEqual(['/a']);
    const report = JSON.parse(read(root, 'out/run.json'));
    expect(report.files[1]).toMatchObject({ file: 'b.http', requests: [] });
    expect(report.files[1].error).toMatch(/^b\.http:5:1: /);
    expect(report.files[2].requests).toMatchObject([{ name: 'c one', outcome: 'skipped', error: 'cancelled by --bail' }]);
  }, 90_000);

  test('without --bail the same suite runs to the end', async () => {
    server = await serve((request, response) => json(response, request.url.startsWith('/b/fail') ? 500 : 200, {}));
    const host = `@host = ${server.url}\n\n`;
    const root = project({
      'b.http': `${host}### b fails\nGET {{host}}/b/fail\n\n?? status == 200\n\n### b after\nGET {{host}}/b/after\n`,
      'c.http': `${host}### c one\nGET {{host}}/c/one\n`,
    });
    const { code } = await runCli(['b.http', 'c.http', '--jobs', '1'], { cwd: root });
    expect(code).toBe(1);
    expect(server.requests.map((r) => r.url)).toEqual(['/b/fail', '/b/after', '/c/one']);
  }, 90_000);
});
