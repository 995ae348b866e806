import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { project, runCli, type CliRun } from './helpers/cli.js';
import { connectProxy, runCleanups } from './fixtures/execute/harness.js';
import { json, serve, type TestServer } from './helpers/server.js';

// Audit of hostile input outside the .http grammar and outside the server (both attacked elsewhere):
// configuration files, the command line and the files a request reads or writes. The promise read
// here (SPEC §6): bad input never crashes the program; it gets a located error, an exit code per
// SPEC §5.2, and the run still writes its reports. Each test reads a behaviour that was wrong before
// its fix.

let server: TestServer | undefined;
afterEach(async () => {
  await runCleanups();
  await server?.close();
  server = undefined;
});

async function okServer(): Promise<TestServer> {
  server = await serve((_request, response) => json(response, 200, { ok: true }));
  return server;
}

/** What must never reach a user, whatever the input: a stack frame or a JavaScript value's internals. */
function expectNoCrash(run: CliRun): void {
  const output = `${run.stdout}\n${run.stderr}`;
  expect(output).not.toMatch(/^\s+at |node:internal|TypeError|RangeError|\[object Object\]|internal error/m);
  expect(output).not.toMatch(/\bundefined\b/);
}

function report(root: string): { summary: { exitCode: number }; files: { file: string; error: string | null; requests: { outcome: string; error: string | null }[] }[] } {
  return JSON.parse(readFileSync(join(root, 'out', 'report.json'), 'utf8'));
}

// --- httprun.yaml ------------------------------------------------------------------------------

// `proxy:` reached undici unchecked: "not a url" or a URL without its scheme stopped the file with
// "internal error while running this file: Invalid URL". It is an input error found when the file is
// read, located at the value; the value is not repeated because a proxy URL may carry a password.
test.each([['not a url'], ['proxy.local:3128'], ['ftp://proxy.local'], ['"http://"']])('httprun.yaml proxy: %s is a located input error', async (proxy) => {
  const { url } = await okServer();
  const root = project({ 'httprun.yaml': `proxy: ${proxy}\n`, 'a.http': `GET ${url}/a\n` });
  const run = await runCli(['a.http', '--report-json', 'out/report.json'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toContain('httprun.yaml:1:8: error: proxy must be a URL with its scheme, such as http://proxy.local:3128 (http, https or socks5) [config/invalid-proxy]');
  expect(run.code).toBe(2);
  expect(server!.requests).toHaveLength(0);
  expect(report(root).files[0]!.error).toMatch(/^httprun\.yaml:1:8: proxy must be a URL/);
});

// Thousands of nested brackets overflow the YAML parser's recursion; its error said "Maximum call
// stack size exceeded", JavaScript's words, not the file's problem.
test('httprun.yaml nested thousands deep is a located error in words', async () => {
  const root = project({ 'httprun.yaml': `environments:\n  dev:\n    p: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, 'a.http': 'GET http://127.0.0.1:9/a\n' });
  const run = await runCli(['a.http', '--env', 'dev'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toMatch(/^httprun\.yaml:3:\d+: error: httprun\.yaml is not valid YAML: lists or maps nested too deep \[config\/invalid-yaml\]$/m);
  expect(run.stdout).not.toMatch(/call stack/i);
  expect(run.code).toBe(2);
});

// Already right before this audit, kept as a guard: each malformed httprun.yaml of the brief, in a
// parent folder of the request file, is a located error naming what was expected; nothing is sent
// and the report is written.
test.each([
  ['env: [\n', 'httprun.yaml:2:1: error: httprun.yaml is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ['- a\n- b\n', 'httprun.yaml:1:1: error: httprun.yaml must be a map of settings (env, environments, defaults, ...), got a list'],
  ['defaults:\n  timeout: fast\n', 'httprun.yaml:2:12: error: defaults.timeout must be a duration such as 10s, 500ms or 2m, got "fast"'],
  ['defaults:\n  retry: -1\n', 'httprun.yaml:2:10: error: defaults.retry must be a whole number >= 0, got number -1'],
  ['defaults:\n  maxBody: 1XB\n', 'httprun.yaml:2:12: error: defaults.maxBody must be a size such as 64MiB, 10MB, 512k or a number of bytes, got "1XB"'],
  ['secrets: [a]\n', 'httprun.yaml:1:10: error: secrets must be a map of secret names to { hosts: [...] }, got a list'],
  ['clientCertificates:\n  h: [1]\n', 'httprun.yaml:2:6: error: clientCertificates.h must be { cert, key } or { pfx, passphrase }, got a list'],
])('a malformed httprun.yaml in a parent folder (%j) is a located error', async (yaml, message) => {
  const { url } = await okServer();
  const root = project({ 'httprun.yaml': yaml, 'api/deep/a.http': `GET ${url}/a\n` });
  const run = await runCli(['api/deep/a.http', '--report-json', 'out/report.json'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toContain(message);
  expect(run.code).toBe(2);
  expect(server!.requests).toHaveLength(0);
  expect(report(root).files[0]!.error).toMatch(/^httprun\.yaml:\d+:\d+: /);
});

// A folder named httprun.yaml or .env (Python's `python -m venv .env` makes one) is not a config
// file: it is skipped, and the run goes on.
test('a folder named httprun.yaml or .env is skipped, not read', async () => {
  const { url } = await okServer();
  const root = project({ 'httprun.yaml/keep': '', '.env/bin/python': '', 'a.http': `GET ${url}/a\n` });
  const run = await runCli(['a.http'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toMatch(/1 request: 1 passed/);
  expect(run.code).toBe(0);
});

// --- environment variables ---------------------------------------------------------------------

// HTTP_PROXY=proxy.local:3128 (no scheme) is common and curl reads it as an HTTP proxy; httprun
// stopped every file with "internal error ... Invalid URL protocol". Now it is read as curl does.
test('HTTP_PROXY without a scheme is an HTTP proxy, as curl reads it', async () => {
  const { url } = await okServer();
  const proxy = await connectProxy();
  const root = project({ 'a.http': `GET ${url}/a\n` });
  const run = await runCli(['a.http'], { cwd: root, env: { HTTP_PROXY: proxy.url.replace('http://', ''), NO_PROXY: '' } });
  expectNoCrash(run);
  expect(run.stdout).toMatch(/1 request: 1 passed/);
  expect(run.code).toBe(0);
  expect(proxy.tunnels).toEqual([url.replace('http://', '')]);
});

// A proxy variable that is no URL at all: each request it would carry errors (exit 3, as curl's
// "could not resolve proxy"), naming the variable but not its value (it may hold a password); the
// run goes on and writes its report.
test('HTTP_PROXY that is not a URL fails the request with a clear reason, not an internal error', async () => {
  const { url } = await okServer();
  const root = project({ 'a.http': `GET ${url}/a\n` });
  const run = await runCli(['a.http', '--report-json', 'out/report.json'], { cwd: root, env: { HTTP_PROXY: 'not a url', NO_PROXY: '' } });
  expectNoCrash(run);
  expect(run.stdout).toContain('a.http:1  errored: HTTP_PROXY is not a proxy URL such as http://proxy.local:3128');
  expect(run.code).toBe(3);
  expect(report(root).files[0]!.requests[0]).toMatchObject({ outcome: 'errored', error: 'HTTP_PROXY is not a proxy URL such as http://proxy.local:3128' });
  expect(existsSync(join(root, 'out', 'report.json'))).toBe(true);
});

// --- the command line --------------------------------------------------------------------------

// A negative value after its flag was refused by Node's parseArgs as "ambiguous", in three lines
// about `--timeout=-XYZ` that never said what the flag expects. It is now the flag's value, checked
// like any other; a flag followed by another option still says it needs a value.
test.each([
  [['--timeout', '-1s'], 'httprun: --timeout expects a duration such as 500ms, 10s or 2m, got "-1s"\n'],
  [['--retry', '-1'], 'httprun: --retry expects a whole number, got "-1"\n'],
  [['-j', '-1'], 'httprun: --jobs expects a whole number of 1 or more, got "-1"\n'],
  [['--max-redirects', '-1'], 'httprun: --max-redirects expects a whole number, got "-1"\n'],
  [['--line', '-3'], 'httprun: --line expects a whole number of 1 or more, got "-3"\n'],
  [['--env', '--bail'], 'httprun: --env needs a value (--env is followed by an option; write --env=VALUE for a value that starts with a dash)\n'],
  [['-e', '-x'], 'httprun: --env needs a value (-e is followed by an option; write --env=VALUE for a value that starts with a dash)\n'],
])('%j is a one-line usage error that says what the flag expects', async (args, message) => {
  const root = project({ 'a.http': 'GET http://127.0.0.1:9/a\n' });
  const run = await runCli(['a.http', ...args], { cwd: root });
  expectNoCrash(run);
  expect(run.stderr).toBe(message);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
});

// Rendezvous hashing weighs every shard for every file: `--shard 1/99999999999999999999` spun one
// core until killed (and SIGTERM could not stop the busy loop). A CI matrix never comes near 1000.
test.each([['1/1001'], ['1/99999999999999999999']])('--shard %s is refused at once, not an endless loop', async (shard) => {
  const root = project({ 'a.http': 'GET http://127.0.0.1:9/a\n' });
  const run = await runCli(['a.http', '--shard', shard], { cwd: root, timeoutMs: 10_000 });
  expect(run.stderr).toBe(`httprun: --shard supports at most 1000 shards, got "${shard}"\n`);
  expect(run.code).toBe(2);
});

test('--shard 1000/1000 still runs (the largest allowed)', async () => {
  const root = project({ 'a.http': 'GET http://127.0.0.1:9/a\n' });
  const run = await runCli(['a.http', '--shard', '1000/1000', '--dry-run'], { cwd: root, timeoutMs: 10_000 });
  expectNoCrash(run);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
});

// --- report files and saved responses -----------------------------------------------------------

// A report that could not be written was a line on stderr and exit 0: a CI job went green and its
// next step found no JUnit file. It is a bad flag now (exit 2, SPEC §5.2), the reason in words (it
// said "EEXIST"), and the other reports are still written.
test.each([
  ['blocker/junit.xml', 'blocker is a file, not a folder'],
  ['blocker/deeper/junit.xml', 'blocker is a file, not a folder'],
  ['folder', 'it is a directory'],
])('--report-junit %s that cannot be written exits 2 and says why; the JSON report is written', async (target, reason) => {
  const { url } = await okServer();
  const root = project({ 'a.http': `GET ${url}/a\n\n?? status == 200\n`, blocker: 'a file where a folder should be', 'folder/keep': '' });
  const run = await runCli(['a.http', '--report-junit', target, '--report-json', 'out/report.json'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toMatch(/1 request: 1 passed/);
  expect(run.stderr).toBe(`httprun: cannot write the junit report to ${target}: ${reason}\n`);
  expect(run.code).toBe(2);
  expect(report(root).summary.exitCode).toBe(0);
});

// Node's recursive mkdir never settles under /proc (procfs answers ENOENT for a new child of a
// folder that exists): `--report-json /proc/nope/r.json` or `>> /proc/nope/x.json` hung the run
// after its requests, spinning a core. Both now fail at once with the reason.
test.skipIf(process.platform !== 'linux')('a report or a saved response under /proc fails at once instead of hanging', async () => {
  const { url } = await okServer();
  const root = project({ 'a.http': `GET ${url}/a\n\n>> /proc/h44-nope/x.json\n` });
  const run = await runCli(['a.http', '--report-json', '/proc/h44-nope/report.json'], { cwd: root, timeoutMs: 15_000 });
  expectNoCrash(run);
  expect(run.stdout).toContain('a.http:1  errored: cannot save the response to /proc/h44-nope/x.json: ');
  expect(run.stderr).toMatch(/^httprun: cannot write the json report to \/proc\/h44-nope\/report\.json: (no such file|permission denied)\n$/);
  expect(run.code).toBe(2);
});

// `>> ./out/x.json` where `out` is a file: the message names the file in the way, not the folder
// that Node's recursive mkdir was asked for.
test('>> into a path whose folder is a file fails the request, naming the file in the way', async () => {
  const { url } = await okServer();
  const root = project({ 'a.http': `GET ${url}/a\n\n>> ./out/deeper/x.json\n`, out: 'a file' });
  const run = await runCli(['a.http', '--report-json', 'r/report.json'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toContain(`a.http:1  errored: cannot save the response to ${join(root, 'out', 'deeper', 'x.json')}: ${join(root, 'out')} is a file, not a folder`);
  expect(run.code).toBe(3);
  expect(existsSync(join(root, 'r', 'report.json'))).toBe(true);
});

// --- request files ------------------------------------------------------------------------------

// Windows PowerShell 5 writes UTF-16 with a byte order mark (`>`, Out-File); JetBrains and VS Code
// read it. httprun read it as UTF-8 and reported `expected a request line ... found ��G E T`.
test.each([
  ['UTF-16LE', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
  ['UTF-16BE', (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
])('a request file and an env file in %s with a byte order mark are read', async (_, encode) => {
  const { url } = await okServer();
  const root = project({
    'a.http': encode(`GET ${url}/{{p}}\n\n?? status == 200\n`),
    'http-client.env.json': encode('{ "dev": { "p": "é" } }'),
  });
  const run = await runCli(['a.http', '--env', 'dev'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toMatch(/1 request: 1 passed/);
  expect(run.code).toBe(0);
  expect(server!.requests.map((r) => r.url)).toEqual(['/%C3%A9']);
});

// `# @timeout abc` or `# @retry many` were ignored in silence: the request ran with the default
// timeout and no retry, and nothing said so. A located warning now names the value and what was
// expected. A warning, not an error: the request runs as the other tools run it.
test('metadata values httprun cannot read get located warnings; the requests still run', async () => {
  const { url } = await okServer();
  const root = project({
    'a.http': `###\n# @timeout abc\n# @retry many\nGET ${url}/a\n\n###\n# @retry 2 fast\n# @sleep soon\nGET ${url}/b\n\n###\n# @timeout 5\n# @retry 2 100ms\n# @delay 1\nGET ${url}/c\n`,
  });
  const run = await runCli(['a.http', '--report-json', 'out/report.json'], { cwd: root });
  expectNoCrash(run);
  expect(run.stdout).toContain('a.http:2:1: warning: @timeout expects a duration such as 30 (seconds), 500ms or 2m, got "abc"; it is ignored and the default applies [run/invalid-metadata-value]\n  2 | # @timeout abc\n');
  expect(run.stdout).toContain('a.http:3:1: warning: @retry expects a number of retries and an optional interval (@retry 3 or @retry 3 500ms), got "many"; it is ignored and the default applies');
  expect(run.stdout).toContain('a.http:7:1: warning: @retry: the interval "fast" is not a duration such as 500ms or 2s; the interval is ignored and the default applies');
  expect(run.stdout).toContain('a.http:8:1: warning: @sleep expects milliseconds (1000) or a duration such as 2s, got "soon"; it is ignored and the default applies');
  expect(run.stdout.match(/warning:/g)).toHaveLength(4);
  expect(run.stdout).toMatch(/3 requests: 3 passed/);
  expect(run.code).toBe(0);
  const check = await runCli(['check', 'a.http'], { cwd: root });
  expect(check.stdout).toMatch(/1 file checked: 1 clean, 0 errors, 4 warnings/);
  expect(check.code).toBe(0);
});
