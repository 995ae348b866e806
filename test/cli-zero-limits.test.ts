import { describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { serverPerTest } from './helpers/server.js';

// `0` for a limit is "no limit", as curl reads `--max-time 0` and `--max-filesize 0` (Hurl hands both
// to libcurl): `--timeout 0` always was, and `--max-body 0` was a 0-byte limit that failed every
// request whose body was read. Both are said in --help and the README's flags table.

const servers = serverPerTest();

describe('--timeout 0', () => {
  test('is no timeout: it lifts a shorter timeout of httprun.yaml, as `# @timeout 0` does', async () => {
    const server = await servers.serve((_request, response) => {
      setTimeout(() => response.end('late'), 700);
    });
    const files = {
      'httprun.yaml': 'defaults: { timeout: 200ms }\n',
      'a.http': `GET ${server.url}/slow\n\n?? body == late\n`,
      'meta.http': `# @timeout 0\nGET ${server.url}/slow\n\n?? body == late\n`,
    };
    const root = project(files);
    // The control: httprun.yaml's 200ms stops it.
    const bounded = await runCli(['a.http'], { cwd: root });
    expect(bounded.code).toBe(3);
    expect(bounded.stdout).toContain('timed out after 200 ms');

    const unbounded = await runCli(['a.http', '--timeout', '0'], { cwd: root });
    expect(unbounded.stdout).toContain('1 request: 1 passed');
    expect(unbounded.code).toBe(0);

    const metadata = await runCli(['meta.http'], { cwd: root });
    expect(metadata.stdout).toContain('1 request: 1 passed');
    expect(metadata.code).toBe(0);
  });
});

describe('--max-body 0', () => {
  test('is no limit (was a 0-byte limit), from the flag and from httprun.yaml; a limit of 1 byte or more still holds', async () => {
    const body = 'x'.repeat(5000);
    const server = await servers.serve((_request, response) => response.end(body));
    const root = project({ 'a.http': `GET ${server.url}/big\n\n?? body contains xxxxx\n` });

    const zero = await runCli(['a.http', '--max-body', '0'], { cwd: root });
    expect(zero.stdout).not.toContain('larger than the limit');
    expect(zero.stdout).toContain('1 request: 1 passed');
    expect(zero.code).toBe(0);

    const small = await runCli(['a.http', '--max-body', '100'], { cwd: root });
    expect(small.code).toBe(3);
    expect(small.stdout).toContain('response body is larger than the limit of 100 bytes after decoding (raise it with --max-body)');

    const yaml = project({ 'httprun.yaml': 'defaults: { maxBody: 0 }\n', 'a.http': `GET ${server.url}/big\n\n?? body contains xxxxx\n` });
    const fromYaml = await runCli(['a.http'], { cwd: yaml });
    expect(fromYaml.stdout).toContain('1 request: 1 passed');
    expect(fromYaml.code).toBe(0);
  });

  test('--help says what 0 means for both', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('  --timeout D        whole-request timeout, 0 for none (default 30s)\n');
    expect(help.stdout).toContain('  --max-body SIZE    largest response body read, 0 for no limit (default 64MiB)\n');
  });
});
