// SPEC §3 "Body" and §7 "Body end": what a request's body is, byte for byte, on a recording server.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { run } from '../src/index.js';
import { project } from './helpers/cli.js';
import { serverPerTest, type TestServer } from './helpers/server.js';

const servers = serverPerTest();
const recording = (): Promise<TestServer> => servers.recording();

async function send(text: string, files: Record<string, string | Buffer> = {}, processEnv: Record<string, string> = {}) {
  const root = project({ 'a.http': text, ...files });
  const result = await run([join(root, 'a.http')], { cwd: root, processEnv });
  return { result, requests: servers.current.requests };
}

function contentType(headers: Record<string, unknown>): string | undefined {
  return headers['content-type'] as string | undefined;
}

test('a body ends at the last non-blank line before ###; its own last line break is not sent', async () => {
  const { url } = await recording();
  const { requests } = await send(`POST ${url}/a\n\nline one\nline two\n\n\n###\nPOST ${url}/b\n\nsecond\n`);
  expect(requests.map((r) => r.body.toString())).toEqual(['line one\nline two', 'second']);
});

test.each([
  ['??', '?? status == 200'],
  ['>', '> {% client.log("x") %}'],
  ['>>', '>> ./saved.txt'],
  ['<>', '<> ./previous.json'],
  ['a pasted response', 'HTTP/1.1 200 OK'],
])('a body ends before %s', async (_what, tail) => {
  const { url } = await recording();
  const { result, requests } = await send(`POST ${url}/a\n\n{"a": 1}\n\n${tail}\n`);
  expect(result.files[0]?.error).toBeNull();
  expect(requests[0]?.body.toString()).toBe('{"a": 1}');
});

test('inside a body, // lines are comments and # lines are body, unless only comments follow them', async () => {
  const { url } = await recording();
  const text = [
    `POST ${url}/a`,
    'Content-Type: text/markdown',
    '',
    '# Heading',
    '  // a comment line, indented',
    'text',
    '',
    '# section comment before the next request',
    '',
    '###',
    '',
  ].join('\n');
  const { requests } = await send(text);
  expect(requests[0]?.body.toString()).toBe('# Heading\ntext');
});

test('< ./file sends the file verbatim: placeholders, // and # lines and the last line break included', async () => {
  const { url } = await recording();
  const content = '{{name}}\n// kept\n# kept\n<<SECRET>>\n\n';
  const { result, requests } = await send(`@name = x\nPOST ${url}/a\n\n< ./body.txt\n`, { 'body.txt': content });
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.body.toString()).toBe(content);
});

test('< ./file sends binary bytes unchanged', async () => {
  const { url } = await recording();
  const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0x80, 0x0a]);
  const { requests } = await send(`POST ${url}/a\nContent-Type: application/octet-stream\n\n< ./blob.bin\n`, { 'blob.bin': bytes });
  expect(requests[0]?.body.equals(bytes)).toBe(true);
});

test('<@ ./file substitutes variables, dynamic values and secrets', async () => {
  const { url } = await recording();
  const { result, requests } = await send(
    `@name = Ada\nPOST ${url}/a\n\n<@ ./body.txt\n`,
    { 'body.txt': 'hello {{name}} {{$processEnv HOME_X}} <<TOKEN>>\n' },
    { HOME_X: 'env', TOKEN: 's3cret' },
  );
  expect(result.summary.exitCode).toBe(0);
  expect(requests[0]?.body.toString()).toBe('hello Ada env s3cret\n');
});

test("httpyac's # @injectVariables makes < ./file substitute as <@ does; without it the file is verbatim", async () => {
  const { url } = await recording();
  const { result, requests } = await send(`@name = Ada\n# @injectVariables\nPOST ${url}/a\n\n< ./body.txt\n\n###\nPOST ${url}/b\n\n< ./body.txt\n`, {
    'body.txt': 'hello {{name}}\n',
  });
  expect(result.summary.exitCode).toBe(0);
  expect(requests.map((r) => r.body.toString())).toEqual(['hello Ada\n', 'hello {{name}}\n']);
});

test('form-urlencoded fields written over several & lines are joined', async () => {
  const { url } = await recording();
  const text = [
    `POST ${url}/form`,
    'Content-Type: application/x-www-form-urlencoded',
    '',
    'name=foo',
    '&password=bar',
    '&{{field}}=3',
    '',
  ].join('\n');
  const { requests } = await send(`@field = extra\n${text}`);
  expect(requests[0]?.body.toString()).toBe('name=foo&password=bar&extra=3');
  expect(contentType(requests[0]!.headers)).toBe('application/x-www-form-urlencoded');
});

test('multipart bodies are framed with CRLF and file parts sent byte for byte', async () => {
  const { url } = await recording();
  const file = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0a, 0x00, 0x0d, 0x0a, 0xff, 0x0a]);
  const text = [
    `POST ${url}/upload`,
    'Content-Type: multipart/form-data; boundary=XyZ',
    '',
    '--XyZ',
    'Content-Disposition: form-data; name="title"',
    '',
    'A picture',
    '--XyZ',
    'Content-Disposition: form-data; name="file"; filename="1.png"',
    'Content-Type: image/png',
    '',
    '< ./1.png',
    '--XyZ--',
    '',
  ].join('\n');
  const { result, requests } = await send(text, { '1.png': file });
  expect(result.summary.exitCode).toBe(0);
  const expected = Buffer.concat([
    Buffer.from(
      '--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nA picture\r\n--XyZ\r\n' +
        'Content-Disposition: form-data; name="file"; filename="1.png"\r\nContent-Type: image/png\r\n\r\n',
    ),
    file,
    Buffer.from('\r\n--XyZ--'),
  ]);
  expect(requests[0]!.body.toString('latin1')).toBe(expected.toString('latin1'));
  expect(contentType(requests[0]!.headers)).toBe('multipart/form-data; boundary=XyZ');
});

test('a multipart body whose file has a trailing line break keeps it (byte for byte)', async () => {
  const { url } = await recording();
  const text = [
    `POST ${url}/upload`,
    'Content-Type: multipart/form-data; boundary=B',
    '',
    '--B',
    'Content-Disposition: form-data; name="f"; filename="a.txt"',
    '',
    '< ./a.txt',
    '--B--',
    '',
  ].join('\n');
  const { requests } = await send(text, { 'a.txt': 'line\n' });
  expect(requests[0]!.body.toString()).toBe('--B\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nline\n\r\n--B--');
});

test('a GraphQL body goes out as JSON {query, variables, operationName}', async () => {
  const { url } = await recording();
  const text = [
    `POST ${url}/graphql`,
    'X-Request-Type: GraphQL',
    '',
    'query Hero($episode: Episode) {',
    '  hero(episode: $episode) { name }',
    '}',
    '',
    '{',
    '  "episode": "JEDI"',
    '}',
    '',
  ].join('\n');
  const { result, requests } = await send(text);
  expect(result.summary.exitCode).toBe(0);
  const request = requests[0]!;
  expect(request.method).toBe('POST');
  expect(contentType(request.headers)).toBe('application/json');
  expect(request.headers['x-request-type']).toBeUndefined();
  expect(JSON.parse(request.body.toString())).toEqual({
    query: 'query Hero($episode: Episode) {\n  hero(episode: $episode) { name }\n}',
    variables: { episode: 'JEDI' },
    operationName: 'Hero',
  });
});

test('a GraphQL body without variables and without an operation name has only query', async () => {
  const { url } = await recording();
  const { requests } = await send(`GRAPHQL ${url}/graphql\n\n{ viewer { login } }\n`);
  expect(requests[0]?.method).toBe('POST');
  expect(JSON.parse(requests[0]!.body.toString())).toEqual({ query: '{ viewer { login } }' });
});
