// The peers' own example files (../shared/dialects) run against a recording server on 127.0.0.1, and
// what goes on the wire checked against what each dialect's documentation says it sends:
// JetBrains "HTTP Request in Editor specification", the REST Client README, httpyac and kulala docs.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import type { RunResult } from '../src/run/result.js';
import { editedCopy } from './helpers/edited-copy.js';
import { serve, type Recorded, type TestServer } from './helpers/server.js';

const dialects = resolve(import.meta.dirname, '../../shared/dialects');
const present = existsSync(dialects);
if (!present) console.log(`dialect wire tests skipped: ${dialects} is absent`);

let server: TestServer;
let root: string;
let host: string;

const PUBLIC_HOSTS = /https?:\/\/(?:api\.example\.com|example\.com|httpbin\.org|echo\.kulala\.app|api\.github\.com)(?::\d+)?/g;

beforeAll(async () => {
  if (!present) return;
  server = await serve((request, response) => {
    const path = request.url.split('?')[0]!;
    if (path === '/api/api/login') {
      response.writeHead(200, { 'content-type': 'text/plain', 'x-authtoken': 'tok-9' }).end('ok');
    } else if (request.method === 'POST' && path === '/api/comments') {
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"id": 5}');
    } else if (path === '/api/comments/5/replies') {
      response.writeHead(200, { 'content-type': 'application/xml' }).end('<replies><reply id="r1"/><reply id="r2"/></replies>');
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"token": "t-1"}');
    }
  });
  host = new URL(server.url).host;
  // Every public host pointed at the recording server.
  root = editedCopy(dialects, 'httprun-dialects-', (name) => /\.(http|json)$/.test(name), (text) =>
    text
      .replace(PUBLIC_HOSTS, server.url)
      .replaceAll('__RECORDER__', host)
      .replace(/^Host: example\.com$/m, `Host: ${host}`)
      .replace(/^@host = httpbin\.org$/m, `@host = ${host}`),
  );
});
afterAll(() => server?.close());

/** Runs one dialect file and returns the requests it put on the wire. */
async function wire(
  file: string,
  options: { env?: string; vars?: Record<string, string>; processEnv?: Record<string, string> } = {},
): Promise<{ result: RunResult; sent: Recorded[] }> {
  const before = server.requests.length;
  const path = join(root, file);
  const result = await run([path], {
    cwd: resolve(path, '..'),
    env: options.env ?? null,
    vars: options.vars ?? {},
    processEnv: options.processEnv ?? {},
  });
  return { result, sent: server.requests.slice(before) };
}

function header(request: Recorded, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

describe.skipIf(!present)('REST Client README examples', () => {
  test.each(['basic-auth-base64.http', 'basic-auth-colon.http', 'basic-auth-space.http'])(
    '%s sends Authorization: Basic base64(user:passwd)',
    async (file) => {
      const { sent } = await wire(`restclient/${file}`);
      expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /basic-auth/user/passwd']);
      expect(header(sent[0]!, 'authorization')).toBe(`Basic ${Buffer.from('user:passwd').toString('base64')}`);
    },
  );

  test('body-xml.http: the XML body as written, without its last line break', async () => {
    const { sent } = await wire('restclient/body-xml.http');
    expect(header(sent[0]!, 'content-type')).toBe('application/xml');
    expect(header(sent[0]!, 'authorization')).toBe('token xxx');
    expect(sent[0]!.body.toString()).toBe(
      '<request>\n    <name>sample</name>\n    <time>Wed, 21 Oct 2015 18:27:50 GMT</time>\n</request>',
    );
  });

  test('body-file.http sends demo.xml verbatim, body-file-variables.http with {{$datetime rfc1123}} filled in', async () => {
    const xml = readFileSync(join(root, 'restclient/demo.xml'));
    const plain = await wire('restclient/body-file.http');
    expect(plain.sent[0]!.body.equals(xml)).toBe(true);
    const substituted = await wire('restclient/body-file-variables.http');
    expect(substituted.result.summary.exitCode).toBe(0);
    expect(xml.toString('utf8')).toContain('{{$datetime rfc1123}}');
    const expected = xml.toString('utf8').replace('{{$datetime rfc1123}}', 'DATE');
    const body = substituted.sent[0]!.body.toString().replace(/[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT/, 'DATE');
    expect(body).toBe(expected);
  });

  test('file-variables.http: {{%name}} percent-encodes, $datetime and $processEnv fill the body', async () => {
    const port = new URL(server.url).port;
    const { result, sent } = await wire('restclient/file-variables.http', {
      vars: { hostname: '127.0.0.1', port },
      processEnv: { USERNAME: 'ada' },
    });
    // The file says https://; --var cannot change the scheme, so the requests fail on TLS: what matters
    // here is that they resolve. The URL and body shape are checked on the dry-run-free report instead.
    expect(result.files[0]?.error).toBeNull();
    expect(result.files[0]?.requests.map((r) => r.url)).toEqual([
      `https://127.0.0.1:${port}/authors/Strunk%20%26%20White`,
      `https://127.0.0.1:${port}/authors/Strunk%20%26%20White`,
    ]);
    expect(sent).toHaveLength(0);
  });

  test('form-multiline.http joins the & lines', async () => {
    const { sent } = await wire('restclient/form-multiline.http');
    expect(sent[0]!.body.toString()).toBe('name=foo&password=bar');
  });

  test('graphql.http goes out as {query, variables} JSON', async () => {
    const { sent } = await wire('restclient/graphql.http');
    const body = JSON.parse(sent[0]!.body.toString());
    expect(body.variables).toEqual({ name: 'vscode-restclient', owner: 'Huachao' });
    expect(body.query).toMatch(/^query \(\$name: String!, \$owner: String!\) \{\n {2}repository/);
    expect(body.query).toMatch(/\}\n\}$/);
    expect(body.operationName).toBeUndefined();
    expect(header(sent[0]!, 'content-type')).toBe('application/json');
    expect(header(sent[0]!, 'authorization')).toBe('Bearer xxx');
  });

  test('multipart.http: CRLF framing, 1.png byte for byte', async () => {
    const { sent } = await wire('restclient/multipart.http');
    const png = readFileSync(join(root, 'restclient/1.png'));
    const b = '------WebKitFormBoundary7MA4YWxkTrZu0gW';
    const expected = Buffer.concat([
      Buffer.from(
        `${b}\r\nContent-Disposition: form-data; name="text"\r\n\r\ntitle\r\n${b}\r\n` +
          'Content-Disposition: form-data; name="image"; filename="1.png"\r\nContent-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from(`\r\n${b}--`),
    ]);
    expect(sent[0]!.body.equals(expected)).toBe(true);
  });

  test('query-multiline.http and request-line-url-only.http', async () => {
    const multi = await wire('restclient/query-multiline.http');
    expect(multi.sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /comments?page=2&pageSize=10']);
    const bare = await wire('restclient/request-line-url-only.http');
    expect(bare.sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /comments/1']);
  });

  test('request-variables.http chains a header, a JSONPath and an XPath attribute', async () => {
    const { result, sent } = await wire('restclient/request-variables.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => `${r.method} ${r.url} ${header(r, 'authorization') ?? '-'}`)).toEqual([
      'POST /api/api/login -',
      'POST /api/comments tok-9',
      'GET /api/comments/5 tok-9',
      'GET /api/comments/5/replies -',
      'GET /api/comments/5/replies/r1 -',
    ]);
    expect(sent[0]!.body.toString()).toBe('name=foo&password=bar');
  });

  test('select-request-text.http sends three requests', async () => {
    const { sent } = await wire('restclient/select-request-text.http');
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /comments/1', 'GET /topics/1', 'POST /comments']);
    expect(JSON.parse(sent[2]!.body.toString())).toEqual({ name: 'sample', time: 'Wed, 21 Oct 2015 18:27:50 GMT' });
  });

  test("system-variables.http: $dotenv, $guid, $timestamp, $randomInt, $datetime 'fmt' with single quotes", async () => {
    const { result, sent } = await wire('restclient/system-variables.http');
    expect(result.summary.exitCode).toBe(0);
    expect(header(sent[0]!, 'date')).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
    const body = JSON.parse(sent[0]!.body.toString());
    expect(body.user_name).toBe('dotenv-user');
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(body.updated_at) - Number(body.created_at)).toBe(86_400);
    expect(Number(body.review_count)).toBeGreaterThanOrEqual(5);
    expect(Number(body.review_count)).toBeLessThan(200);
    expect(body.custom_date).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(body.local_custom_date).toMatch(/^\d{4}-\d\d-\d\d$/);
  });
});

describe.skipIf(!present)('JetBrains HTTP Request in Editor specification examples', () => {
  test('s3.1: ### separates requests, a trailing ### adds none', async () => {
    const { sent } = await wire('jetbrains/s3.1-requests-file.http');
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /', 'GET /']);
  });

  test('s3.2.1: a request line without a method is GET', async () => {
    const { sent } = await wire('jetbrains/s3.2.1-no-method.http');
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /']);
  });

  test('s3.2.1.1 origin-form: the Host header gives the host', async () => {
    const { sent } = await wire('jetbrains/s3.2.1.1-origin-form.http');
    expect(sent.map((r) => `${r.method} ${r.url} ${header(r, 'host')}`)).toEqual([`GET /api/get ${host}`]);
  });

  test('s3.2.1.4: the fragment is not sent', async () => {
    const { sent } = await wire('jetbrains/s3.2.1.4-fragment.http');
    expect(sent.map((r) => r.url)).toEqual(['/api/get']);
  });

  test('s3.2.2: headers as written', async () => {
    const { sent } = await wire('jetbrains/s3.2.2-headers.http');
    expect(sent[0]!.url).toBe('/api/get?id=15');
    expect(header(sent[0]!, 'from')).toBe('user@example.com');
  });

  test('s3.2.3 / s1.2: an in-place body is sent as written (curly quotes and all)', async () => {
    const { sent } = await wire('jetbrains/s3.2.3-body-inplace.http');
    expect(sent[0]!.body.toString()).toBe('{ “key”: “value” }');
    const example = await wire('jetbrains/s1.2-example-request.http');
    expect(example.sent[0]!.body.toString()).toBe('{\n  “name”: “entity”,\n  “value”: “content”\n}');
  });

  test('s3.2.3.1: multipart with a file part', async () => {
    const { sent } = await wire('jetbrains/s3.2.3.1-multipart.http');
    const file = readFileSync(join(root, 'jetbrains/input.txt'));
    const expected = Buffer.concat([
      Buffer.from(
        '--abcd\r\nContent-Disposition: form-data; name="text"\r\n\r\nText\r\n--abcd\r\n' +
          'Content-Disposition: form-data; name="file_to_send"; filename="input.txt"\r\n\r\n',
      ),
      file,
      Buffer.from('\r\n--abcd--'),
    ]);
    expect(sent[0]!.body.toString('latin1')).toBe(expected.toString('latin1'));
  });

  test('s3.2 sections: < input.json body, > handler runs, <> reference skipped', async () => {
    const { result, sent } = await wire('jetbrains/s3.2-request-sections.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]!.body.equals(readFileSync(join(root, 'jetbrains/input.json')))).toBe(true);
  });

  test('s3.2.6: {{host}} and {{ element-id }} from http-client.env.json', async () => {
    const { sent } = await wire('jetbrains/s3.2.6-env-variables.http', { env: 'dev' });
    expect(sent.map((r) => r.url)).toEqual(['/api/get?id=42']);
  });

  test('s4.2.1: continuation lines are trimmed and joined into the path', async () => {
    const multiline = await wire('jetbrains/s4.2.1-multiline-path.http');
    expect(multiline.sent.map((r) => r.url)).toEqual(['/api/get']);
    const encoded = await wire('jetbrains/s4.2.1-encoded-whitespace.http');
    expect(encoded.sent.map((r) => r.url)).toEqual(['/%20api%20+/get+']);
  });

  test('s4.2.2: blank lines around the body are not part of it; a body file is sent as is', async () => {
    const trimmed = await wire('jetbrains/s4.2.2-body-trim.http');
    expect(trimmed.sent[0]!.body.toString()).toBe('message-body');
    const file = await wire('jetbrains/file-body/s4.2.2-file-body.http');
    expect(file.sent[0]!.body.equals(readFileSync(join(root, 'jetbrains/file-body/input.txt')))).toBe(true);
  });
});

describe.skipIf(!present)('kulala and httpyac examples', () => {
  test('kulala send-body-without-content-type.http: no Content-Type is invented', async () => {
    const { sent } = await wire('kulala/send-body-without-content-type.http');
    expect(sent.map((r) => [header(r, 'content-type') ?? null, r.body.toString()])).toEqual([
      [null, '{ "foo": "bar" }'],
      [null, ''],
      ['application/json', '{ "foo": "bar" }'],
    ]);
  });

  test('httpyac headers.http: headers as written, the last line without a line break', async () => {
    const { sent } = await wire('httpyac/request/headers.http');
    expect(header(sent[0]!, 'content-type')).toBe('text/html');
    expect(header(sent[0]!, 'authorization')).toBe('Bearer token');
  });

  test('httpyac requestBody files: form, JSON, imported file', async () => {
    const form = await wire('httpyac/request/requestBody/requestBody.http');
    expect(form.sent[0]!.body.toString()).toBe('grant_type=client_credentials');
    const json = await wire('httpyac/request/requestBody/requestBodyJson.http');
    expect(JSON.parse(json.sent[0]!.body.toString())).toEqual({ test: 'foo', sub: { foo: 'bar' } });
    const imported = await wire('httpyac/request/requestBody/requestBodyImport.http');
    const file = readFileSync(join(root, 'httpyac/request/requestBody/requestBodyImport.json'));
    expect(imported.sent[0]!.body.equals(file)).toBe(true);
    const variable = await wire('httpyac/request/requestBody/requestBodyImportVariable.http');
    expect(variable.sent[0]!.body.equals(file)).toBe(true);
  });

  test('httpyac multipartFormData.http: dummy.pdf byte for byte', async () => {
    const { sent } = await wire('httpyac/request/requestBody/multipartFormData.http');
    const pdf = readFileSync(join(root, 'httpyac/request/requestBody/dummy.pdf'));
    const body = sent[0]!.body;
    const start = body.indexOf('Content-Type: application/pdf\r\n\r\n') + 'Content-Type: application/pdf\r\n\r\n'.length;
    expect(body.subarray(start, start + pdf.length).equals(pdf)).toBe(true);
    expect(body.subarray(start + pdf.length).toString()).toBe('\r\n--WebKitFormBoundary--');
  });

  test('kulala url-encoding.http: a space in the query is percent-encoded; the continuation joins', async () => {
    const { sent } = await wire('kulala/url-encoding.http');
    expect(sent[0]!.url).toBe('/get?name=John%20Doe&age=30');
  });

  test('kulala omit-req-url-but-set-host.http: origin-form with Host from a variable', async () => {
    const { sent } = await wire('kulala/omit-req-url-but-set-host.http');
    expect(sent.map((r) => `${r.method} ${r.url} ${header(r, 'host')}`)).toEqual([
      `GET /get ${host}`,
      `GET /get ${host}`,
    ]);
  });
});
