import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

// SPEC §4 (where httprun.yaml and the env files are found), §7 "Defaults and limits" and "Retries", through the real CLI.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A folder with the given files and no project marker of its own (unlike project()). */
function bare(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'httprun-bare-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

async function echoPath(): Promise<TestServer> {
  return serve((request, response) => response.end(request.url));
}

describe('where configuration is found (SPEC §4)', () => {
  test('httprun.yaml is found from the file\'s folder upward; a .git folder marks the project root and nothing above it is read', async () => {
    server = await echoPath();
    const root = project({
      // Above the repository: must not be read.
      'httprun.yaml': `environments:\n  $shared: { who: outer, above: yes }\n`,
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/http-client.env.json': JSON.stringify({ $shared: { who: 'repo' } }),
      'repo/api/deep/a.http': `GET ${server.url}/{{who}}\n`,
      'repo/api/deep/b.http': `GET ${server.url}/{{above}}\n`,
    });
    expect((await runCli(['repo/api/deep/a.http'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/repo']);
    const above = await runCli(['repo/api/deep/b.http'], { cwd: root });
    expect(above.code).toBe(2);
    expect(above.stdout + above.stderr).toMatch(/b\.http:1:\d+.*undefined variable \{\{above\}\}/);
  });

  test('httprun.yaml in a folder between the file and the root is used, with its env:', async () => {
    server = await echoPath();
    const root = project({
      'services/httprun.yaml': `env: dev\nenvironments:\n  dev: { who: services-dev }\n`,
      'services/users/u.http': `GET ${server.url}/{{who}}\n`,
    });
    expect((await runCli(['services/users/u.http'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/services-dev']);
  });

  test('without any marker the working directory is the root: its env file counts, one above it does not', async () => {
    server = await echoPath();
    const outer = bare({
      'http-client.env.json': JSON.stringify({ $shared: { who: 'outer', above: 'yes' } }),
      'work/http-client.env.json': JSON.stringify({ $shared: { who: 'cwd' } }),
      'work/a/b/x.http': `GET ${server.url}/{{who}}\n`,
      'work/a/b/y.http': `GET ${server.url}/{{above}}\n`,
    });
    const cwd = join(outer, 'work');
    expect((await runCli(['a/b/x.http'], { cwd })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/cwd']);
    expect((await runCli(['a/b/y.http'], { cwd })).code).toBe(2);
  });
});

describe('httprun.yaml defaults (SPEC §7 Defaults and limits)', () => {
  test('defaults.maxRedirects applies; --max-redirects overrides it', async () => {
    server = await serve((request, response) => {
      const n = Number(request.url.slice(2));
      if (n > 0) return void response.writeHead(302, { location: `/r${n - 1}` }).end();
      response.end('done');
    });
    const root = project({ 'httprun.yaml': 'defaults: { maxRedirects: 1 }\n', 'r.http': `GET ${server.url}/r2\n\n?? body == done\n` });
    const limited = await runCli(['r.http'], { cwd: root });
    expect(limited.code).toBe(3);
    expect(limited.stdout).toContain('the limit is 1 (--max-redirects)');
    expect((await runCli(['r.http', '--max-redirects', '5'], { cwd: root })).code).toBe(0);
  });

  test('defaults.maxBody applies to a body an assertion reads; --max-body overrides it', async () => {
    server = await serve((_request, response) => response.end('x'.repeat(2048)));
    const root = project({ 'httprun.yaml': 'defaults: { maxBody: 1KiB }\n', 'b.http': `GET ${server.url}/\n\n?? body startsWith x\n` });
    const limited = await runCli(['b.http'], { cwd: root });
    expect(limited.code).toBe(3);
    expect(limited.stdout).toContain('response body is larger than the limit of 1 KiB after decoding (raise it with --max-body)');
    expect((await runCli(['b.http', '--max-body', '4KiB'], { cwd: root })).code).toBe(0);
  });
});

describe('retries (SPEC §7)', () => {
  test('a failed assertion is retried (polling a service that is still coming up) and attempts counts every try', async () => {
    let calls = 0;
    server = await serve((_request, response) => json(response, 200, { ready: ++calls >= 3 }));
    const root = project({ 'p.http': `### poll\nGET ${server.url}/health\n\n?? body $.ready == true\n` });
    const { code } = await runCli(['p.http', '--retry', '5', '--retry-interval', '20ms', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(3);
    const report = JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')) as { files: { requests: { outcome: string; attempts: number }[] }[] };
    expect(report.files[0]!.requests[0]).toMatchObject({ outcome: 'passed', attempts: 3 });
  });

  test('a request that passed is not retried, and a 4xx without a failed assertion is not retried', async () => {
    server = await serve((_request, response) => response.writeHead(404).end());
    const root = project({ 'p.http': `GET ${server.url}/missing\n` });
    expect((await runCli(['p.http', '--retry', '3', '--retry-interval', '10ms'], { cwd: root })).code).toBe(0);
    expect(server.requests).toHaveLength(1);
  });
});
