import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

// SPEC §5.3 selection flags and §7 "Selection" / "Dependencies" / "Inputs", through the real CLI.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function echo(): Promise<TestServer> {
  return serve((request, response) => {
    if (request.url === '/login') return json(response, 200, { token: 'tok-1' });
    json(response, 200, { url: request.url, auth: request.headers.authorization ?? null });
  });
}

interface ReportRequest { name: string; line: number; outcome: string; error: string | null }
function requestsOf(root: string, name = 'r.json'): ReportRequest[][] {
  const report = JSON.parse(readFileSync(join(root, name), 'utf8')) as { files: { requests: ReportRequest[] }[] };
  return report.files.map((file) => file.requests);
}

/** Lines: 1 `### first`, 2 GET /a, 3 X-A header, 4 blank, 5 body... see the numbers in the tests. */
function threeRequests(url: string): string {
  return [
    '### first', //            1
    `GET ${url}/a`, //         2
    'X-A: 1', //               3
    '', //                     4
    '?? status == 200', //     5
    '', //                     6
    '### second', //           7
    '# @tag smoke, fast', //   8
    `POST ${url}/b`, //        9
    'Content-Type: text/plain', // 10
    '', //                     11
    'hello', //                12
    'world', //                13
    '', //                     14
    '?? status == 200', //     15
    '', //                     16
    '### third', //            17
    '# @tag slow', //          18
    `GET ${url}/c`, //         19
    '',
  ].join('\n');
}

describe('--line', () => {
  test('the request line, a header, a body line, an assertion line or the ### line above select that one request', async () => {
    server = await echo();
    const root = project({ 'three.http': threeRequests(server.url) });
    for (const line of [9, 10, 12, 13, 15, 7, 8]) {
      server.requests.length = 0;
      const { code } = await runCli(['three.http', '--line', String(line)], { cwd: root });
      expect({ line, code, sent: server.requests.map((r) => r.url) }).toEqual({ line, code: 0, sent: ['/b'] });
    }
  });

  test('--line is repeatable, applies to each file named, and unselected requests never reach the server', async () => {
    server = await echo();
    const root = project({ 'one.http': threeRequests(server.url), 'two.http': threeRequests(server.url) });
    const { code } = await runCli(['one.http', 'two.http', '--jobs', '1', '--line', '2', '--line', '19', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/c', '/a', '/c']);
    for (const requests of requestsOf(root)) {
      // Absent from the report or skipped: never passed, never sent.
      const ran = requests.filter((r) => r.outcome !== 'skipped').map((r) => r.name);
      expect(ran).toEqual(['first', 'third']);
    }
  });

  test('a line that is in no request of any file is a usage error (exit 2), nothing sent', async () => {
    server = await echo();
    const root = project({ 'three.http': threeRequests(server.url) });
    const none = await runCli(['three.http', '--line', '400'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('matches no request');
    expect(server.requests).toHaveLength(0);
  });
});

describe('--name and --tag', () => {
  test('--name runs the named request after what it depends on, and nothing else', async () => {
    server = await echo();
    const root = project({
      'chain.http': [
        '### unrelated',
        `GET ${server.url}/unrelated`,
        '',
        '### me',
        `GET ${server.url}/me`,
        'Authorization: Bearer {{login.response.body.$.token}}',
        '',
        '?? body $.auth == Bearer tok-1',
        '',
        '### login',
        `POST ${server.url}/login`,
        '',
      ].join('\n'),
    });
    const { code } = await runCli(['chain.http', '--name', 'me', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/login', '/me']);
    const ran = requestsOf(root)[0]!.filter((r) => r.outcome !== 'skipped').map((r) => r.name);
    expect(ran).toEqual(['login', 'me']);
  });

  test('--line runs what the selected request depends on first', async () => {
    server = await echo();
    const root = project({
      'chain.http': `### login\nPOST ${server.url}/login\n\n### other\nGET ${server.url}/other\n\n### me\nGET ${server.url}/me?t={{login.response.body.$.token}}\n`,
    });
    expect((await runCli(['chain.http', '--line', '8'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/login', '/me?t=tok-1']);
  });

  test('--tag selects tagged requests; comma-separated and repeated forms both work', async () => {
    server = await echo();
    const root = project({ 'three.http': threeRequests(server.url) });
    expect((await runCli(['three.http', '--tag', 'fast'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/b']);
    server.requests.length = 0;
    expect((await runCli(['three.http', '--tag', 'smoke,slow'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/b', '/c']);
    server.requests.length = 0;
    expect((await runCli(['three.http', '--tag', 'fast', '--tag', 'slow'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/b', '/c']);
    server.requests.length = 0;
    const none = await runCli(['three.http', '--tag', 'nothing'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('matches no request');
    expect(server.requests).toHaveLength(0);
  });
});

describe('inputs', () => {
  test('no path means the working directory, searched recursively for *.http and *.rest, skipping node_modules and dot-folders', async () => {
    server = await echo();
    const root = project({
      'a.http': `GET ${server.url}/a\n`,
      'sub/deeper/b.rest': `GET ${server.url}/b\n`,
      'sub/c.txt': `GET ${server.url}/txt\n`,
      'node_modules/pkg/d.http': `GET ${server.url}/node_modules\n`,
      '.hidden/e.http': `GET ${server.url}/hidden\n`,
    });
    const { code } = await runCli(['--jobs', '1', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/a', '/b']);
    const files = (JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')) as { files: { file: string }[] }).files.map((f) => f.file);
    expect(files.sort()).toEqual(['a.http', 'sub/deeper/b.rest']);
  });

  test('a glob selects matching files; `run` as a command word is optional', async () => {
    server = await echo();
    const root = project({ 'api/a.http': `GET ${server.url}/a\n`, 'api/b.http': `GET ${server.url}/b\n`, 'other/c.http': `GET ${server.url}/c\n` });
    expect((await runCli(['run', 'api/*.http', '--jobs', '1'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b']);
  });

  test('a folder with no request file is "no file matched" for run, check and watch --once (exit 2)', async () => {
    const root = project({ 'notes.txt': 'GET http://127.0.0.1:9/\n' });
    for (const args of [[], ['check'], ['watch', '--once']]) {
      const none = await runCli(args, { cwd: root });
      expect({ args, code: none.code }).toEqual({ args, code: 2 });
      expect(none.stdout + none.stderr).toContain('no .http or .rest file matches "."');
    }
  });

  test('an unreadable path is an input error (exit 2)', async () => {
    const root = project({});
    const missing = await runCli(['missing-dir/'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('no .http or .rest file matches "missing-dir/"');
  });
});
