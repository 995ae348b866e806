// kulala's shared block (https://neovim.getkulala.net/docs/usage/shared-blocks): the request of a first
// block titled `### Shared` runs before the request you run: httprun runs it before the requests a
// selection picks (--name, --line, --tag), once; a whole-file run already starts with it. `### Shared
// each` runs it again before every later request.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { planFile } from '../src/plan/plan-file.js';
import { parse, sharedBlockOf } from '../src/syntax/parse.js';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

let server: TestServer;
/** Logins at `/fresh-login` so far: each gets its own token, so a later request shows which it read. */
let freshLogins = 0;

beforeAll(async () => {
  server = await serve((request, response) => {
    const token = request.url === '/fresh-login' ? `t${++freshLogins}` : 'abc';
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, url: request.url }));
  });
});
afterAll(() => server?.close());

const file = (base: string, title = 'Shared') => `### ${title}
# @name login
POST ${base}/login

### first
GET ${base}/first

### second
# @tag smoke
GET ${base}/second?t={{login.response.body.$.token}}
`;

async function sent(text: string, args: string[]): Promise<{ code: number | null; urls: string[] }> {
  const root = project({ 'shared.http': text });
  const before = server.requests.length;
  const result = await runCli([...args, 'shared.http', '--no-color'], { cwd: root });
  return { code: result.code, urls: server.requests.slice(before).map((r) => `${r.method} ${r.url}`) };
}

test('a selected request runs after the shared block request; the requests left out do not run', async () => {
  expect(await sent(file(server.url), ['--name', 'first'])).toEqual({ code: 0, urls: ['POST /login', 'GET /first'] });
  expect(await sent(file(server.url), ['--tag', 'smoke'])).toEqual({ code: 0, urls: ['POST /login', 'GET /second?t=abc'] });
  expect(await sent(file(server.url, 'Shared each'), ['--line', '6'])).toEqual({ code: 0, urls: ['POST /login', 'GET /first'] });
});

test('`### Shared each` runs its request again before every later request; references read the latest', async () => {
  const fresh = file(server.url, 'Shared each').replace('/login', '/fresh-login');
  expect(await sent(fresh, [])).toEqual({
    code: 0,
    urls: ['POST /fresh-login', 'GET /first', 'POST /fresh-login', 'GET /second?t=t2'],
  });
  expect(await sent(fresh, ['--name', 'first', '--name', 'second'])).toEqual({
    code: 0,
    urls: ['POST /fresh-login', 'GET /first', 'POST /fresh-login', 'GET /second?t=t4'],
  });
  // Each run is a result of its own: the summary counts four requests.
  const root = project({ 'shared.http': file(server.url, 'Shared each') });
  const cli = await runCli(['shared.http', '--no-color'], { cwd: root });
  expect(cli.stdout).toContain('4 requests: 4 passed');
});

test('a whole-file run sends the shared request once, first; a selection that picks nothing sends nothing', async () => {
  expect(await sent(file(server.url), [])).toEqual({ code: 0, urls: ['POST /login', 'GET /first', 'GET /second?t=abc'] });
  expect((await sent(file(server.url), ['--name', 'nothing'])).urls).toEqual([]);
});

test('the scripts of a shared block without a request run before every request, in its scope', async () => {
  const text = `### Shared
< {%
  request.variables.set("t", "fromShared");
%}

### first
GET ${server.url}/first?t={{t}}

### second
GET ${server.url}/second?t={{t}}
`;
  expect(await sent(text, [])).toEqual({ code: 0, urls: ['GET /first?t=fromShared', 'GET /second?t=fromShared'] });
  expect(await sent(text, ['--name', 'second'])).toEqual({ code: 0, urls: ['GET /second?t=fromShared'] });
});

test('only a first block titled Shared is one; a later `### Shared` is an ordinary request', async () => {
  const requests = (text: string) => parse(text, { file: 'x.http' }).ast.requests;
  expect(sharedBlockOf(requests(file('http://h')))).toMatchObject({ request: { name: 'login' }, each: false });
  expect(sharedBlockOf(requests(file('http://h', 'shared EACH')))).toMatchObject({ request: { name: 'login' }, each: true });
  expect(sharedBlockOf(requests(file('http://h', 'Sharing')))).toBeNull();
  const later = requests(`### first\nGET http://h/first\n\n### Shared\nGET http://h/login\n`);
  expect(sharedBlockOf(later)).toBeNull();

  const [login, first, second] = requests(file('http://h'));
  const order = (names: string[], prelude = login!) =>
    planFile([login!, first!, second!], new Map(), { names, lines: [], tags: [] }, prelude).order.map((r) => r.name);
  expect(order(['second'])).toEqual(['login', 'second']);
  expect(order(['login'])).toEqual(['login']);
  expect(order([])).toEqual(['login', 'first', 'second']);
  expect(order(['none'])).toEqual([]);
});
