import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function report(root: string, name = 'report.json') {
  return JSON.parse(readFileSync(join(root, name), 'utf8'));
}

describe('exit codes and the JSON report', () => {
  test('all assertions pass: exit 0, one line per request, a summary, the JSON report of SPEC §5.4', async () => {
    server = await serve((_request, response) => json(response, 201, { id: 3 }));
    const root = project({
      'users.http': `### create user\nPOST ${server.url}/v1/users\nContent-Type: application/json\n\n{"name":"ada"}\n\n?? status == 201\n?? body $.id == 3\n`,
    });
    const { code, stdout } = await runCli(['users.http', '--report-json', 'report.json'], { cwd: root });
    expect(code).toBe(0);
    expect(stdout).toContain('create user');
    expect(stdout).toMatch(/1 passed/);
    const written = report(root);
    expect(written).toMatchObject({
      version: 1,
      summary: { files: 1, requests: 1, passed: 1, failed: 0, errored: 0, skipped: 0, assertions: { passed: 2, failed: 0 }, exitCode: 0 },
      files: [
        {
          file: 'users.http',
          error: null,
          requests: [
            {
              name: 'create user', line: 2, method: 'POST', url: `${server.url}/v1/users`, status: 201,
              outcome: 'passed', error: null, attempts: 1,
              assertions: [
                { line: 7, text: '?? status == 201', passed: true, expected: 201, actual: 201 },
                { line: 8, text: '?? body $.id == 3', passed: true, expected: 3, actual: 3 },
              ],
            },
          ],
        },
      ],
    });
    expect(typeof written.summary.durationMs).toBe('number');
    expect(server.requests[0]?.body.toString()).toBe('{"name":"ada"}');
  });

  test('a failing assertion exits 1 and prints file:line, the assertion, expected and actual', async () => {
    server = await serve((_request, response) => response.writeHead(404).end());
    const root = project({ 'a.http': `GET ${server.url}/users/7\n\n?? status == 200\n` });
    const { code, stdout } = await runCli(['a.http', '--report-json', 'out/report.json'], { cwd: root });
    expect(code).toBe(1);
    expect(stdout).toContain('a.http:3');
    expect(stdout).toContain('?? status == 200');
    expect(stdout).toMatch(/expected:\s+200/);
    expect(stdout).toMatch(/actual:\s+404/);
    expect(report(root, 'out/report.json').files[0].requests[0]).toMatchObject({
      outcome: 'failed', status: 404, assertions: [{ line: 3, passed: false, expected: 200, actual: 404 }],
    });
  });

  test('a syntax error exits 2 with file:line:col, and the report is still written', async () => {
    const root = project({ 'bad.http': 'GET http://127.0.0.1:9/x\nthis is not a header\n' });
    const { code, stdout, stderr } = await runCli(['bad.http', '--report-json', 'report.json'], { cwd: root });
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/bad\.http:2:1/);
    const written = report(root);
    expect(written.summary.exitCode).toBe(2);
    expect(written.files[0].error).toMatch(/bad\.http:2:1/);
    expect(written.files[0].requests).toEqual([]);
  });

  test('a refused connection exits 3 with a clear reason and no stack trace', async () => {
    const root = project({ 'down.http': 'GET http://127.0.0.1:9/health\n\n?? status == 200\n' });
    const { code, stdout, stderr } = await runCli(['down.http', '--report-json', 'report.json'], { cwd: root });
    expect(code).toBe(3);
    expect(stdout + stderr).toMatch(/connection refused/i);
    expect(stdout + stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(report(root).files[0].requests[0]).toMatchObject({ outcome: 'errored', status: null });
    expect(report(root).files[0].requests[0].error).toMatch(/connection refused/i);
  });

  test('input errors outrank request errors, which outrank failures', async () => {
    server = await serve((_request, response) => response.writeHead(500).end());
    const root = project({
      'fail.http': `GET ${server.url}/\n\n?? status == 200\n`,
      'down.http': 'GET http://127.0.0.1:9/\n',
      'bad.http': 'GET {{nope}}\n',
    });
    expect((await runCli(['fail.http', 'down.http'], { cwd: root })).code).toBe(3);
    expect((await runCli(['fail.http', 'down.http', 'bad.http'], { cwd: root })).code).toBe(2);
    expect((await runCli(['fail.http'], { cwd: root })).code).toBe(1);
  });

  test('bad flags, no matching file and an empty selection exit 2; --help and --version exit 0', async () => {
    const root = project({ 'a.http': 'GET http://127.0.0.1:9/\n' });
    const bad = await runCli(['--jobs', 'many'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--jobs expects a whole number');
    const unknown = await runCli(['--frobnicate'], { cwd: root });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --frobnicate');
    const none = await runCli(['nothing-here.http'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stdout + none.stderr).toContain('no .http or .rest file matches "nothing-here.http"');
    const selection = await runCli(['a.http', '--name', 'missing'], { cwd: root });
    expect(selection.code).toBe(2);
    expect(selection.stderr).toContain('matches no request');
    expect((await runCli(['--help'])).code).toBe(0);
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('secrets', () => {
  test('missing secrets are all reported at once with file:line, exit 2, and nothing is sent', async () => {
    server = await serve((_request, response) => response.end('ok'));
    const root = project({
      'a.http': `GET ${server.url}/one?key=<<KEY_ONE>>\n\n###\nGET ${server.url}/two\nX-Token: <<KEY_TWO>>\n`,
    });
    const { code, stdout, stderr } = await runCli(['a.http'], { cwd: root });
    expect(code).toBe(2);
    const out = stdout + stderr;
    expect(out).toMatch(/a\.http:1:\d+.*missing secret <<KEY_ONE>>/);
    expect(out).toMatch(/a\.http:5:\d+.*missing secret <<KEY_TWO>>/);
    expect(server.requests).toHaveLength(0);
  });

  test('a secret never reaches output: not raw, not in Basic auth, not echoed back, not in reports', async () => {
    const secret = 'hunter2-Sup3r-s3cret';
    server = await serve((request, response) =>
      json(response, 200, { echoed: request.headers['x-token'], auth: request.headers.authorization, url: request.url }, { 'x-echo': secret }),
    );
    const root = project({
      'leak.http': `POST ${server.url}/login?key=<<TOKEN>>\nAuthorization: Basic ada <<TOKEN>>\nX-Token: <<TOKEN>>\n\n{"password": "<<TOKEN>>"}\n\n?? body $.echoed == nope\n`,
      '.env': `TOKEN=${secret}\n`,
    });
    const { code, stdout, stderr } = await runCli(
      ['leak.http', '--verbose', '--report-json', 'r.json', '--report-junit', 'r.xml', '--report-tap', 'r.tap', '--report-html', 'r.html'],
      { cwd: root },
    );
    expect(code).toBe(1);
    const basic = Buffer.from(`ada:${secret}`).toString('base64');
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${basic}`);
    const everything = [stdout, stderr, ...['r.json', 'r.xml', 'r.tap', 'r.html'].map((f) => readFileSync(join(root, f), 'utf8'))].join('\n');
    for (const form of [secret, basic, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      expect(everything).not.toContain(form);
    }
    expect(everything).toContain('***');
  });
});

describe('variables and captures', () => {
  test('a captured value feeds a later request, and a dependency defined further down runs first', async () => {
    server = await serve((request, response) => {
      if (request.url === '/login') return json(response, 200, { token: 'tok-123' }, { location: '/users/9' });
      json(response, 200, { auth: request.headers.authorization, url: request.url });
    });
    const root = project({
      'chain.http': [
        '@token = {{login.response.body.$.token}}',
        '',
        '### me',
        `GET ${server.url}/me?from={{login.response.headers.Location}}`,
        'Authorization: Bearer {{token}}',
        '',
        '?? body $.auth == Bearer tok-123',
        '',
        '### login',
        '# @name login',
        `POST ${server.url}/login`,
        '',
        '?? status == 200',
        '',
      ].join('\n'),
    });
    const { code, stdout } = await runCli(['chain.http', '--report-json', 'r.json'], { cwd: root });
    expect(stdout).toBeTruthy();
    expect(code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/login', '/me?from=/users/9']);
    expect(report(root, 'r.json').files[0].requests.map((r: { name: string }) => r.name)).toEqual(['login', 'me']);
  });

  test('--var wins over file variables, which win over env files', async () => {
    server = await serve((request, response) => response.end(request.url));
    const root = project({
      'v.http': `@who = file\nGET ${server.url}/{{who}}/{{fromEnv}}\n`,
      'http-client.env.json': JSON.stringify({ dev: { who: 'env', fromEnv: 'public' } }),
      'http-client.private.env.json': JSON.stringify({ dev: { fromEnv: 'private' } }),
    });
    await runCli(['v.http', '--env', 'dev'], { cwd: root });
    await runCli(['v.http', '--env', 'dev', '--var', 'who=cli'], { cwd: root });
    expect(server.requests.map((r) => r.url)).toEqual(['/file/private', '/cli/private']);
  });

  test('an undefined variable is a located error before anything is sent', async () => {
    server = await serve((_request, response) => response.end());
    const root = project({ 'u.http': `GET ${server.url}/\n\n###\nGET ${server.url}/{{missing}}\n` });
    const { code, stdout, stderr } = await runCli(['u.http'], { cwd: root });
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/u\.http:4:\d+.*undefined variable \{\{missing\}\}/);
    expect(server.requests).toHaveLength(0);
  });

  test('--dry-run prints resolved requests, sends nothing and exits 0', async () => {
    server = await serve((_request, response) => response.end());
    const root = project({ 'd.http': `@id = 42\nGET ${server.url}/items/{{id}}\nX-Key: <<KEY>>\n`, '.env': 'KEY=abcdef-secret\n' });
    const { code, stdout } = await runCli(['d.http', '--dry-run'], { cwd: root });
    expect(code).toBe(0);
    expect(stdout).toContain(`GET ${server.url}/items/42`);
    expect(stdout).toContain('X-Key: ***');
    expect(stdout).not.toContain('abcdef-secret');
    expect(server.requests).toHaveLength(0);
  });
});

describe('verbose', () => {
  test('--verbose prints the request as sent and the response status line with version and reason', async () => {
    server = await serve((_request, response) => response.writeHead(201, 'Created', { 'x-id': '7' }).end('done'));
    const root = project({ 'v.http': `POST ${server.url}/items\nContent-Type: text/plain\n\nhello\n` });
    const { code, stdout } = await runCli(['v.http', '--verbose'], { cwd: root });
    expect(code).toBe(0);
    expect(stdout).toContain(`> POST ${server.url}/items`);
    expect(stdout).toContain('> Content-Type: text/plain');
    expect(stdout).toContain('> hello');
    expect(stdout).toContain('< HTTP/1.1 201 Created');
    expect(stdout).toContain('< x-id: 7');
    expect(stdout).toContain('< done');
  });
});

describe('check', () => {
  test('reports three mistakes with carets and exits 2; a clean file exits 0', async () => {
    const root = project({
      'three.http': 'GET http://x/{{a}}\n\n###\nGET http://x/{{b}}\nnot a header\n\n###\nGET http://x/<<S>>\n',
      'clean.http': '@a = 1\nGET http://x/{{a}}\n',
    });
    const bad = await runCli(['check', 'three.http'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/three\.http:1:\d+/);
    expect(bad.stdout).toMatch(/three\.http:5:1/);
    expect(bad.stdout).toMatch(/three\.http:8:\d+/);
    expect(bad.stdout).toContain('^');
    const good = await runCli(['check', 'clean.http'], { cwd: root });
    expect(good.code).toBe(0);
  });
});

// npm makes a package's bin executable when it links it, once: npx keeps that link in its cache, so a
// rebuild (`npm test` builds) that wrote the bundle without the bit made the next `npx httprun` fail
// with "Permission denied".
test.skipIf(process.platform === 'win32')('the built bin is executable and runs by its shebang, after every build', () => {
  const bin = resolve(import.meta.dirname, '../dist/bin/cli.js');
  expect(statSync(bin).mode & 0o111).toBe(0o111);
  expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+$/);
});
