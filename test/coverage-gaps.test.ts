// Code of src/assert, src/resolve and src/config that no other test ran (found with v8 coverage,
// helper task h36): each case is the input a user would write and the result it must give.
import { beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../src/diagnostics.js';
import { run } from '../src/index.js';
import type { RunEvent } from '../src/run/events.js';
import { loadEnvironment } from '../src/config/environment.js';
import { clearConfigCache } from '../src/config/file-cache.js';
import { readVscodeSettingsFile } from '../src/config/vscode-settings.js';
import { evaluateAssertion, type AssertionOutcome } from '../src/assert/evaluate-assertion.js';
import { parseAssertion } from '../src/assert/parse-assertion.js';
import { ResponseView } from '../src/assert/response-view.js';
import { project } from './helpers/cli.js';
import { answer, fetchExchange } from './helpers/fetch-exchange.js';
import { serve, type TestServer } from './helpers/server.js';

function check(view: ResponseView, source: string): AssertionOutcome {
  const parsed = parseAssertion(source);
  if ('error' in parsed) throw new Error(`${source}: ${parsed.error}`);
  return evaluateAssertion(parsed.assertion, view, { baseDir: '.' });
}

const BODY = `{"nested": {"a": 1}, "big": 123456789012345678901234567890, "zero": 0, "ten": 10, "bang": "a!'()*b",
 "expires": "Wed, 21 Oct 2015 07:28:00 GMT", "file": "0YjQtdC70LvRiw==", "long": "${Buffer.alloc(40, 0xff).toString('base64')}"}`;

let view: ResponseView;
beforeAll(async () => {
  view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'application/json', location: 'http://[::1/x' }, BODY)));
});

/** [assertion, passes?, failure message (when it fails)] */
type Case = [string, boolean, string?];

describe('assertions: filters and comparisons no other test reached', () => {
  test.each<Case>([
    // toString of an object, of bytes (as hex) and of a date (ISO 8601): Hurl's toString of each.
    ['jsonpath $.nested toString == "{\\"a\\":1}"', true],
    ['jsonpath $.file base64Decode toString == d188d0b5d0bbd0bbd18b', true],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" toString == "2015-10-21T07:28:00.000Z"', true],
    // An integer beyond 2^53 stays exact through toInt.
    ['jsonpath $.big toInt == 123456789012345678901234567890', true],
    ['jsonpath $.big toInt == 123456789012345678901234567891', false, 'expected the number 123456789012345678901234567891 but got the number 123456789012345678901234567890'],
    ['jsonpath $.big isTrue', true],
    ['jsonpath $.big isFalse', false, 'expected falsy (false, 0, "" or null), got the number 123456789012345678901234567890'],
    // urlEncode percent-encodes the characters encodeURIComponent leaves alone.
    ['jsonpath $.bang urlEncode == "a%21%27%28%29%2Ab"', true],
    // count of nothing gives nothing: the failure names the query, not a count of 0.
    ['jsonpath $.missing count == 0', false, 'jsonpath $.missing count matched nothing, so there is no value to check against "== 0"'],
    // More than 32 bytes are cut in the message.
    ['jsonpath $.long base64Decode utf8Decode == x', false, `jsonpath $.long base64Decode utf8Decode: utf8Decode: the bytes ${'ff'.repeat(32)}… are not valid UTF-8`],
    ['header location location == x', false, 'header location location: location: the string "http://[::1/x" is not a URL'],
    ['jsonpath $.ten == true', false, 'expected the boolean true but got the number 10\nhint: the types differ: expected a boolean, got a number'],
    ['jsonpath $.ten == [1]', false, 'expected a list of 1 item [1] but got the number 10\nhint: the types differ: expected a list, got a number'],
    // A date against an ISO date without an offset: UTC, with or without seconds.
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == 2015-10-21T07:28:00', true],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == "2015-10-21 07:28"', true],
    // A date against a number or null: the message names the number (it said 'the string "5"' while the hint said 'expected a number').
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == 5', false, 'expected the number 5 but got the date 2015-10-21T07:28:00.000Z\nhint: the types differ: expected a number, got a date'],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == null', false, 'expected null but got the date 2015-10-21T07:28:00.000Z\nhint: the types differ: expected null, got a date'],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" > 5', false, 'cannot order the date 2015-10-21T07:28:00.000Z against the number 5: > compares two numbers or two strings'],
    // A digest of a value that is not the whole body: of its JSON text, of its bytes, of its text.
    ['jsonpath $.nested sha256 015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862', true],
    ['jsonpath $.file base64Decode sha256 lrVHU03q/ol8FPa4bkjR0L6mp+QQkelDsBTgTmYTAbU=', true],
    ['jsonpath $.ten toString sha256 x', false, 'expected the sha256 of jsonpath $.ten toString to be x, got 4a44dc15364204a80fe80e9039455cc1608281820fe2b24f1e5233ade6af1dd5 (base64 SkTcFTZCBKgP6A6QOUVcwWCCgYIP4rJPHlIzreavHdU=)'],
  ])('%s → %s', (source, passes, message) => {
    const outcome = check(view, source);
    expect(outcome.passed, outcome.message).toBe(passes);
    expect(outcome.message).toBe(passes ? undefined : message);
  });

  test('the expected value of a date compared with a number is the number', () => {
    const outcome = check(view, 'jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == 5');
    expect([outcome.expected, outcome.actual]).toEqual([5, '2015-10-21T07:28:00.000Z']);
  });
});

interface Ran {
  /** The paths the server received. */
  paths: string[];
  /** `line:column: message` of each diagnostic, and its hint when it has one. */
  diagnostics: string[];
}

/** Runs a.http of a project (BASE in any file stands for the server's URL) through the library against a real server. */
async function runProject(files: Record<string, string>, options: { env?: string; processEnv?: Record<string, string> } = {}): Promise<Ran> {
  const server: TestServer = await serve((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}'));
  try {
    const diagnostics: Diagnostic[] = [];
    const reporter = { onEvent: (event: RunEvent) => { if (event.type === 'diagnostics') diagnostics.push(...event.diagnostics); }, onEnd: () => undefined };
    const root = project(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, text.replaceAll('BASE', server.url)])));
    await run([join(root, 'a.http')], { cwd: root, processEnv: options.processEnv ?? {}, reporters: [reporter], ...(options.env ? { env: options.env } : {}) });
    return {
      paths: server.requests.map((request) => request.url),
      diagnostics: diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column}: ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`),
    };
  } finally {
    await server.close();
  }
}

describe('resolving: placeholders no other test reached', () => {
  test("httpyac's {{process.env.NAME}} reads the process environment; an unset name is an error at the placeholder", async () => {
    expect(await runProject({ 'a.http': 'GET BASE/{{process.env.APP_PATH}}\n' }, { processEnv: { APP_PATH: 'x1' } })).toEqual({ paths: ['/x1'], diagnostics: [] });
    expect(await runProject({ 'a.http': 'GET BASE/{{process.env.APP_PATH}}\n' })).toEqual({
      paths: [],
      diagnostics: ['1:28: $processEnv APP_PATH: "APP_PATH" is not set in the process environment'],
    });
  });

  test('an undefined name close to a defined one (a typo, another case) gets "did you mean"', async () => {
    for (const written of ['tokn', 'TOKEN']) {
      expect(await runProject({ 'a.http': `@token = abc\nGET BASE/{{${written}}}\n` })).toEqual({
        paths: [],
        diagnostics: [`2:28: undefined variable {{${written}}} (hint: did you mean {{token}}?)`],
      });
    }
  });

  test('@base = {{base}} takes the environment value, rendering the placeholders in it, and the private file wins', async () => {
    const env = '{"dev": {"base": "{{host}}/api", "host": "BASE"}}';
    expect(await runProject({ 'a.http': '@base = {{base}}\nGET {{base}}/x\n', 'http-client.env.json': env }, { env: 'dev' })).toEqual({ paths: ['/api/x'], diagnostics: [] });
    const files = { 'a.http': '@base = {{base}}\nGET {{base}}/x\n', 'http-client.env.json': '{"dev": {"base": "BASE"}}', 'http-client.private.env.json': '{"dev": {"base": "BASE/private"}}' };
    expect(await runProject(files, { env: 'dev' })).toEqual({ paths: ['/private/x'], diagnostics: [] });
  });

  test('@base = {{base}} with no environment value is an error that says so', async () => {
    const files = { 'a.http': '@base = {{base}}\nGET {{base}}/x\n', 'http-client.env.json': '{"dev": {"other": "1"}}' };
    expect(await runProject(files, { env: 'dev' })).toEqual({
      paths: [],
      diagnostics: ['1:9: undefined variable {{base}}: @base = {{base}} takes base from the environment, and none defines it (hint: define base in the environment "dev", or give it with --var base=...)'],
    });
  });

  test('@base = {{base}} without --env names the environments that could define it', async () => {
    const files = { 'a.http': '@base = {{base}}\nGET {{base}}/x\n', 'http-client.env.json': '{"dev": {"base": "BASE"}, "prod": {"base": "BASE"}}' };
    expect(await runProject(files)).toEqual({
      paths: [],
      diagnostics: ['1:9: undefined variable {{base}}: @base = {{base}} takes base from the environment, and none defines it (hint: select an environment with --env (dev, prod), or give it with --var base=...)'],
    });
  });

  test('two file variables that name each other are a cycle, named in order', async () => {
    expect(await runProject({ 'a.http': '@a = {{b}}\n@b = {{a}}\nGET BASE/{{a}}\n' })).toEqual({ paths: [], diagnostics: ['2:6: variable {{a}} refers to itself (a → b → a)'] });
  });
});

/** Loads the environment of x.http in a new project (a .git folder marks its root); null content makes a folder. */
function loadProject(files: Record<string, string | null>) {
  clearConfigCache();
  const root = mkdtempSync(join(tmpdir(), 'httprun-h36-'));
  mkdirSync(join(root, '.git'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    if (content === null) mkdirSync(join(root, name));
    else writeFileSync(join(root, name), content);
  }
  writeFileSync(join(root, 'x.http'), '');
  const { environment, diagnostics } = loadEnvironment(join(root, 'x.http'), { envName: null, cwd: root });
  return { root, environment, messages: diagnostics.map((d) => `${d.severity} ${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`) };
}

describe('configuration: messages and layering no other test reached', () => {
  test('httprun.yaml: secrets and clientCertificates that are not maps', () => {
    expect(loadProject({ 'httprun.yaml': 'secrets: [a, b]\n' }).messages).toEqual([
      'error config/invalid-type 1:10 secrets must be a map of secret names to { hosts: [...] }, got a list',
    ]);
    expect(loadProject({ 'httprun.yaml': 'clientCertificates: localhost\n' }).messages).toEqual([
      'error config/invalid-type 1:21 clientCertificates must be a map of host names to { cert, key } or { pfx, passphrase }, got "localhost"',
    ]);
  });

  test("REST Client's and httpyac's default headers: the later (httpyac's) wins on a name, whatever its case", () => {
    const { environment, messages } = loadProject({
      '.vscode/settings.json': '{"rest-client.defaultHeaders": {"user-agent": "rest-client", "X-A": "1"}}',
      '.httpyac.json': '{"defaultHeaders": {"User-Agent": "httpyac"}}',
    });
    expect(messages).toEqual([]);
    expect(environment.config.defaultHeaders).toEqual({ 'X-A': '1', 'User-Agent': 'httpyac' });
  });

  test('a .vscode/settings.json that cannot be read is an error at its start', () => {
    // A folder named settings.json is not picked up by the search (no diagnostic); a file the user
    // may not read (permission denied) reaches the same read error, which the folder shows as root can.
    expect(loadProject({ '.vscode/settings.json': null }).messages).toEqual([]);
    const { root } = loadProject({ '.vscode/settings.json': null });
    const path = join(root, '.vscode', 'settings.json');
    const file = readVscodeSettingsFile(path);
    expect(file.ok).toBe(false);
    expect(file.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`)).toEqual([
      `config/unreadable-file 1:1 cannot read ${path}: it is a directory`,
    ]);
  });
});
