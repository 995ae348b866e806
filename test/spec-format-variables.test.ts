// SPEC §3 "Variables", "Secrets", "Captures" and §7 "Dynamic values", "File variables", "Placeholders",
// checked on what a recording server receives.
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { run, type RunEvent } from '../src/index.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { project } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function echo(): Promise<TestServer> {
  server = await serve((request, response) => {
    if (request.url.startsWith('/login')) {
      json(response, 200, { token: 'tok-1', user: { id: 7 } }, { location: '/users/7' });
      return;
    }
    if (request.url.startsWith('/xml')) {
      response.writeHead(200, { 'content-type': 'application/xml' }).end('<status><id>99</id></status>');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('plain text body');
  });
  return server;
}

async function send(text: string, options: { processEnv?: Record<string, string>; files?: Record<string, string> } = {}) {
  const diagnostics: Diagnostic[] = [];
  const reporter = {
    onEvent: (event: RunEvent) => {
      if (event.type === 'diagnostics') diagnostics.push(...event.diagnostics);
    },
    onEnd: () => undefined,
  };
  const root = project({ 'a.http': text, ...options.files });
  const result = await run([join(root, 'a.http')], { cwd: root, processEnv: options.processEnv ?? {}, reporters: [reporter] });
  return { result, diagnostics, requests: server!.requests };
}

/** Sends `GET url/?v={{expr}}` n times in one file and returns the values the server saw. */
async function values(expression: string, times = 1): Promise<string[]> {
  const { url } = await echo();
  const text = Array.from({ length: times }, (_, i) => `### r${i}\nGET ${url}/?v={{${expression}}}\n`).join('\n');
  const { result, requests } = await send(text);
  expect(result.files[0]?.error, expression).toBeNull();
  return requests.map((r) => decodeURIComponent(new URL(r.url, 'http://x').searchParams.get('v') ?? ''));
}

test('$timestamp is Unix seconds', async () => {
  const before = Math.floor(Date.now() / 1000);
  const [value] = await values('$timestamp');
  expect(value).toMatch(/^\d{10}$/);
  expect(Number(value)).toBeGreaterThanOrEqual(before);
  expect(Number(value)).toBeLessThanOrEqual(before + 60);
});

test('$timestamp takes an offset', async () => {
  const now = Math.floor(Date.now() / 1000);
  const [value] = await values('$timestamp -1 d');
  expect(Math.abs(Number(value) - (now - 86_400))).toBeLessThan(60);
});

test('$randomInt without arguments is within 0..1000', async () => {
  const all = await values('$randomInt', 40);
  for (const value of all) {
    expect(value).toMatch(/^\d+$/);
    expect(Number(value)).toBeGreaterThanOrEqual(0);
    expect(Number(value)).toBeLessThanOrEqual(1000);
  }
});

test('$randomInt min max stays in range', async () => {
  for (const value of await values('$randomInt 5 7', 30)) expect([5, 6]).toContain(Number(value));
});

test('$random.integer(a, b) includes b', async () => {
  const seen = new Set(await values('$random.integer(1, 2)', 40));
  expect(seen).toEqual(new Set(['1', '2']));
});

test.each([
  ['$uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
  ['$guid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
  ['$random.uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
  ['$isoTimestamp', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/],
  ['$datetime iso8601', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/],
  ['$datetime rfc1123', /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/],
  ['$datetime "YYYY-MM-DD"', /^\d{4}-\d\d-\d\d$/],
  ['$datetime "DD-MM-YYYY" 1 y', /^\d\d-\d\d-\d{4}$/],
  ['$localDatetime "YYYY-MM-DD HH:mm"', /^\d{4}-\d\d-\d\d \d\d:\d\d$/],
  ['$localDatetime iso8601', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/],
  ['$random.float(1, 2)', /^1(\.\d+)?$|^2$/],
  ['$random.alphabetic(6)', /^[A-Za-z]{6}$/],
  ['$random.alphanumeric(8)', /^[A-Za-z0-9_]{8}$/],
  ['$random.hexadecimal(5)', /^[0-9a-fA-F]{5}$/],
  ['$random.email', /^[^@\s]+@[^@\s]+\.[^@\s]+$/],
])('%s has the documented shape', async (expression, shape) => {
  const [value] = await values(expression);
  expect(value).toMatch(shape);
});

test('$datetime offsets accept every unit y Q M w d h m s ms', async () => {
  for (const unit of ['y', 'Q', 'M', 'w', 'd', 'h', 'm', 's', 'ms']) {
    const [value] = await values(`$datetime "YYYY" 1 ${unit}`);
    expect(value, unit).toMatch(/^\d{4}$/);
    await server?.close();
    server = undefined;
  }
});

test('$processEnv and $dotenv read the environment and .env', async () => {
  const { url } = await echo();
  const { result, requests } = await send(`GET ${url}/?a={{$processEnv FROM_ENV}}&b={{$dotenv FROM_DOTENV}}\n`, {
    processEnv: { FROM_ENV: 'one' },
    files: { '.env': 'FROM_DOTENV=two\n' },
  });
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.url).toBe('/?a=one&b=two');
});

test("a variable's placeholders are read at its own line; httpyac's := reads them where it is used", async () => {
  const { url } = await echo();
  const text = [
    '@bar = bar',
    '@fixed = foo{{bar}}',
    '@lazy := foo{{bar}}',
    '###',
    `GET ${url}/one?fixed={{fixed}}&lazy={{lazy}}`,
    '',
    '###',
    '@bar = bar2',
    `GET ${url}/two?fixed={{fixed}}&lazy={{lazy}}`,
    '',
  ].join('\n');
  const { result, requests } = await send(text);
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/one?fixed=foobar&lazy=foobar', '/two?fixed=foobar&lazy=foobar2']);
});

test('file variables apply from their line on, may be redefined, and a use before the first definition takes it', async () => {
  const { url } = await echo();
  const text = [
    `GET ${url}/early?v={{v}}`,
    '',
    '###',
    '@v = first',
    `GET ${url}/one?v={{v}}`,
    '',
    '###',
    '@v = second',
    `GET ${url}/two?v={{v}}`,
    '',
  ].join('\n');
  const { result, requests } = await send(text);
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/early?v=first', '/one?v=first', '/two?v=second']);
});

test('{{name}} is a plain look-up, never JavaScript', async () => {
  const { url } = await echo();
  const { result, requests } = await send(`@a = 1\nGET ${url}/?v={{a + 1}}\n`);
  expect(requests).toHaveLength(0);
  expect(result.summary.exitCode).toBe(2);
});

test('secrets resolve from the process environment before .env, anywhere a value stands', async () => {
  const { url } = await echo();
  const text = `POST ${url}/s/<<ID>>?k=<<KEY>>\nX-Token: <<KEY>>\n\n{"k": "<<KEY>>"}\n`;
  const { result, requests } = await send(text, { processEnv: { KEY: 'from-env' }, files: { '.env': 'KEY=from-dotenv\nID=42\n' } });
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.url).toBe('/s/42?k=from-env');
  expect(requests[0]?.headers['x-token']).toBe('from-env');
  expect(requests[0]?.body.toString()).toBe('{"k": "from-env"}');
  expect(JSON.stringify(result)).not.toContain('from-env');
});

test('missing secrets are all reported at once, at the line of each placeholder, before anything is sent', async () => {
  const { url } = await echo();
  const text = [`GET ${url}/ok`, '', '###', `GET ${url}/a?k=<<ONE>>`, 'X-B: <<TWO>>', ''].join('\n');
  const { result, diagnostics, requests } = await send(text);
  expect(requests).toHaveLength(0);
  expect(result.summary.exitCode).toBe(2);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => [d.span.start.line, d.message.includes('ONE') || d.message.includes('TWO')])).toEqual([
    [4, true],
    [5, true],
  ]);
});

test('an undefined variable is reported at its line and the file sends nothing; other files run', async () => {
  const { url } = await echo();
  const root = project({ 'bad.http': `GET ${url}/first\n\n###\nGET ${url}/x?v={{nope}}\n`, 'good.http': `GET ${url}/good\n` });
  const result = await run([join(root, 'bad.http'), join(root, 'good.http')], { cwd: root, processEnv: {} });
  expect(server!.requests.map((r) => r.url)).toEqual(['/good']);
  expect(result.files[0]?.error).toMatch(/bad\.http:4:\d+: .*nope/);
  expect(result.summary.exitCode).toBe(2);
});

test('captures: JSONPath, headers, status, whole body and XPath from an earlier response', async () => {
  const { url } = await echo();
  const text = [
    '# @name login',
    `GET ${url}/login`,
    '',
    '###',
    '# @name xml',
    `GET ${url}/xml`,
    '',
    '###',
    '@token = {{login.response.body.$.token}}',
    `GET ${url}/use?t={{token}}&id={{login.response.body.$.user.id}}&loc={{login.response.headers.Location}}&s={{login.response.status}}&x={{xml.response.body.//status/id}}`,
    '',
  ].join('\n');
  const { result, requests } = await send(text);
  expect(result.summary.exitCode).toBe(0);
  expect(decodeURIComponent(requests[2]!.url)).toBe('/use?t=tok-1&id=7&loc=/users/7&s=200&x=99');
});

test('a request referencing a later one runs after it, and the later one does not run again', async () => {
  const { url } = await echo();
  const text = [`GET ${url}/use?t={{login.response.body.$.token}}`, '', '###', '# @name login', `GET ${url}/login`, ''].join('\n');
  const { result, requests } = await send(text);
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.url)).toEqual(['/login', '/use?t=tok-1']);
});

test("a request that reads its own response before it is sent is an error found before anything is sent; its assertions may", async () => {
  const { url } = await echo();
  const text = [
    '# @name login',
    `GET ${url}/login`,
    '',
    '?? body $.token == {{login.response.body.$.token}}',
    '',
    '###',
    '# @name me',
    '@id = {{me.response.body.$.user.id}}',
    `GET ${url}/users/{{id}}`,
    '',
  ].join('\n');
  const { result, diagnostics, requests } = await send(text);
  expect(requests).toEqual([]);
  expect(result.summary.exitCode).toBe(2);
  const own = diagnostics.filter((d) => d.code === 'resolve/own-response');
  expect(own.map((d) => [d.message, d.span.start.line, d.span.start.column])).toEqual([
    ['{{me.response.body.$.user.id}} reads the response of "me" itself, which does not exist before the request is sent', 8, 7],
  ]);
  expect(own[0]?.hint).toBe('take the value from an earlier request; to check the response, write an assertion (`?? body $.id exists`)');
});

test('{{name.response.body.*}} is the whole body', async () => {
  const { url } = await echo();
  const text = ['# @name p', `GET ${url}/plain`, '', '###', `POST ${url}/echo`, '', '{{p.response.body.*}}', ''].join('\n');
  const { requests } = await send(text);
  expect(requests[1]?.body.toString()).toBe('plain text body');
});
