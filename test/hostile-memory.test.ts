import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, runCleanups } from './fixtures/execute/harness.js';
import { CLI, project } from './helpers/cli.js';

/**
 * Multi-gigabyte bodies (issue 11): one that nothing reads costs no memory (drained, never stored),
 * one that an assertion reads stops at the body limit (64 MiB by default). Measured on the real CLI
 * child: its peak resident set (VmHWM in /proc/<pid>/status) must stay under 300 MB.
 */

afterEach(runCleanups);

const GiB = 1024 ** 3;
const chunk = Buffer.alloc(1024 * 1024, 'x');

/** Streams `size` bytes lazily, a reused 1 MiB chunk at a time, as fast as the client reads. */
function stream(response: ServerResponse, size: number, headers: Record<string, string | number>): void {
  response.writeHead(200, headers);
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const part = size - sent >= chunk.length ? chunk : chunk.subarray(0, size - sent);
      sent += part.length;
      if (!response.write(part)) return void response.once('drain', pump);
    }
    response.end();
  };
  response.on('close', () => (sent = size));
  pump();
}

function peakRss(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs the built CLI and samples the child's peak RSS until it exits (VmHWM only grows). */
function runMeasured(
  args: string[],
  cwd: string,
  onSpawn: (pid: number) => void,
): Promise<{ code: number | null; stdout: string; stderr: string; peak: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '' } });
    onSpawn(child.pid!);
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid!))), 25);
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(sampler);
      clearTimeout(killer);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, peak }));
  });
}

describe.skipIf(!existsSync('/proc/self/status'))('multi-gigabyte bodies through the CLI', () => {
  test('2 GiB nothing reads is drained in bounded memory; 2 GiB an assertion reads errors at the 64 MiB default limit', async () => {
    let peakSeenByServer = 0;
    let cliPid = 0;
    const server = createServer((request, response) => {
      if (request.url === '/big') stream(response, 2 * GiB, { 'content-length': 2 * GiB, 'content-type': 'text/plain' });
      else if (request.url === '/big-chunked') stream(response, 2 * GiB, { 'content-type': 'application/json' });
      else {
        // Asked right after the big body: the child is alive, so its peak so far can be read exactly.
        peakSeenByServer = Math.max(peakSeenByServer, peakRss(cliPid));
        response.end('ok');
      }
    });
    const base = `http://127.0.0.1:${await listen(server)}`;
    const cwd = project({
      'a-unread.http': `### huge, unread\nGET ${base}/big\n\n?? status == 200\n?? header content-type == text/plain\n\n### after\nGET ${base}/ok\n\n?? body == ok\n`,
      'b-read.http': `### huge, read\nGET ${base}/big-chunked\n\n?? body $.id == 1\n\n### after\nGET ${base}/ok\n`,
      'c-announced.http': `### huge, read, Content-Length says so\nGET ${base}/big\n\n?? body contains y\n`,
    });
    const started = performance.now();
    const cli = await runMeasured(['run', '--timeout', '90s', '--jobs', '1', '--report-json', 'report.json'], cwd, (pid) => (cliPid = pid));
    const elapsed = performance.now() - started;

    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(3);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as {
      files: { requests: { outcome: string; error: string | null; status: number | null }[] }[];
    };
    expect(report.files.map((file) => file.requests.map((r) => [r.outcome, r.status, r.error]))).toEqual([
      [['passed', 200, null], ['passed', 200, null]],
      [['errored', 200, 'response body is larger than the limit of 64 MiB after decoding (raise it with --max-body)'], ['passed', 200, null]],
      [['errored', 200, 'response body is larger than the limit of 64 MiB after decoding (raise it with --max-body)']],
    ]);
    const peak = Math.max(cli.peak, peakSeenByServer);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(300 * 1024 * 1024);
    expect(elapsed).toBeLessThan(110_000);
  });

  test('--verbose and --report-html show a preview of 2 GiB nothing reads: still drained, passed, bounded memory', async () => {
    const server = createServer((request, response) => {
      if (request.url === '/big') stream(response, 2 * GiB, { 'content-length': 2 * GiB, 'content-type': 'text/plain' });
      else response.end('ok');
    });
    const base = `http://127.0.0.1:${await listen(server)}`;
    const cwd = project({ 'unread.http': `### huge, unread\nGET ${base}/big\n\n?? status == 200\n` });
    const cli = await runMeasured(['run', '--timeout', '90s', '--verbose', '--report-html', 'report.html', '--report-json', 'report.json'], cwd, () => {});

    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    expect(cli.stdout).toContain('xxxxxxxxxxxxxxxx');
    expect(cli.stdout).toContain('(more bytes not shown)');
    expect(readFileSync(join(cwd, 'report.html'), 'utf8')).toContain('more bytes not shown');
    expect(cli.peak).toBeGreaterThan(0);
    expect(cli.peak).toBeLessThan(300 * 1024 * 1024);
  });
});

