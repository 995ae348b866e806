import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

// SPEC §5.3 / §7 "Defaults and limits" and the README's flag table, flag by flag, through the real CLI.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** /r3 → /r2 → /r1 → /r0 (200); /fail answers 500; anything else 200 with `hello <path>`. */
async function redirecting(): Promise<TestServer> {
  return serve((request, response) => {
    const hops = /^\/r(\d+)$/.exec(request.url);
    if (hops && Number(hops[1]) > 0) return void response.writeHead(302, { location: `/r${Number(hops[1]) - 1}` }).end();
    response.writeHead(request.url === '/fail' ? 500 : 200, { 'content-type': 'text/plain' }).end(`hello ${request.url}`);
  });
}

function readJson(root: string, name: string) {
  return JSON.parse(readFileSync(join(root, name), 'utf8'));
}

describe('--help and --version', () => {
  test('--help lists every flag of SPEC §5.3 and exits 0; -h and `help` do the same', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--env', '--var', '--name', '--line', '--tag', '--jobs', '--shard', '--bail', '--retry', '--retry-interval', '--timeout',
      '--connection-timeout', '--max-redirects', '--no-redirect', '--max-body', '--insecure', '--cacert', '--http2', '--dry-run',
      '--verbose', '--quiet', '--no-color', '--report-json', '--report-junit', '--report-tap', '--report-html', '--format', '--version',
    ]) {
      expect(help.stdout, flag).toContain(flag);
    }
    expect((await runCli(['-h'])).stdout).toBe(help.stdout);
    expect((await runCli(['help'])).code).toBe(0);
  });

  test('--version prints the package version and exits 0, also with -V', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const long = await runCli(['--version']);
    expect(long).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect((await runCli(['-V'])).stdout).toBe(`${version}\n`);
  });
});

describe('redirects: --no-redirect and --max-redirects', () => {
  test('redirects are followed by default; --no-redirect stops at the 302', async () => {
    server = await redirecting();
    const root = project({ 'r.http': `GET ${server.url}/r3\n\n?? status == 200\n?? url == ${server.url}/r0\n` });
    expect((await runCli(['r.http'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/r3', '/r2', '/r1', '/r0']);

    server.requests.length = 0;
    const stopped = await runCli(['r.http', '--no-redirect', '--report-json', 'r.json'], { cwd: root });
    expect(stopped.code).toBe(1);
    expect(server.requests.map((r) => r.url)).toEqual(['/r3']);
    expect(readJson(root, 'r.json').files[0].requests[0]).toMatchObject({ status: 302, outcome: 'failed' });
  });

  test('--max-redirects N allows N hops; one more is errored with the limit named (exit 3)', async () => {
    server = await redirecting();
    const root = project({ 'r.http': `GET ${server.url}/r3\n\n?? status == 200\n` });
    expect((await runCli(['r.http', '--max-redirects', '3'], { cwd: root })).code).toBe(0);
    const over = await runCli(['r.http', '--max-redirects', '2', '--report-json', 'r.json'], { cwd: root });
    expect(over.code).toBe(3);
    const request = readJson(root, 'r.json').files[0].requests[0];
    expect(request.outcome).toBe('errored');
    expect(request.error).toBe(`too many redirects (3): the limit is 2 (--max-redirects); last Location: ${server.url}/r0`);
    expect(over.stdout).toContain('the limit is 2 (--max-redirects)');
  });

  test('--max-redirects takes a whole number; anything else is a usage error (exit 2)', async () => {
    const bad = await runCli(['--max-redirects', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-redirects expects a whole number, got "lots"');
  });
});

describe('--max-body', () => {
  test('a body an assertion reads that is larger than --max-body ends errored (exit 3); a larger limit passes', async () => {
    server = await redirecting();
    const root = project({ 'b.http': `GET ${server.url}/big\n\n?? body contains hello\n` });
    const small = await runCli(['b.http', '--max-body', '5B', '--report-json', 'r.json'], { cwd: root });
    expect(small.code).toBe(3);
    expect(readJson(root, 'r.json').files[0].requests[0].error).toBe(
      'response body is larger than the limit of 5 bytes after decoding (raise it with --max-body)',
    );
    expect((await runCli(['b.http', '--max-body', '1KiB'], { cwd: root })).code).toBe(0);
  });

  test('a body nothing reads is not limited by --max-body', async () => {
    server = await redirecting();
    const root = project({ 'b.http': `GET ${server.url}/big\n\n?? status == 200\n` });
    expect((await runCli(['b.http', '--max-body', '5B'], { cwd: root })).code).toBe(0);
  });

  test('--max-body needs a size', async () => {
    const bad = await runCli(['--max-body', 'huge']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-body expects a size such as 64MiB, 512KB or 1048576, got "huge"');
  });
});

describe('--timeout', () => {
  test('a server slower than --timeout ends the request errored with the time named, exit 3', async () => {
    server = await serve((_request, response) => void setTimeout(() => response.end('late'), 3000));
    const root = project({ 's.http': `GET ${server.url}/slow\n` });
    const started = Date.now();
    const slow = await runCli(['s.http', '--timeout', '300ms', '--report-json', 'r.json'], { cwd: root });
    expect(slow.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(2900);
    expect(readJson(root, 'r.json').files[0].requests[0].error).toMatch(/timed out after 300 ms/);
  });

  test('a value that is not a duration is a usage error', async () => {
    const bad = await runCli(['--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout expects a duration such as 500ms, 10s or 2m, got "soon"');
  });
});

describe('--quiet, --no-color and NO_COLOR', () => {
  const twoRequests = (url: string) => `### good\nGET ${url}/ok\n\n?? status == 200\n\n### bad\nGET ${url}/fail\n\n?? status == 200\n`;

  test('--quiet (and -q) prints failures and the summary only', async () => {
    server = await redirecting();
    const root = project({ 'a.http': twoRequests(server.url) });
    const loud = await runCli(['a.http'], { cwd: root });
    expect(loud.stdout).toContain('good');
    for (const flag of ['--quiet', '-q']) {
      const quiet = await runCli(['a.http', flag], { cwd: root });
      expect(quiet.code).toBe(1);
      expect(quiet.stdout).not.toContain('good');
      expect(quiet.stdout).toContain('bad');
      expect(quiet.stdout).toContain('a.http:9  ?? status == 200');
      expect(quiet.stdout).toMatch(/2 requests: 1 passed, 1 failed, 0 errored, 0 skipped/);
    }
  });

  test('colours appear on a colour terminal and --no-color or NO_COLOR removes every escape', async () => {
    server = await redirecting();
    const root = project({ 'a.http': twoRequests(server.url) });
    // FORCE_COLOR stands in for a colour terminal (stdout is a pipe here).
    const coloured = await runCli(['a.http'], { cwd: root, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[');
    const flag = await runCli(['a.http', '--no-color'], { cwd: root, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(flag.stdout).not.toContain('\u001b[');
    expect(flag.stdout).toContain('a.http:9');
    const env = await runCli(['a.http'], { cwd: root, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(env.stdout).not.toContain('\u001b[');
  });
});

describe('--dry-run', () => {
  test('sends nothing with every selection flag, prints what it would send, and exits 0', async () => {
    server = await redirecting();
    const root = project({ 'd.http': `### one\n# @tag smoke\nGET ${server.url}/one\n\n### two\nPOST ${server.url}/two\n\nbody\n` });
    const dry = await runCli(['d.http', '--dry-run', '--tag', 'smoke'], { cwd: root });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`GET ${server.url}/one`);
    expect(dry.stdout).not.toContain(`${server.url}/two`);
    expect(server.requests).toHaveLength(0);
  });
});

describe('short forms and repeatable selection', () => {
  test('-v prints the request and response as sent and received; -j takes the number of parallel files', async () => {
    server = await redirecting();
    const root = project({ 'a.http': `GET ${server.url}/ok\nX-Sent: yes\n` });
    const { code, stdout } = await runCli(['a.http', '-v', '-j', '1'], { cwd: root });
    expect(code).toBe(0);
    expect(stdout).toContain(`> GET ${server.url}/ok`);
    expect(stdout).toContain('> X-Sent: yes');
    expect(stdout).toContain('< hello /ok');
    const bad = await runCli(['a.http', '-j', '0'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--jobs expects a whole number of 1 or more, got "0"');
  });

  test('-e selects an environment, as in httpyac and ijhttp', async () => {
    server = await redirecting();
    const root = project({ 'a.http': `GET {{base}}/ok\n`, 'http-client.env.json': JSON.stringify({ dev: { base: server.url } }) });
    const { code } = await runCli(['a.http', '-e', 'dev'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/ok']);
  });

  test("httpyac's send --all gets a message that says what httprun does instead", async () => {
    const root = project({ 'a.http': 'GET http://127.0.0.1:1/\n' });
    const all = await runCli(['a.http', '--all'], { cwd: root });
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('unknown option --all: httprun runs every request of the files it is given (select with --name, --line or --tag)');
    const send = await runCli(['send', 'a.http', '--dry-run'], { cwd: root });
    expect(send.code).toBe(2);
    expect(send.stdout + send.stderr).toContain('no .http or .rest file matches "send" (httprun needs no send command: httprun file.http)');
  });

  test('--name is repeatable', async () => {
    server = await redirecting();
    const root = project({ 'n.http': `### one\nGET ${server.url}/1\n\n### two\nGET ${server.url}/2\n\n### three\nGET ${server.url}/3\n` });
    expect((await runCli(['n.http', '--name', 'one', '--name', 'three'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/1', '/3']);
  });
});
