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
