import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CLI, project } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

/**
 * Ctrl-C and SIGTERM during `run` (issue 8): the run stops, writes the reports for what ran, and
 * exits 130 / 143. The signal arrives while a request hangs (the server never answers).
 */

let server: TestServer | undefined;
const hung: ServerResponse[] = [];
afterEach(async () => {
  for (const response of hung.splice(0)) response.destroy();
  await server?.close();
  server = undefined;
});

function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error('timed out waiting for the condition'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

/** Starts the CLI, sends `signal` once it is ready (by default: the hanging request reached the server), and collects the end. */
async function interrupt(signal: NodeJS.Signals, root: string, args: string[], ready: (stdout: string) => boolean = () => hung.length > 0) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: 'true' };
  delete env.GITHUB_ACTIONS;
  const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, killedBy) => resolve({ code, signal: killedBy })),
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    await until(() => ready(stdout));
    const sentAt = performance.now();
    child.kill(signal);
    const end = await closed;
    return { ...end, stdout, stderr, stopMs: performance.now() - sentAt };
  } finally {
    clearTimeout(killer);
  }
}

async function hangingSuite() {
  let hangClosed = false;
  server = await serve((request, response) => {
    if (request.url === '/hang') {
      response.on('close', () => (hangClosed = true));
      hung.push(response);
      return;
    }
    json(response, 200, { ok: true });
  });
  const host = `@host = ${server.url}\n\n`;
  const root = project({
    '1-ok.http': `${host}### ok\nGET {{host}}/ok\n\n?? status == 200\n`,
    '2-hang.http': `${host}### hangs\nGET {{host}}/hang\n\n?? status == 200\n\n### after\nGET {{host}}/after\n`,
    '3-later.http': `${host}### later\nGET {{host}}/later\n`,
  });
  return { root, hangClosed: () => hangClosed };
}

const REPORTS = ['--report-json', 'out/run.json', '--report-junit', 'out/junit.xml', '--report-tap', 'out/run.tap', '--report-html', 'out/run.html'];

describe('signals during run', () => {
  for (const [signal, exitCode] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    test(`${signal} while a request hangs: the run stops, writes every report for what ran, and exits ${exitCode}`, async () => {
      const suite = await hangingSuite();
      const { root } = suite;
      const end = await interrupt(signal, root, ['--jobs', '1', '--timeout', '60s', ...REPORTS]);
      expect(end.signal).toBeNull();
      expect(end.code).toBe(exitCode);
      expect(end.stderr).toBe('');
      expect(end.stopMs).toBeLessThan(15_000);
      expect(suite.hangClosed()).toBe(true);
      expect(server!.requests.map((r) => r.url)).toEqual(['/ok', '/hang']);

      const report = JSON.parse(readFileSync(join(root, 'out/run.json'), 'utf8'));
      const rows = report.files.flatMap((f: { file: string; requests: { name: string; outcome: string; error: string | null }[] }) =>
        f.requests.map((r) => [f.file, r.name, r.outcome, r.error]),
      );
      expect(rows).toEqual([
        ['1-ok.http', 'ok', 'passed', null],
        ['2-hang.http', 'hangs', 'skipped', 'cancelled'],
        ['2-hang.http', 'after', 'skipped', 'cancelled'],
        ['3-later.http', 'later', 'skipped', 'cancelled'],
      ]);
      expect(report.summary).toMatchObject({ requests: 4, passed: 1, skipped: 3 });
      expect(readFileSync(join(root, 'out/run.tap'), 'utf8')).toContain('ok 2 - 2-hang.http › hangs # SKIP cancelled\n');
      expect(readFileSync(join(root, 'out/junit.xml'), 'utf8')).toMatch(/<testcase name="2-hang\.http › hangs"[^>]*>\s*<skipped message="cancelled"\/>/);
      expect(readFileSync(join(root, 'out/run.html'), 'utf8')).toContain('2-hang.http');
      // The console still ends with the summary.
      expect(end.stdout.trimEnd().split('\n').at(-1)).toMatch(/^4 requests: 1 passed, 0 failed, 0 errored, 3 skipped/);
    }, 90_000);
  }
});

describe('signals during watch', () => {
  test('Ctrl-C ends watch with 0 (SPEC §5.1)', async () => {
    server = await serve((_request, response) => json(response, 200, {}));
    const root = project({ 'a.http': `GET ${server.url}/a\n\n?? status == 200\n` });
    const end = await interrupt('SIGINT', root, ['watch', 'a.http'], (stdout) => stdout.includes('watching'));
    expect(end.signal).toBeNull();
    expect(end.code).toBe(0);
    expect(end.stderr).toBe('');
    expect(end.stdout).toContain('1 request: 1 passed');
  }, 90_000);
});
