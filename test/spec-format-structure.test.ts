// SPEC §3 "Requests", "Comments", "Metadata" and §7 "Names", "Without ###", "Parse errors", through run()
// and the real CLI against a recording server.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { run, type RunEvent } from '../src/index.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { project, runCli } from './helpers/cli.js';
import { serverPerTest, type TestServer } from './helpers/server.js';

const servers = serverPerTest();
const recording = (): Promise<TestServer> => servers.recording();

async function send(text: string) {
  const diagnostics: Diagnostic[] = [];
  const reporter = {
    onEvent: (event: RunEvent) => {
      if (event.type === 'diagnostics') diagnostics.push(...event.diagnostics);
    },
    onEnd: () => undefined,
  };
  const result = await run([{ file: 'a.http', text }], { processEnv: {}, reporters: [reporter] });
  return { result, diagnostics, requests: servers.current.requests };
}

test('a request is named by # @name, else its ### title, else METHOD URL as written', async () => {
  const { url } = await recording();
  const text = [
    '### The title',
    '# @name explicit',
    `GET ${url}/a`,
    '',
    '### Title only',
    `GET ${url}/b`,
    '',
    '##### Auth #####',
    `GET ${url}/c`,
    '',
    '###',
    `POST ${url}/d?x={{x}}`,
    '',
  ].join('\n');
  const { result } = await send(`@x = 1\n${text}`);
  expect(result.files[0]?.requests.map((r) => r.name)).toEqual(['explicit', 'Title only', 'Auth', `POST ${url}/d?x={{x}}`]);
});

test('// @name works like # @name', async () => {
  const { url } = await recording();
  const { result } = await send(`// @name slashes\nGET ${url}/a\n`);
  expect(result.files[0]?.requests[0]?.name).toBe('slashes');
});

test('a duplicate name is a warning; a reference binds to the nearest definition before it', async () => {
  const server = await servers.serve((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ from: request.url }));
  });
  const url = server.url;
  const text = [
    '# @name dup',
    `GET ${url}/first`,
    '',
    '###',
    '# @name dup',
    `GET ${url}/second`,
    '',
    '###',
    `GET ${url}/use?from={{dup.response.body.$.from}}`,
    '',
  ].join('\n');
  const { result, diagnostics, requests } = await send(text);
  expect(result.summary.exitCode).toBe(0);
  const warning = diagnostics.find((d) => d.severity === 'warning' && /dup/.test(d.message));
  expect(warning, JSON.stringify(diagnostics)).toBeDefined();
  expect(requests.at(-1)?.url).toBe('/use?from=/second');
});

test('without ###, a METHOD URL line after a blank line starts a new request, with a warning', async () => {
  const { url } = await recording();
  const text = [`GET ${url}/one`, '', `POST ${url}/two`, 'Content-Type: text/plain', '', 'body', ''].join('\n');
  const { result, diagnostics, requests } = await send(text);
  expect(requests.map((r) => `${r.method} ${r.url} ${r.body.toString()}`)).toEqual(['GET /one ', 'POST /two body']);
  expect(result.files[0]?.requests.map((r) => r.line)).toEqual([1, 3]);
  const warning = diagnostics.find((d) => d.severity === 'warning' && d.span.start.line === 3);
  expect(warning, JSON.stringify(diagnostics)).toBeDefined();
});

test('a file may start with a region of variables and comments only', async () => {
  const { url } = await recording();
  const text = ['# a comment', '// another', `@base = ${url}`, '', '###', 'GET {{base}}/x', ''].join('\n');
  const { result, requests } = await send(text);
  expect(result.summary.requests).toBe(1);
  expect(requests.map((r) => r.url)).toEqual(['/x']);
});

test('comment lines between the request line and headers are not headers', async () => {
  const { url } = await recording();
  const { requests } = await send(`GET ${url}/x\n# a comment\n// another\nX-A: 1\n`);
  expect(requests[0]?.headers['x-a']).toBe('1');
  expect(requests[0]?.rawHeaders.some((h) => h.startsWith('#') || h.startsWith('//'))).toBe(false);
});

test('an unknown metadata key is kept and warned about, never fatal', async () => {
  const { url } = await recording();
  const { result, diagnostics, requests } = await send(`# @frobnicate yes\nGET ${url}/x\n`);
  expect(requests).toHaveLength(1);
  expect(result.summary.exitCode).toBe(0);
  expect(diagnostics.some((d) => d.severity === 'warning' && d.message.includes('frobnicate'))).toBe(true);
});

test('a header-section line without a colon is a parse error: the file sends nothing, other files run, exit 2', async () => {
  const { url } = await recording();
  const root = project({
    'bad.http': `GET ${url}/fine\n\n###\nGET ${url}/bad\nX-A: 1\nnot a header\n`,
    'good.http': `GET ${url}/good\n`,
  });
  const cli = await runCli(['bad.http', 'good.http', '--report-json', 'out/report.json'], { cwd: root });
  expect(cli.code).toBe(2);
  expect(servers.current.requests.map((r) => r.url)).toEqual(['/good']);
  expect(cli.stdout + cli.stderr).toMatch(/bad\.http:6:1/);
  const report = JSON.parse(readFileSync(join(root, 'out/report.json'), 'utf8'));
  expect(report.files[0]).toMatchObject({ file: 'bad.http', requests: [] });
  expect(report.files[0].error).toMatch(/^bad\.http:6:/);
  expect(report.files[1]).toMatchObject({ file: 'good.http', error: null });
});

test('a request line with HTTP/2 asks for HTTP/2 and the version is not part of the URL', async () => {
  const { url } = await recording();
  const { result } = await send(`GET ${url}/v2 HTTP/2\n`);
  // The test server speaks HTTP/1.1 only; over cleartext the request still arrives (no h2c upgrade).
  expect(result.files[0]?.requests[0]?.url).toBe(`${url}/v2`);
});
