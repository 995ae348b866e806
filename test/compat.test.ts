import { afterEach, expect, test } from 'vitest';
import { run } from '../src/index.js';
import { project } from './helpers/cli.js';
import { join } from 'node:path';
import { json, serve, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function echo(): Promise<TestServer> {
  server = await serve((request, response) =>
    json(response, 200, { url: request.url, body: request.body.toString(), args: { id: 'abc-1' } }),
  );
  return server;
}

test('REST Client {{%name}} sends the value percent-encoded', async () => {
  const { url, requests } = await echo();
  const result = await run([{ file: 'a.http', text: `@name = Strunk & White\nGET ${url}/authors/{{%name}}\n` }]);
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.url).toBe('/authors/Strunk%20%26%20White');
});

test("kulala's {{$env.NAME}} reads the process environment", async () => {
  const { url, requests } = await echo();
  const result = await run([{ file: 'a.http', text: `GET ${url}/?t={{$env.HTTPRUN_TEST_TOKEN}}\n` }], {
    processEnv: { HTTPRUN_TEST_TOKEN: 'xyz' },
  });
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.url).toBe('/?t=xyz');
});

test('an environment named "default" applies when none is selected (kulala)', async () => {
  const { url, requests } = await echo();
  const root = project({
    'http-client.env.json': JSON.stringify({ default: { level: 1 }, dev: { level: 2 } }),
    'a.http': `GET ${url}/?level={{ level }}\n`,
  });
  await run([join(root, 'a.http')], { cwd: root });
  await run([join(root, 'a.http')], { cwd: root, env: 'dev' });
  expect(requests.map((r) => r.url)).toEqual(['/?level=1', '/?level=2']);
});

test('httpyac: # @ref runs the named request first, and {{name.path}} reads its JSON body', async () => {
  const { url, requests } = await echo();
  const text = [
    '###',
    '# @ref json',
    `POST ${url}/second`,
    '{{json.args.id}}',
    '',
    '###',
    '# @name json',
    `GET ${url}/first`,
    '',
  ].join('\n');
  const result = await run([{ file: 'ref.http', text }]);
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/first', '/second']);
  expect(requests[1]?.body.toString()).toBe('abc-1');
});

test('a request whose dependency failed is skipped with a reason naming it', async () => {
  server = await serve((request, response) => json(response, request.url === '/login' ? 500 : 200, { token: 't' }));
  const text = `# @name login\nPOST ${server.url}/login\n\n?? status == 200\n\n###\nGET ${server.url}/me?t={{login.response.body.$.token}}\n`;
  const result = await run([{ file: 'dep.http', text }]);
  const [login, me] = result.files[0]!.requests;
  expect(login?.outcome).toBe('failed');
  expect(me).toMatchObject({ outcome: 'skipped', error: 'depends on "login" (line 2), which failed' });
  expect(server.requests).toHaveLength(1);
  expect(result.summary.exitCode).toBe(1);
});

test('an unknown @ref is a located error before anything is sent', async () => {
  const { url, requests } = await echo();
  const result = await run([{ file: 'r.http', text: `# @ref nowhere\nGET ${url}/\n` }]);
  expect(result.summary.exitCode).toBe(2);
  expect(result.files[0]?.error).toBe('r.http:1:1: @ref nowhere: there is no request named "nowhere" in this file or an imported one');
  expect(requests).toHaveLength(0);
});

test('CONNECT (a tunnel) ends errored with a clear reason', async () => {
  const { url, requests } = await echo();
  const result = await run([{ file: 'c.http', text: `CONNECT ${url}/connect\n` }]);
  expect(result.files[0]?.requests[0]).toMatchObject({
    outcome: 'errored',
    error: 'CONNECT requests (tunnels) are not supported by httprun',
  });
  expect(result.summary.exitCode).toBe(3);
  expect(requests).toHaveLength(0);
});

test('--dry-run prints references to responses unresolved, and every dependant is printed too', async () => {
  const { url, requests } = await echo();
  const logs: string[] = [];
  const result = await run(
    [{ file: 'd.http', text: `# @name login\nPOST ${url}/login\n\n###\nGET ${url}/me?t={{login.response.body.$.token}}\n` }],
    { dryRun: true, reporters: [{ onEvent: (e) => void (e.type === 'log' && logs.push(e.message)), onEnd: () => {} }] },
  );
  expect(result.summary.exitCode).toBe(0);
  expect(logs).toEqual([`POST ${url}/login`, `GET ${url}/me?t={{login.response.body.$.token}}`]);
  expect(result.files[0]?.requests.map((r) => r.error)).toEqual(['dry run: not sent', 'dry run: not sent']);
  expect(requests).toHaveLength(0);
});

test('constructs that parse but do not run get located warnings, and the request still runs', async () => {
  const { url, requests } = await echo();
  const text = `GET ${url}/a\n\n<> previous-response.200.json\n\n###\nGET ${url}/b\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{"old": true}\n`;
  const diagnostics: string[] = [];
  const result = await run([{ file: 'w.http', text }], {
    reporters: [{ onEvent: (e) => void (e.type === 'diagnostics' && diagnostics.push(...e.diagnostics.map((d) => `${d.span.start.line} ${d.code}: ${d.message}`))), onEnd: () => {} }],
  });
  expect(result.summary.exitCode).toBe(0);
  expect(requests).toHaveLength(2);
  expect(diagnostics).toEqual([
    '3 run/response-ref-skipped: a `<>` reference to a saved response is for comparing in the editor; httprun ignores it',
    '8 run/pasted-response-skipped: a response pasted after the request is ignored (it is not an expectation; use ?? assertions)',
  ]);
});

test("httpyac's ?? js assertion is skipped with a located warning; the request and its other assertions run", async () => {
  const { url, requests } = await echo();
  const text = `GET ${url}/a\n\n?? js response.parsedBody.x == 1\n?? status == 200\n`;
  const diagnostics: string[] = [];
  const result = await run([{ file: 'j.http', text }], {
    reporters: [{ onEvent: (e) => void (e.type === 'diagnostics' && diagnostics.push(...e.diagnostics.map((d) => `${d.severity} ${d.span.start.line}:${d.span.start.column} ${d.code}`))), onEnd: () => {} }],
  });
  expect(result.summary.exitCode).toBe(0);
  expect(requests).toHaveLength(1);
  expect(diagnostics).toEqual(['warning 3:4 assert/skipped']);
  expect(result.files[0]?.requests[0]?.assertions.map((a) => [a.text, a.passed])).toEqual([['?? status == 200', true]]);
});

test("httpyac's global ?? (a block without a request line) is checked on every response of the file, after the request's own", async () => {
  server = await serve((request, response) => json(response, request.url === '/missing' ? 404 : 200, { url: request.url }));
  const text = `?? status == 200\n?? body $.url exists\n\n###\nGET ${server.url}/a\n\n?? status < 300\n\n###\nGET ${server.url}/missing\n`;
  const result = await run([{ file: 'g.http', text }], {});
  expect(result.summary.exitCode).toBe(1);
  expect(result.files[0]?.requests.map((r) => r.assertions.map((a) => [a.line, a.text, a.passed]))).toEqual([
    [[7, '?? status < 300', true], [1, '?? status == 200', true], [2, '?? body $.url exists', true]],
    [[1, '?? status == 200', false], [2, '?? body $.url exists', true]],
  ]);
});

test('a global ?? that does not parse is a located error before anything is sent', async () => {
  const { url, requests } = await echo();
  const result = await run([{ file: 'g.http', text: `?? status 200\n\n###\nGET ${url}/a\n` }], {});
  expect(result.summary.exitCode).toBe(2);
  expect(requests).toHaveLength(0);
  expect(result.files[0]?.error).toBe('g.http:1:11: expected a predicate such as == after "status", found "200" (did you mean "status == 200"?)');
});

test('what the executor corrects on its own is said as a warning (a wrong Content-Length)', async () => {
  const { url, requests } = await echo();
  const logs: string[] = [];
  const result = await run([{ file: 'cl.http', text: `POST ${url}/x\nContent-Length: 99\n\nabcd\n` }], {
    reporters: [{ onEvent: (e) => void (e.type === 'log' && logs.push(e.message)), onEnd: () => {} }],
  });
  expect(result.summary.exitCode).toBe(0);
  expect(logs).toEqual(['warning: header Content-Length: 99 does not match the body (4 bytes): sent 4']);
  expect(requests[0]?.body.toString()).toBe('abcd');
});

test('@name = {{name}} takes the value from the environment (a common way to re-export it)', async () => {
  const { url, requests } = await echo();
  const root = project({
    'http-client.env.json': JSON.stringify({ dev: { baseUrl: url } }),
    'a.http': '@baseUrl = {{baseUrl}}\n\nGET {{baseUrl}}/from-env\n',
    'b.http': '@baseUrl = {{baseUrl}}\n\nGET {{baseUrl}}/x\n',
  });
  const ok = await run([join(root, 'a.http')], { cwd: root, env: 'dev' });
  expect(ok.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/from-env']);
  const missing = await run([join(root, 'b.http')], { cwd: root });
  expect(missing.files[0]?.error).toBe(
    'b.http:1:12: undefined variable {{baseUrl}}: @baseUrl = {{baseUrl}} takes baseUrl from the environment, and none defines it',
  );
});

test('request.variables.set in a pre-request script lasts for that request only (JetBrains)', async () => {
  const { url, requests } = await echo();
  const text = [
    '@id = file',
    '',
    '< {%',
    '  request.variables.set("id", "42");',
    '%}',
    `GET ${url}/a/{{id}}`,
    '',
    '###',
    `GET ${url}/b/{{id}}`,
    '',
  ].join('\n');
  const result = await run([{ file: 'rv.http', text }]);
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/a/42', '/b/file']);
});

test("httpyac's {{process.env.NAME}} reads the process environment (a look-up, never code)", async () => {
  const { url, requests } = await echo();
  const ok = await run([{ file: 'p.http', text: `GET ${url}/?u={{process.env.HTTPRUN_USER}}\n` }], { processEnv: { HTTPRUN_USER: 'ada' } });
  expect(ok.summary.exitCode).toBe(0);
  expect(requests[0]?.url).toBe('/?u=ada');
  const missing = await run([{ file: 'p.http', text: `GET ${url}/?u={{process.env.HTTPRUN_NOPE}}\n` }], { processEnv: {} });
  expect(missing.files[0]?.error).toMatch(/^p\.http:1:\d+: \$processEnv HTTPRUN_NOPE: "HTTPRUN_NOPE" is not set in the process environment$/);
});
