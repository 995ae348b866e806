// SPEC §7 "What is sent", "Headers that HTTP/1.1 clients manage themselves" and the body rules of
// §3/§7 (body end, `< file` verbatim, `<@ file` substituted, form lines, multipart, GraphQL), checked
// on the wire of a real recording server.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { run, type RunEvent } from '../src/index.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { VERSION } from '../src/version.js';
import { project } from './helpers/cli.js';
import { serverPerTest, type Recorded, type TestServer } from './helpers/server.js';

const servers = serverPerTest();
const recording = (): Promise<TestServer> => servers.recording();

/** Runs one file given as text and returns the result, the warnings and what the server saw. */
async function send(text: string, files: Record<string, string | Buffer> = {}) {
  const diagnostics: Diagnostic[] = [];
  const reporter = {
    onEvent: (event: RunEvent) => {
      if (event.type === 'diagnostics') diagnostics.push(...event.diagnostics);
    },
    onEnd: () => undefined,
  };
  const root = project({ 'a.http': text, ...files });
  const result = await run([join(root, 'a.http')], { cwd: root, reporters: [reporter], processEnv: {} });
  return { result, diagnostics, requests: servers.current.requests };
}

/** Header names as they went on the wire, lower-cased, in order. */
function names(request: Recorded): string[] {
  return request.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
}

function values(request: Recorded, name: string): string[] {
  const out: string[] = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]!.toLowerCase() === name) out.push(request.rawHeaders[index + 1]!);
  }
  return out;
}

const ADDED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'accept-encoding', 'accept', 'user-agent']);

test('a bare GET carries only the headers a careful client adds', async () => {
  const { url } = await recording();
  const { result, requests } = await send(`GET ${url}/plain\n`);
  expect(result.summary.exitCode).toBe(0);
  const request = requests[0]!;
  for (const name of names(request)) expect(ADDED.has(name), `unexpected header ${name}`).toBe(true);
  expect(values(request, 'accept')).toEqual(['*/*']);
  expect(values(request, 'user-agent')).toEqual([`httprun/${VERSION}`]);
  expect(values(request, 'host')).toEqual([new URL(url).host]);
  // Only codings the client decodes.
  const codings = values(request, 'accept-encoding')[0]!.split(',').map((coding) => coding.trim());
  for (const coding of codings) expect(['gzip', 'br', 'deflate']).toContain(coding);
  expect(values(request, 'content-type')).toEqual([]);
});

test('a body without Content-Type is sent without one, with its length', async () => {
  const { url } = await recording();
  const { requests } = await send(`POST ${url}/raw\n\n{"a": 1}\n`);
  const request = requests[0]!;
  expect(values(request, 'content-type')).toEqual([]);
  expect(request.body.toString()).toBe('{"a": 1}');
  expect(values(request, 'content-length')).toEqual(['8']);
  for (const name of names(request)) expect(ADDED.has(name), `unexpected header ${name}`).toBe(true);
});

test('headers written in the file replace the defaults, and one written twice is sent twice', async () => {
  const { url } = await recording();
  const text = [
    `GET ${url}/h`,
    'Accept: application/json',
    'User-Agent: mine/1',
    'X-Twice: one',
    'X-Twice: two',
    '',
  ].join('\n');
  const { requests } = await send(text);
  const request = requests[0]!;
  expect(values(request, 'accept')).toEqual(['application/json']);
  expect(values(request, 'user-agent')).toEqual(['mine/1']);
  expect(values(request, 'x-twice')).toEqual(['one', 'two']);
});

test('a Host header written in the file wins over the URL', async () => {
  const { url } = await recording();
  const { requests } = await send(`GET ${url}/host\nHost: example.test\n`);
  expect(values(requests[0]!, 'host')).toEqual(['example.test']);
});

test('a target without a scheme is http://', async () => {
  const { url } = await recording();
  const hostAndPort = url.replace('http://', '');
  const { result, requests } = await send(`GET ${hostAndPort}/no-scheme\n`);
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.url).toBe('/no-scheme');
  expect(result.files[0]?.requests[0]?.url).toBe(`${url}/no-scheme`);
});

test('the method defaults to GET, and HTTP/1.1 after the URL is not part of it', async () => {
  const { url } = await recording();
  const { requests } = await send(`${url}/default?a=1 HTTP/1.1\n`);
  expect(requests[0]?.method).toBe('GET');
  expect(requests[0]?.url).toBe('/default?a=1');
});

test('URL continuation lines starting with whitespace, ? or & extend the URL', async () => {
  const { url } = await recording();
  const text = [`GET ${url}/search`, '    ?q=one', '    &page=2', '&size=3', 'Accept: */*', ''].join('\n');
  const { requests } = await send(text);
  expect(requests[0]?.url).toBe('/search?q=one&page=2&size=3');
});

test.each(['Connection: close', 'Keep-Alive: timeout=5', 'Transfer-Encoding: chunked', 'Upgrade: websocket'])(
  '%s written in the file is dropped with a warning',
  async (line) => {
    const { url } = await recording();
    const name = line.split(':')[0]!;
    const { result, diagnostics, requests } = await send(`POST ${url}/hop\n${line}\n\nbody\n`);
    expect(result.summary.exitCode).toBe(0);
    const warning = diagnostics.find((d) => d.severity === 'warning' && d.message.includes(name));
    expect(warning, JSON.stringify(diagnostics)).toBeDefined();
    expect(warning!.span.start.line).toBe(2);
    const request = requests[0]!;
    if (name === 'Keep-Alive' || name === 'Upgrade') expect(values(request, name.toLowerCase())).toEqual([]);
    if (name === 'Connection') expect(values(request, 'connection')).not.toContain('close');
    if (name === 'Transfer-Encoding') expect(values(request, 'transfer-encoding')).toEqual([]);
    expect(request.body.toString()).toBe('body');
  },
);

test('Expect: 100-continue is honoured: the body follows the server’s go-ahead', async () => {
  const { url } = await recording();
  const { result, requests } = await send(`POST ${url}/expect\nExpect: 100-continue\nContent-Type: text/plain\n\nhello\n`);
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.body.toString()).toBe('hello');
});

test("httpyac's .httpyac.json: its defaultHeaders go with every request that does not write them, placeholders read; its environments fill {{host}}", async () => {
  const { url } = await recording();
  const config = JSON.stringify({
    defaultHeaders: { 'X-Client': 'yac {{who}}', Accept: 'application/json' },
    environments: { $shared: { host: url, who: 'ada' } },
  });
  const { result, requests } = await send('GET /a\n\n###\nGET /b\naccept: text/plain\n', { '.httpyac.json': config });
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => [r.url, r.headers['x-client'], r.headers.accept])).toEqual([
    ['/a', 'yac ada', 'application/json'],
    ['/b', 'yac ada', 'text/plain'],
  ]);
});

test('OPTIONS * HTTP/1.1 sends the asterisk form (RFC 9112 §3.2.4) to the server the Host header or @host names', async () => {
  const { url } = await recording();
  const { result, requests } = await send(`OPTIONS * HTTP/1.1\nHost: ${url}\n\n?? status == 200\n\n###\n@host = ${url}\nOPTIONS *\n\n###\nGET ${url}/after\n`);
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['OPTIONS *', 'OPTIONS *', 'GET /after']);
  expect(requests[0]?.headers.host).toBe(new URL(url).host);
});

test('OPTIONS * where it cannot go (HTTP/2 prior knowledge, a proxy) is an errored request that says so', async () => {
  const { url } = await recording();
  const { result, requests } = await send(`OPTIONS * HTTP/2 (Prior Knowledge)\nHost: ${url}\n`);
  expect(result.summary.exitCode).toBe(3);
  expect(result.files[0]?.requests[0]?.error).toBe('an OPTIONS * request (asterisk form) cannot be sent through a proxy or over HTTP/2 here');
  expect(requests).toHaveLength(0);
});
