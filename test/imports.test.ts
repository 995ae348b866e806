import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { run } from '../src/index.js';
import { project } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function authServer(): Promise<TestServer> {
  server = await serve((request, response) => {
    if (request.url === '/login') return json(response, 200, { token: 'tok-42' });
    json(response, request.headers.authorization === 'Bearer tok-42' ? 200 : 401, { url: request.url });
  });
  return server;
}

test('JetBrains import + run #Login: the login runs first and its script globals reach the importer', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'auth.http': `### Login\nPOST ${url}/login\n\n> {%\n  client.global.set("token", response.body.token);\n%}\n`,
    'main.http': `import ./auth.http\n\n###\nrun #Login\n\n### Me\nGET ${url}/me\nAuthorization: Bearer {{token}}\n\n?? status == 200\n`,
  });
  const result = await run([join(root, 'main.http')], { cwd: root });
  expect(result.files[0]?.error).toBeNull();
  expect(result.files[0]?.requests.map((r) => [r.name, r.outcome])).toEqual([
    ['Login', 'passed'],
    ['Me', 'passed'],
  ]);
  expect(requests.map((r) => r.url)).toEqual(['/login', '/me']);
});

test('httpyac # @import + # @ref: an imported request runs once per run, whoever needs it', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'auth.http': `# @name login\nPOST ${url}/login\n`,
    'a.http': `# @import ./auth.http\n\n###\n# @ref login\nGET ${url}/a\nAuthorization: Bearer {{login.response.body.$.token}}\n\n?? status == 200\n`,
    'b.http': `# @import ./auth.http\n\n###\nGET ${url}/b\nAuthorization: Bearer {{login.token}}\n\n?? status == 200\n`,
  });
  const result = await run([join(root, 'a.http'), join(root, 'b.http')], { cwd: root, jobs: 2 });
  expect(result.summary.exitCode).toBe(0);
  expect(requests.filter((r) => r.url === '/login')).toHaveLength(1);
  expect(requests.map((r) => r.url).sort()).toEqual(['/a', '/b', '/login']);
});

test.each([
  ['the importer first', ['a.http', 'auth.http'], 1],
  ['the imported file first', ['auth.http', 'a.http'], 2],
])('a file that is run and also imported sends its request once (%s); the importer reads its body', async (_, order, jobs) => {
  const { url, requests } = await authServer();
  const root = project({
    'auth.http': `### login\n# @name login\nPOST ${url}/login\n\n?? status == 200\n`,
    'a.http': `# @import ./auth.http\n\n### me\nGET ${url}/me\nAuthorization: Bearer {{login.response.body.$.token}}\n\n?? status == 200\n`,
  });
  const result = await run(order.map((file) => join(root, file)), { cwd: root, jobs });
  expect(requests.filter((r) => r.url === '/login')).toHaveLength(1);
  expect(result.summary.exitCode).toBe(0);
  // Reported once, in the file that ran it first.
  expect(result.summary.requests).toBe(2);
  expect(result.files.flatMap((file) => file.requests.map((r) => r.name)).sort()).toEqual(['login', 'me']);
});

test('an imported file\'s @variables are defined in the importer, below its own; a later import wins', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'constants.http': `@base = ${url}\n@path = /first\n@who = constants\n@path = /items\n`,
    'more.http': `@who = more\n`,
    'main.http': `import ./constants.http\n# @import ./more.http\n@mine = own\n\n### list\nGET {{base}}{{path}}?who={{who}}&mine={{mine}}\n`,
    'override.http': `import ./constants.http\n@path = /mine\n\n###\nGET {{base}}{{path}}\n`,
  });
  const result = await run([join(root, 'main.http'), join(root, 'override.http')], { cwd: root, jobs: 1 });
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/items?who=more&mine=own', '/mine']);
});

test('an imported variable that captures an imported response runs that request first', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'auth.http': `@token = {{login.response.body.$.token}}\n\n### login\n# @name login\nPOST ${url}/login\n`,
    'main.http': `# @import ./auth.http\n\n### me\nGET ${url}/me\nAuthorization: Bearer {{token}}\n\n?? status == 200\n`,
  });
  const result = await run([join(root, 'main.http')], { cwd: root });
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/login', '/me']);
});

test('httpyac: # @ref / # @forceRef in a block without a request line runs that request there, once', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'main.http': `### first\nGET ${url}/first\n\n###\n# @forceRef login\n\n###\n# @name vars\n@who = me\n\n###\n# @ref vars\n\n### login\n# @name login\nPOST ${url}/login\n\n### me\n# @ref login\nGET ${url}/me?who={{who}}\nAuthorization: Bearer {{login.response.body.$.token}}\n`,
  });
  const result = await run([join(root, 'main.http')], { cwd: root });
  expect(result.files[0]?.error).toBeNull();
  expect(requests.map((r) => r.url)).toEqual(['/first', '/login', '/me?who=me']);
});

test('run ./other.http runs every request of that file in place', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'other.http': `GET ${url}/one\n\n###\nGET ${url}/two\n`,
    'main.http': `GET ${url}/before\n\n###\nrun ./other.http\n\n###\nGET ${url}/after\n`,
  });
  const result = await run([join(root, 'main.http')], { cwd: root });
  expect(result.files[0]?.requests).toHaveLength(4);
  expect(requests.map((r) => r.url)).toEqual(['/before', '/one', '/two', '/after']);
});

test('a file that run names runs its own run lines in place too, with the outer values; a cycle stops', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'b.http': `@who = b\n\nGET ${url}/b?who={{who}}\n\n###\nrun ./suite.http\n`,
    'c.http': `@who = c\n\n### Request 1\nGET ${url}/c1\n\n### Request 2\nGET ${url}/c2?who={{who}}\n`,
    'suite.http': `import ./c.http\n\nrun ./b.http\n\n###\nrun #Request 2 (@who=inner)\n\n###\nGET ${url}/suite\n`,
    'main.http': `@who = main\n\nGET ${url}/first\n\n###\nrun ./suite.http (@who=outer)\n`,
  });
  const result = await run([join(root, 'main.http')], { cwd: root });
  expect(result.files[0]?.error).toBeNull();
  expect(requests.map((r) => r.url)).toEqual(['/first', '/b?who=outer', '/c2?who=inner', '/suite']);
});

test('a missing import and an unknown run #Name are located errors, and nothing is sent', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'main.http': `import ./nope.http\n\n###\nrun #Ghost\n\n###\nGET ${url}/x\n`,
    'auth.http': `### Login\nPOST ${url}/login\n`,
    'other.http': `import ./auth.http\n\n###\nrun #Ghost\n\n###\nGET ${url}/x\n`,
  });
  const result = await run([join(root, 'main.http'), join(root, 'other.http')], { cwd: root });
  expect(result.summary.exitCode).toBe(2);
  // The import that failed may hold Ghost: its own error is the one to read (no "(and 1 more)").
  expect(result.files[0]?.error).toMatch(/^main\.http:1:1: cannot import \.\/nope\.http: nope\.http:1:1: cannot read nope\.http: no such file$/);
  expect(result.files[1]?.error).toBe('other.http:4:1: run #Ghost: there is no request named "Ghost" here or in an imported file');
  expect(requests).toHaveLength(0);
});

test('a path with a space needs no quotes: `import ./my auth.http`, `# @import`, `run ./my login.http (@x=1)`', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'my auth.http': `### Login\nPOST ${url}/login\n\n> {%\n  client.global.set("token", response.body.token);\n%}\n`,
    'my other.http': `### Other\nGET ${url}/other?x={{x}}\n`,
    'main.http': `import ./my auth.http\n# @import ./my auth.http\n\n###\nrun #Login\n\n###\nrun ./my other.http (@x=1)\n\n### Me\nGET ${url}/me\nAuthorization: Bearer {{token}}\n\n?? status == 200\n`,
  });
  const result = await run([join(root, 'main.http')], { cwd: root });
  expect(result.files[0]?.error).toBeNull();
  expect(result.files[0]?.requests.map((r) => [r.name, r.outcome])).toEqual([
    ['Login', 'passed'],
    ['Other', 'passed'],
    ['Me', 'passed'],
  ]);
  expect(requests.map((r) => r.url)).toEqual(['/login', '/other?x=1', '/me']);
});

test('`run ./file.http (@x=1)` gives that file x; without the value, its undefined {{x}} is the importer\'s located error', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'other.http': `### Other\nGET ${url}/other?x={{x}}\n`,
    'given.http': `###\nrun ./other.http (@x=7)\n`,
    'missing.http': `###\nrun ./other.http\n`,
  });
  const given = await run([join(root, 'given.http')], { cwd: root });
  expect(given.files[0]?.requests.map((r) => [r.name, r.outcome, r.url])).toEqual([['Other', 'passed', `${url}/other?x=7`]]);
  const missing = await run([join(root, 'missing.http')], { cwd: root });
  expect(missing.files[0]?.error).toBe('missing.http:2:1: cannot run ./other.http: other.http:2:36: undefined variable {{x}}');
  expect(missing.summary.exitCode).toBe(2);
  expect(requests.map((r) => r.url)).toEqual(['/other?x=7']);
});

test('client.global.clearAll() in an imported request clears the importer\'s values too; what it sets after stays', async () => {
  const { url, requests } = await authServer();
  const root = project({
    'logout.http': `### Logout\nPOST ${url}/logout\n\n> {%\n  client.global.clearAll();\n  client.global.set("state", "out");\n%}\n`,
    'main.http':
      `import ./logout.http\n\n### Login\nPOST ${url}/login\n\n> {% client.global.set("token", response.body.token); %}\n\n` +
      `###\nrun #Logout\n\n### After\nGET ${url}/after?state={{state}}\n\n> {% client.test("token is gone", () => client.assert(client.global.get("token") === null)); %}\n`,
  });
  const result = await run([join(root, 'main.http')], { cwd: root });
  expect(result.files[0]?.requests.map((r) => [r.name, r.outcome])).toEqual([
    ['Login', 'passed'],
    ['Logout', 'passed'],
    ['After', 'passed'],
  ]);
  expect(requests.map((r) => r.url)).toEqual(['/login', '/logout', '/after?state=out']);
});
