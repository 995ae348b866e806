import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type Recorded, type TestServer } from './helpers/server.js';
import { startWatch, type WatchProcess } from './helpers/watch-process.js';

// Audit of what the README promises about watch mode, imports and cookies, read through the real
// CLI against real local servers. Each test reads a behaviour that was wrong before its fix, or
// (said where) the limit of that fix.

let server: TestServer | undefined;
let watchers: WatchProcess[] = [];
afterEach(async () => {
  await Promise.all(watchers.map((watcher) => watcher.stop('SIGKILL')));
  watchers = [];
  await server?.close();
  server = undefined;
});

function watch(args: string[], cwd: string): WatchProcess {
  const watcher = startWatch(args, { cwd });
  watchers.push(watcher);
  return watcher;
}

/** `/login` sets a session cookie; every other path answers 200 with the Cookie header it got. */
async function sessionServer(): Promise<TestServer> {
  server = await serve((request, response) => {
    if (request.url === '/login') return json(response, 200, { token: 'tok-42' }, { 'set-cookie': 'sid=s-1; Path=/; HttpOnly' });
    json(response, 200, { cookie: request.headers.cookie ?? null });
  });
  return server;
}

function cookieOf(requests: readonly Recorded[], url: string): (string | null)[] {
  return requests.filter((r) => r.url === url).map((r) => r.headers.cookie ?? null);
}

function reportOf(root: string): { files: { file: string; requests: { name: string; outcome: string; error?: string }[] }[] } {
  return JSON.parse(readFileSync(join(root, 'report.json'), 'utf8'));
}

// The jar is per file (README), and `run #Login` is how a file signs in through another: the session
// cookie the login received must be in the importer's jar, as in JetBrains and kulala (one jar for all).
test.each([
  ['run #Login', 'import ./auth.http\n\nrun #Login\n'],
  ['run ./auth.http', 'run ./auth.http\n'],
  ['httpyac # @import + # @ref', '# @import ./auth.http\n\n###\n# @ref Login\n'],
])('cookies an imported request receives reach the file that ran it (%s)', async (_, head) => {
  const { url, requests } = await sessionServer();
  const root = project({
    'auth.http': `### Login\n# @name Login\nGET ${url}/login\n`,
    'main.http': `${head}\n### Me\nGET ${url}/me\n\n?? body $.cookie == "sid=s-1"\n`,
  });
  const { code, stdout, stderr } = await runCli(['main.http'], { cwd: root });
  expect(stderr).toBe('');
  expect(stdout).toMatch(/2 requests: 2 passed/);
  expect(code).toBe(0);
  expect(cookieOf(requests, '/me')).toEqual(['sid=s-1']);
});

// An imported request runs once per run; the second importer gets its result, and so must get what
// it left: the values its script set (README: they "reach the importer") and its cookies.
test('a second importer of a request that ran once gets its script values and its cookies too', async () => {
  const { url, requests } = await sessionServer();
  const root = project({
    'auth.http': `### Login\n# @name Login\nGET ${url}/login\n\n> {% client.global.set("token", response.body.token); %}\n`,
    'a.http': `import ./auth.http\n\nrun #Login\n\n### A\nGET ${url}/a?t={{token}}\n\n?? body $.cookie == "sid=s-1"\n`,
    'b.http': `import ./auth.http\n\nrun #Login\n\n### B\nGET ${url}/b?t={{token}}\n\n?? body $.cookie == "sid=s-1"\n`,
  });
  const { code, stdout } = await runCli(['--jobs', '1', 'a.http', 'b.http', '--report-json', 'report.json'], { cwd: root });
  expect(reportOf(root).files.map((f) => [f.file, f.requests.map((r) => [r.name, r.outcome, r.error ?? null])])).toEqual([
    ['a.http', [['Login', 'passed', null], ['A', 'passed', null]]],
    ['b.http', [['B', 'passed', null]]],
  ]);
  expect(stdout).not.toMatch(/undefined variable/);
  expect(code).toBe(0);
  expect(requests.map((r) => [r.url, r.headers.cookie ?? null])).toEqual([
    ['/login', null],
    ['/a?t=tok-42', 'sid=s-1'],
    ['/b?t=tok-42', 'sid=s-1'],
  ]);
});

test('an importer gets the cookies of a request its own file ran first as a file of the run', async () => {
  const { url, requests } = await sessionServer();
  const root = project({
    'auth.http': `### Login\n# @name Login\nGET ${url}/login\n`,
    'main.http': `import ./auth.http\n\nrun #Login\n\n### Me\nGET ${url}/me\n\n?? body $.cookie == "sid=s-1"\n`,
  });
  const { code, stdout } = await runCli(['--jobs', '1', 'auth.http', 'main.http'], { cwd: root });
  expect(stdout).toMatch(/2 requests: 2 passed/);
  expect(code).toBe(0);
  expect(requests.filter((r) => r.url === '/login')).toHaveLength(1);
  expect(cookieOf(requests, '/me')).toEqual(['sid=s-1']);
});

// The limit of the fix above: the cookies go to the file that ran the request, not to every file.
test('an imported request keeps sending its own file\'s cookies, and a file that imports nothing gets none of them', async () => {
  const { url, requests } = await sessionServer();
  const root = project({
    'auth.http': `### Login\n# @name Login\nGET ${url}/login\n\n### Whoami\n# @name Whoami\nGET ${url}/whoami\n`,
    'main.http': `run ./auth.http\n`,
    'other.http': `### Other\nGET ${url}/other\n`,
  });
  const { code } = await runCli(['--jobs', '1', 'main.http', 'other.http'], { cwd: root });
  expect(code).toBe(0);
  expect(cookieOf(requests, '/whoami')).toEqual(['sid=s-1']);
  expect(cookieOf(requests, '/other')).toEqual([null]);
});

// README: watch re-runs a file when "imported or `run` files" change. An import written before its
// file (outside the watched folder) is a change when the file appears. chokidar watches a missing
// file through its folder, but for one missing file per folder only, and only from a moment after it
// said it was ready: the second import of a folder was never seen, the first one sometimes not.
test('watch: imports written before their files (outside the watched folder) re-run the importer as each file appears', async () => {
  const { url, requests } = await sessionServer();
  const root = project({ 'api/main.http': `run ../shared/one.http\nrun ../shared/two.http\n\n###\nGET ${url}/main\n` });
  mkdirSync(join(root, 'shared'));
  const watcher = watch(['api'], root);
  const first = await watcher.nextRun();
  expect(first.text).toContain('cannot read shared/two.http: no such file');
  await watcher.waitFor(/^watching api/m);

  writeFileSync(join(root, 'shared/two.http'), `GET ${url}/two\n`);
  const second = await watcher.nextRun();
  expect(second.reason).toBe('changed: shared/two.http');
  expect(second.text).toContain('cannot read shared/one.http: no such file');
  expect(second.text).not.toContain('shared/two.http: no such file');

  writeFileSync(join(root, 'shared/one.http'), `GET ${url}/one\n`);
  const third = await watcher.nextRun();
  expect(third.reason).toBe('changed: shared/one.http');
  expect(third.summary).toMatch(/^3 requests: 3 passed/);
  expect(requests.map((r) => r.url)).toEqual(['/one', '/two', '/main']);
  expect((await watcher.stop()).code).toBe(0);
});

// Two files that import each other (each runs a request of the other): the check of the inner file
// skips the import back up the chain, so it could not see the request `run #Name` names, and the
// outer file failed with "cannot import ./z.http: … there is no request named "A"" though A is its own.
test('files that import each other run, and check clean, whichever is named', async () => {
  const { url, requests } = await sessionServer();
  const root = project({
    'y.http': `import ./z.http\n\n### A\n# @name A\nGET ${url}/a\n`,
    'z.http': `import ./y.http\n\n### B\n# @name B\nGET ${url}/b\n\n###\nrun #A\n`,
  });
  const y = await runCli(['y.http'], { cwd: root });
  expect(y.stdout).not.toMatch(/no request named/);
  expect(y.stdout).toMatch(/1 request: 1 passed/);
  expect(y.code).toBe(0);
  const z = await runCli(['z.http'], { cwd: root });
  expect(z.stdout).toMatch(/2 requests: 2 passed/);
  expect(z.code).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/a', '/b', '/a']);
  const check = await runCli(['check', 'y.http', 'z.http'], { cwd: root });
  expect(check.stdout).toBe('2 files checked: 2 clean, 0 errors, 0 warnings\n');
  expect(check.code).toBe(0);
});

// An import that fails may well hold the request `run #Login` names: a second error saying Login
// does not exist sent the reader looking for a typo that is not there.
test('a failed import is the one error of its `run #Name` lines', async () => {
  const { url } = await sessionServer();
  const root = project({
    'auth.http': `### Login\n# @name Login\nGET ${url}/login\nContent-Type\n\n{}\n`,
    'main.http': `import ./auth.http\n\nrun #Login\n\n### Me\nGET ${url}/me\n`,
  });
  const { code, stdout } = await runCli(['check', 'main.http'], { cwd: root });
  expect(stdout).toContain('main.http:1:1: error: cannot import ./auth.http: auth.http:4:1: expected a header `Name: value`');
  expect(stdout).not.toMatch(/no request named/);
  expect(stdout).toMatch(/1 error, 0 warnings/);
  expect(code).toBe(2);
});

// README: "A config file created in a folder re-runs the request files in that folder and below it".
// An imported file outside the watched folder reads the config files of its own folder too: one
// created there changes what its importer sends, and was not seen.
test('watch: a config file created beside an imported file outside the watched folder re-runs the importer', async () => {
  const { url, requests } = await sessionServer();
  const root = project({
    'http-client.env.json': JSON.stringify({ $shared: { user: 'root' } }),
    'shared/auth.http': `### Login\n# @name Login\nGET ${url}/login?u={{user}}\n`,
    'api/main.http': `import ../shared/auth.http\n\nrun #Login\n\n### Me\nGET ${url}/me?u={{user}}\n`,
  });
  const watcher = watch(['api'], root);
  expect((await watcher.nextRun()).summary).toMatch(/^2 requests: 2 passed/);
  await watcher.waitFor(/^watching api/m);

  writeFileSync(join(root, 'shared/http-client.env.json'), JSON.stringify({ $shared: { user: 'shared' } }));
  const second = await watcher.nextRun();
  expect(second.reason).toBe('changed: shared/http-client.env.json');
  expect(second.text).toContain('api/main.http');
  expect(requests.map((r) => r.url)).toEqual(['/login?u=root', '/me?u=root', '/login?u=shared', '/me?u=root']);
  expect((await watcher.stop()).code).toBe(0);
});

// README: a request that references another request's response runs after it, and a selection runs
// what it depends on first. `run #Profile` runs one request of another file: the Login it reads was
// never run, and Profile was skipped ("depends on Login, which has not run"), with all that read it.
test('run #Name of a request that reads another request of its file runs that one first, once', async () => {
  server = await serve((request, response) =>
    request.url === '/login' ? json(response, 200, { token: 'tok-42' }) : json(response, 200, { url: request.url }),
  );
  const { url, requests } = server;
  const root = project({
    'auth.http': `### Login\n# @name Login\nPOST ${url}/login\n\n### Profile\n# @name Profile\nGET ${url}/profile?t={{Login.response.body.$.token}}\n`,
    'main.http': `import ./auth.http\n\nrun #Profile\n\n### Me\nGET ${url}/me?from={{Profile.response.body.$.url}}\n\n?? status == 200\n`,
    'both.http': `import ./auth.http\n\nrun #Login\nrun #Profile\n`,
  });
  const { code, stdout } = await runCli(['--jobs', '1', 'main.http', 'both.http', '--report-json', 'report.json'], { cwd: root });
  expect(reportOf(root).files.map((f) => [f.file, f.requests.map((r) => [r.name, r.outcome, r.error ?? null])])).toEqual([
    ['main.http', [['Login', 'passed', null], ['Profile', 'passed', null], ['Me', 'passed', null]]],
    ['both.http', []],
  ]);
  expect(stdout).not.toMatch(/has not run/);
  expect(code).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/login', '/profile?t=tok-42', '/me?from=/profile?t=tok-42']);
});

// An imported request handed its importer every value its file's scripts had set, not the ones it
// set: `run #Refresh` after the importer set its own token put back the token Login had set earlier.
test('an imported request hands over the values its scripts set, not stale ones of its file', async () => {
  const { url, requests } = await sessionServer();
  const root = project({
    'auth.http':
      `### Login\n# @name Login\nGET ${url}/login\n\n> {% client.global.set("token", "from-login"); %}\n\n` +
      `### Refresh\n# @name Refresh\nGET ${url}/refresh\n\n> {% client.global.set("other", "r"); %}\n`,
    'main.http':
      `import ./auth.http\n\nrun #Login\n\n### Mine\nGET ${url}/mine?t={{token}}\n\n> {% client.global.set("token", "mine"); %}\n\n` +
      `###\nrun #Refresh\n\n### Use\nGET ${url}/use?t={{token}}&o={{other}}\n`,
  });
  const { code, stdout } = await runCli(['main.http'], { cwd: root });
  expect(stdout).toMatch(/4 requests: 4 passed/);
  expect(code).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/login', '/mine?t=from-login', '/refresh', '/use?t=mine&o=r']);
});

test('a request of an imported file that another file runs is reported at its own file and line, in every report', async () => {
  const srv = await sessionServer();
  const root = project({
    'auth.http': `### Login\n# @name Login\nPOST ${srv.url}/login\n\n?? status == 500\n`,
    'main.http': 'import ./auth.http\n\nrun #Login\n',
  });
  const run = await runCli(['main.http', '--no-color', '--report-json', 'r.json', '--report-junit', 'r.xml', '--report-tap', 'r.tap', '--report-html', 'r.html'], { cwd: root });
  expect(run.code).toBe(1);
  // Line 5 of auth.http, not of main.http (which has three lines).
  expect(run.stdout).toContain('    auth.http:5  ?? status == 500');
  const report = JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')) as { files: { file: string; requests: { file?: string; line: number }[] }[] };
  expect(report.files.map((file) => [file.file, file.requests.map((request) => [request.file, request.line])])).toEqual([['main.http', [['auth.http', 3]]]]);
  expect(readFileSync(join(root, 'r.xml'), 'utf8')).toContain('classname="main.http" file="auth.http" line="3"');
  expect(readFileSync(join(root, 'r.tap'), 'utf8')).toMatch(/file: auth\.http\n\s+line: 5/);
  expect(readFileSync(join(root, 'r.html'), 'utf8')).toContain('<p class="where">auth.http:3</p>');
  // A request of the file itself carries no `file`: its lines count where it is reported.
  const own = await runCli(['auth.http', '--report-json', 'own.json'], { cwd: root });
  expect(own.code).toBe(1);
  expect(JSON.parse(readFileSync(join(root, 'own.json'), 'utf8')).files[0].requests[0].file).toBeUndefined();
});

test('after a 302 the result names the method and URL of the hop that answered (a POST becomes a GET there)', async () => {
  server = await serve((request, response) => {
    if (request.url === '/login') return void response.writeHead(302, { location: '/home' }).end();
    json(response, 200, { method: request.method });
  });
  const root = project({ 'r.http': `POST ${server.url}/login\nContent-Type: application/json\n\n{"a": 1}\n\n?? body $.method == "GET"\n` });
  const run = await runCli(['r.http', '--no-color', '--report-json', 'r.json'], { cwd: root });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`GET ${server.url}/home  200`);
  const request = JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')).files[0].requests[0];
  expect([request.method, request.url, request.redirects]).toEqual(['GET', `${server.url}/home`, [`${server.url}/login`]]);
});
