// What JetBrains HTTP Client users rely on, checked on the wire against a recording server:
// the "Response handling API reference" (client.global, client.test/assert, response.body,
// response.headers), pre-request scripts (request.variables), `> handler.js`, environment files,
// dynamic variables, import/run, the per-request `# @` options and `>>` / `>>!` / `<>`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import type { RunResult } from '../src/run/result.js';
import { project, runCli } from './helpers/cli.js';
import { serve, type Recorded, type TestServer } from './helpers/server.js';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await serve(async (request, response) => {
    const path = request.url.split('?')[0]!;
    switch (path) {
      case '/login':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"token": "tok-1", "user": {"id": 7}}');
        return;
      case '/vnd':
        response.writeHead(200, { 'content-type': 'application/vnd.api+json; charset=utf-8' }).end('{"data": {"id": "x"}}');
        return;
      case '/text':
        // JSON-looking text: JetBrains hands a non-JSON content type to scripts as a string.
        response.writeHead(200, { 'content-type': 'text/plain' }).end('{"a": 1}');
        return;
      case '/multi':
        response.writeHead(200, [
          ['Content-Type', 'text/plain'],
          ['X-Item', 'one'],
          ['X-Item', 'two'],
        ]).end('ok');
        return;
      case '/set-cookie':
        response.writeHead(200, { 'set-cookie': 'sid=abc; Path=/' }).end('ok');
        return;
      case '/redirect':
        response.writeHead(302, { location: '/login' }).end();
        return;
      case '/slow':
        await new Promise((done) => setTimeout(done, 1500));
        response.writeHead(200).end('late');
        return;
      default:
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok": true}');
    }
  });
  url = server.url;
});
afterAll(() => server.close());

/** Runs files of a fresh project and returns the result and what went on the wire. */
async function runProject(
  files: Record<string, string>,
  entry: string | string[] = 'main.http',
  options: { env?: string | null; jobs?: number } = {},
): Promise<{ result: RunResult; sent: Recorded[]; root: string }> {
  const root = project(files);
  const before = server.requests.length;
  const entries = (Array.isArray(entry) ? entry : [entry]).map((name) => join(root, name));
  const result = await run(entries, { cwd: root, env: options.env ?? null, processEnv: {}, jobs: options.jobs ?? 1 });
  return { result, sent: server.requests.slice(before), root };
}

function header(request: Recorded | undefined, name: string): string | undefined {
  const value = request?.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function outcomes(result: RunResult): [string, string][] {
  return result.files.flatMap((f) => f.requests.map((r) => [r.name, r.outcome] as [string, string]));
}

describe('response handler scripts', () => {
  test('client.global.set in one request feeds {{token}} of the next', async () => {
    const { result, sent } = await runProject({
      'main.http': [
        '### Login',
        `POST ${url}/login`,
        '',
        '> {%',
        '  client.global.set("auth_token", response.body.token);',
        '  client.global.set("user_id", response.body.user.id);',
        '%}',
        '',
        '### Me',
        `GET ${url}/users/{{user_id}}`,
        'Authorization: Bearer {{auth_token}}',
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/login', '/users/7']);
    expect(header(sent[1], 'authorization')).toBe('Bearer tok-1');
  });

  test('client.test and client.assert are reported as assertions; a failed one fails the request (exit 1)', async () => {
    const { result } = await runProject({
      'main.http': [
        `GET ${url}/login`,
        '',
        '> {%',
        '  client.test("status is 200", function () {',
        '    client.assert(response.status === 200, "Response status is not 200");',
        '  });',
        '  client.test("token is nope", function () {',
        '    client.assert(response.body.token === "nope", "token was " + response.body.token);',
        '  });',
        '%}',
        '',
      ].join('\n'),
    });
    const request = result.files[0]!.requests[0]!;
    expect(request.outcome).toBe('failed');
    expect(result.summary.exitCode).toBe(1);
    expect(request.assertions.map((a) => [a.text, a.passed, a.message])).toEqual([
      ['client.test("status is 200")', true, undefined],
      ['client.test("token is nope")', false, 'token was tok-1'],
    ]);
    expect(request.assertions.map((a) => a.line)).toEqual([4, 7]);
    expect(result.summary.assertions).toEqual({ passed: 1, failed: 1 });
  });

  test('response.body: parsed for application/json and +json, a string for text/plain', async () => {
    const { result } = await runProject({
      'main.http': [
        `GET ${url}/login`,
        '',
        '> {%',
        '  client.test("json", function () { client.assert(response.body.user.id === 7, typeof response.body); });',
        '%}',
        '',
        '###',
        `GET ${url}/vnd`,
        '',
        '> {%',
        '  client.test("vnd json", function () { client.assert(response.body.data.id === "x", typeof response.body); });',
        '  client.test("mime", function () { client.assert(response.contentType.mimeType === "application/vnd.api+json", response.contentType.mimeType); });',
        '  client.test("charset", function () { client.assert(response.contentType.charset === "utf-8", response.contentType.charset); });',
        '%}',
        '',
        '###',
        `GET ${url}/text`,
        '',
        '> {%',
        '  client.test("text", function () { client.assert(typeof response.body === "string" && response.body === \'{"a": 1}\', typeof response.body); });',
        '%}',
        '',
      ].join('\n'),
    });
    expect(result.files[0]!.requests.flatMap((r) => r.assertions.map((a) => [a.text, a.passed, a.message]))).toEqual([
      ['client.test("json")', true, undefined],
      ['client.test("vnd json")', true, undefined],
      ['client.test("mime")', true, undefined],
      ['client.test("charset")', true, undefined],
      ['client.test("text")', true, undefined],
    ]);
  });

  test('response.headers.valueOf gives the first value, valuesOf all of them, case-insensitively; a missing one is null / []', async () => {
    const { result } = await runProject({
      'main.http': [
        `GET ${url}/multi`,
        '',
        '> {%',
        '  client.test("valueOf", function () { client.assert(response.headers.valueOf("x-item") === "one", String(response.headers.valueOf("x-item"))); });',
        '  client.test("valuesOf", function () { client.assert(JSON.stringify(response.headers.valuesOf("X-ITEM")) === \'["one","two"]\', JSON.stringify(response.headers.valuesOf("X-ITEM"))); });',
        '  client.test("missing", function () { client.assert(response.headers.valueOf("x-none") === null && response.headers.valuesOf("x-none").length === 0); });',
        '%}',
        '',
      ].join('\n'),
    });
    expect(result.files[0]!.requests[0]!.assertions.map((a) => [a.text, a.passed, a.message])).toEqual([
      ['client.test("valueOf")', true, undefined],
      ['client.test("valuesOf")', true, undefined],
      ['client.test("missing")', true, undefined],
    ]);
  });

  test('> ./handler.js is read next to the request file; its globals reach later requests', async () => {
    const { result, sent } = await runProject({
      'scripts/handler.js': 'client.global.set("token", response.body.token);\nclient.test("has token", function () { client.assert(!!response.body.token); });\n',
      'api/main.http': [`POST ${url}/login`, '', '> ../scripts/handler.js', '', '###', `GET ${url}/me`, 'X-Token: {{token}}', ''].join('\n'),
    }, 'api/main.http');
    expect(result.summary.exitCode).toBe(0);
    expect(header(sent[1], 'x-token')).toBe('tok-1');
    expect(result.files[0]!.requests[0]!.assertions.map((a) => [a.text, a.passed])).toEqual([['client.test("has token")', true]]);
  });

  test('a missing handler file fails that request with a located message', async () => {
    const { result } = await runProject({ 'main.http': `GET ${url}/login\n\n> ./nowhere.js\n` });
    const request = result.files[0]!.requests[0]!;
    expect(request.outcome).toBe('failed');
    expect(request.error).toMatch(/^main\.http:3: cannot read the handler \.\/nowhere\.js: /);
  });

  test('client.global.isEmpty / clear / get as JetBrains documents them', async () => {
    const { result, sent } = await runProject({
      'main.http': [
        `GET ${url}/login`,
        '',
        '> {%',
        '  client.test("empty at first", function () { client.assert(client.global.isEmpty()); });',
        '  client.global.set("a", "1");',
        '  client.global.set("b", "2");',
        '  client.global.clear("b");',
        '  client.test("get", function () { client.assert(client.global.get("a") === "1" && client.global.get("b") == null); });',
        '%}',
        '',
        '###',
        `GET ${url}/next?a={{a}}`,
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent[1]!.url).toBe('/next?a=1');
  });
});

describe('client.log through the CLI', () => {
  test('client.log lines are printed in the console output with the request', async () => {
    const root = project({
      'main.http': [`GET ${url}/login`, '', '> {%', '  client.log("token is", response.body.token);', '  client.log({ id: response.body.user.id });', '%}', ''].join('\n'),
    });
    const cli = await runCli(['run', 'main.http'], { cwd: root });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('token is tok-1');
    expect(cli.stdout).toContain('{"id":7}');
  });
});

describe('pre-request scripts', () => {
  test('request.variables.set values fill {{name}} in the URL, a header and the body of the same request', async () => {
    const { result, sent } = await runProject({
      'main.http': [
        '< {%',
        '  request.variables.set("id", "42");',
        '  request.variables.set("sig", "s-" + request.method);',
        '%}',
        `POST ${url}/items/{{id}}`,
        'X-Sig: {{sig}}',
        'Content-Type: application/json',
        '',
        '{"id": "{{id}}"}',
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]!.url).toBe('/items/42');
    expect(header(sent[0], 'x-sig')).toBe('s-POST');
    expect(sent[0]!.body.toString()).toBe('{"id": "42"}');
  });
});

describe('http-client.env.json and the private file', () => {
  test('the selected environment over $shared, the private file over the public one, found from a nested folder', async () => {
    const { result, sent } = await runProject(
      {
        'http-client.env.json': JSON.stringify({
          $shared: { base: url, version: 'v1', who: 'shared' },
          dev: { who: 'dev', key: 'public-key' },
        }),
        'http-client.private.env.json': JSON.stringify({ dev: { key: 'private-key' } }),
        'api/v1/users/main.http': 'GET {{base}}/{{version}}/{{who}}\nX-Key: {{key}}\n',
      },
      'api/v1/users/main.http',
      { env: 'dev' },
    );
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]!.url).toBe('/v1/dev');
    expect(header(sent[0], 'x-key')).toBe('private-key');
  });

  test('the nearest env file wins over one further up', async () => {
    const { sent } = await runProject(
      {
        'http-client.env.json': JSON.stringify({ dev: { base: url, where: 'top' } }),
        'sub/http-client.env.json': JSON.stringify({ dev: { base: url, where: 'sub' } }),
        'sub/main.http': 'GET {{base}}/{{where}}\n',
      },
      'sub/main.http',
      { env: 'dev' },
    );
    expect(sent.map((r) => r.url)).toEqual(['/sub']);
  });

  test('request.environment.get reads the selected environment in a script', async () => {
    const { result, sent } = await runProject(
      {
        'http-client.env.json': JSON.stringify({ dev: { base: url, tenant: 't-9' } }),
        'main.http': [
          '< {%',
          '  request.variables.set("tenant_header", "tenant=" + request.environment.get("tenant"));',
          '%}',
          'GET {{base}}/env',
          'X-Tenant: {{tenant_header}}',
          '',
        ].join('\n'),
      },
      'main.http',
      { env: 'dev' },
    );
    expect(result.summary.exitCode).toBe(0);
    expect(header(sent[0], 'x-tenant')).toBe('tenant=t-9');
  });
});

describe('dynamic variables (JetBrains forms)', () => {
  test('$uuid, $random.uuid, $timestamp, $isoTimestamp, $randomInt and the $random.* functions', async () => {
    const lines = [
      'uuid={{$uuid}}',
      'ruuid={{$random.uuid}}',
      'ts={{$timestamp}}',
      'iso={{$isoTimestamp}}',
      'int={{$randomInt}}',
      'rint={{$random.integer(5, 6)}}',
      'float={{$random.float(1, 2)}}',
      'alpha={{$random.alphabetic(8)}}',
      'alnum={{$random.alphanumeric(6)}}',
      'hex={{$random.hexadecimal(10)}}',
      'email={{$random.email}}',
    ];
    const before = Math.floor(Date.now() / 1000);
    const { result, sent } = await runProject({ 'main.http': `POST ${url}/dyn\n\n${lines.join('\n')}\n` });
    expect(result.summary.exitCode).toBe(0);
    const values = Object.fromEntries(sent[0]!.body.toString().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(values.uuid).toMatch(uuid);
    expect(values.ruuid).toMatch(uuid);
    expect(Number(values.ts)).toBeGreaterThanOrEqual(before);
    expect(Number(values.ts)).toBeLessThanOrEqual(before + 60);
    expect(values.iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Number(values.int)).toBeGreaterThanOrEqual(0);
    expect(Number(values.int)).toBeLessThanOrEqual(1000);
    expect(['5', '6']).toContain(values.rint);
    expect(Number(values.float)).toBeGreaterThanOrEqual(1);
    expect(Number(values.float)).toBeLessThanOrEqual(2);
    expect(values.alpha).toMatch(/^[A-Za-z]{8}$/);
    expect(values.alnum).toMatch(/^[A-Za-z0-9_]{6}$/); // JetBrains: letters, digits and underscores
    expect(values.hex).toMatch(/^[0-9a-fA-F]{10}$/);
    expect(values.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });
});

describe('import and run', () => {
  test('import of a file that itself imports: run #Name reaches a request two files away, and its globals come back', async () => {
    const { result, sent } = await runProject({
      'auth/login.http': `### Login\nPOST ${url}/login\n\n> {%\n  client.global.set("token", response.body.token);\n%}\n`,
      'auth/index.http': 'import ./login.http\n',
      'main.http': `import ./auth/index.http\n\nrun #Login\n\n### Me\nGET ${url}/me\nAuthorization: Bearer {{token}}\n`,
    });
    expect(result.files[0]!.error).toBeNull();
    expect(outcomes(result)).toEqual([
      ['Login', 'passed'],
      ['Me', 'passed'],
    ]);
    expect(sent.map((r) => r.url)).toEqual(['/login', '/me']);
    expect(header(sent[1], 'authorization')).toBe('Bearer tok-1');
  });
  test('run #Name (@var=value, ...) and run ./file (@var=value) run with those values, each time asked', async () => {
    const { result, sent } = await runProject({
      'auth.http': `@user = nobody\n@role = guest\n\n### Login\nGET ${url}/login?user={{user}}&role={{role}}\n`,
      'main.http': [
        'import ./auth.http',
        '',
        'run #Login (@user=alice)',
        'run #Login (@user=bob, @role=admin)',
        'run ./auth.http (@user=carol)',
        '',
      ].join('\n'),
    });
    expect(result.files[0]!.error).toBeNull();
    expect(sent.map((r) => r.url)).toEqual([
      '/login?user=alice&role=guest',
      '/login?user=bob&role=admin',
      '/login?user=carol&role=guest',
    ]);
    expect(outcomes(result)).toEqual([
      ['Login', 'passed'],
      ['Login', 'passed'],
      ['Login', 'passed'],
    ]);
  });

  test('--var still wins over a run #Name override', async () => {
    const root = project({
      'auth.http': `@user = nobody\n\n### Login\nGET ${url}/login?user={{user}}\n`,
      'main.http': 'import ./auth.http\n\nrun #Login (@user=alice)\n',
    });
    const before = server.requests.length;
    await run([join(root, 'main.http')], { cwd: root, processEnv: {}, vars: { user: 'cli' } });
    expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/login?user=cli']);
  });

  test('an import cycle (a imports b, b imports a) runs each request once', async () => {
    const { result, sent } = await runProject({
      'b.http': `import ./main.http\n\n### B1\nGET ${url}/b1\n`,
      'main.http': `import ./b.http\n\n### A1\nGET ${url}/a1\n\n###\nrun #B1\n\n### A2\nGET ${url}/a2\n`,
    });
    expect(result.files[0]!.error).toBeNull();
    expect(outcomes(result)).toEqual([
      ['A1', 'passed'],
      ['B1', 'passed'],
      ['A2', 'passed'],
    ]);
    expect(sent.map((r) => r.url)).toEqual(['/a1', '/b1', '/a2']);
  });
});

describe('per-request options', () => {
  test('cookies are kept across requests of a file; # @no-cookie-jar neither sends nor stores them', async () => {
    const { sent } = await runProject({
      'main.http': [
        `GET ${url}/set-cookie`,
        '',
        '###',
        '# @no-cookie-jar',
        `GET ${url}/without`,
        '',
        '###',
        `GET ${url}/with`,
        '',
      ].join('\n'),
    });
    expect(sent.map((r) => [r.url, header(r, 'cookie')])).toEqual([
      ['/set-cookie', undefined],
      ['/without', undefined],
      ['/with', 'sid=abc'],
    ]);
  });

  test('# @no-redirect: the 302 itself is the response', async () => {
    const { result, sent } = await runProject({
      'main.http': `# @no-redirect\nGET ${url}/redirect\n\n?? status == 302\n?? header location == /login\n\n###\nGET ${url}/redirect\n\n?? status == 200\n`,
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/redirect', '/redirect', '/login']);
  });

  test('# @timeout with a unit ends a slow request errored; a bare number is seconds', async () => {
    const { result } = await runProject({
      'main.http': `# @timeout 300 ms\nGET ${url}/slow\n\n###\n# @timeout 5\n# @connection-timeout 2\n# @no-log\nGET ${url}/slow\n`,
    });
    const [fast, patient] = result.files[0]!.requests;
    expect(fast!.outcome).toBe('errored');
    expect(fast!.error).toMatch(/timed out|timeout/i);
    expect(patient!.outcome).toBe('passed');
    expect(result.summary.exitCode).toBe(3);
  });

  test('@no-log, @timeout and @connection-timeout are known keys: check gives no warning', async () => {
    const root = project({ 'main.http': `# @no-log\n# @timeout 5\n# @connection-timeout 2 s\nGET ${url}/x\n` });
    const cli = await runCli(['check', 'main.http'], { cwd: root });
    expect(cli.code).toBe(0);
    expect(cli.stdout + cli.stderr).toContain('1 clean, 0 errors, 0 warnings');
  });
});

describe('>> file, >>! file and <> file', () => {
  test('>> keeps an existing file and writes name-1.ext, then name-2.ext; >>! overwrites', async () => {
    const { result, root } = await runProject({
      'out/login.json': 'old',
      'out/forced.json': 'old',
      'main.http': [
        `GET ${url}/login`,
        '',
        '>> ./out/login.json',
        '',
        '###',
        `GET ${url}/vnd`,
        '',
        '>> ./out/login.json',
        '',
        '###',
        `GET ${url}/login`,
        '',
        '>>! ./out/forced.json',
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(readFileSync(join(root, 'out/login.json'), 'utf8')).toBe('old');
    expect(readFileSync(join(root, 'out/login-1.json'), 'utf8')).toBe('{"token": "tok-1", "user": {"id": 7}}');
    expect(readFileSync(join(root, 'out/login-2.json'), 'utf8')).toBe('{"data": {"id": "x"}}');
    expect(readFileSync(join(root, 'out/forced.json'), 'utf8')).toBe('{"token": "tok-1", "user": {"id": 7}}');
  });

  test('a second >> line is ignored with a located warning; the first file is written', async () => {
    const root = project({ 'main.http': `GET ${url}/login\n\n>> ./a.json\n>>! ./b.json\n` });
    const cli = await runCli(['run', 'main.http'], { cwd: root });
    expect(cli.code).toBe(0);
    expect(cli.stdout + cli.stderr).toContain('main.http:4:1: warning: a response is saved once, to the file of the first `>>` line (line 3); this one is ignored');
    expect(existsSync(join(root, 'a.json'))).toBe(true);
    expect(existsSync(join(root, 'b.json'))).toBe(false);
  });

  test('<> ./previous.json is ignored with a warning; the request still runs', async () => {
    const root = project({ 'main.http': `GET ${url}/login\n\n<> ./2024-01-01T000000.200.json\n` });
    const cli = await runCli(['run', 'main.http'], { cwd: root });
    expect(cli.code).toBe(0);
    expect(cli.stdout + cli.stderr).toContain("a `<>` reference to a saved response is for comparing in the editor; httprun ignores it");
    expect(existsSync(join(root, '2024-01-01T000000.200.json'))).toBe(false);
  });
});
