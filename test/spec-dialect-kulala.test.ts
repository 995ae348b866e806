// kulala's own example files (../shared/dialects/kulala) run against a recording server on 127.0.0.1, and
// what goes on the wire checked against what kulala's documentation says each file does. The files
// spec-format-dialects.test.ts already covers (send-body-without-content-type, url-encoding's first
// request, omit-req-url-but-set-host) are not repeated here.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import type { RunResult } from '../src/run/result.js';
import { editedCopy } from './helpers/edited-copy.js';
import { serve, type Recorded, type TestServer } from './helpers/server.js';

const dialects = resolve(import.meta.dirname, '../../shared/dialects/kulala');
const present = existsSync(dialects);
if (!present) console.log(`kulala dialect wire tests skipped: ${dialects} is absent`);

let server: TestServer;
let root: string;

const PUBLIC_HOSTS =
  /https?:\/\/(?:httpbin\.org|echo\.kulala\.app|echo\.getkulala\.net|swapi-graphql\.netlify\.app|localhost:3000)(?::\d+)?/g;

beforeAll(async () => {
  if (!present) return;
  // Enough of httpbin / echo.kulala.app for these files: cookies, and a JSON echo with a Date header.
  server = await serve((request, response) => {
    const url = new URL(request.url, server.url);
    const set = /^\/cookies\/set\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (set) {
      response.writeHead(302, { location: '/cookies', 'set-cookie': `${set[1]}=${set[2]}; Path=/` }).end();
      return;
    }
    let json: unknown = null;
    try {
      json = JSON.parse(request.body.toString());
    } catch {
      // not JSON: echoed as null
    }
    response
      .writeHead(200, { 'content-type': 'application/json', date: 'Tue, 10 Mar 2026 10:00:00 GMT' })
      .end(JSON.stringify({ json, url: request.url }));
  });
  // Every public host pointed at the recording server.
  root = editedCopy(dialects, 'httprun-kulala-', (name) => /\.(http|json)$/.test(name), (text) => text.replace(PUBLIC_HOSTS, server.url));
  writeFileSync(join(root, 'package.json'), '{"private": true}\n');
});
afterAll(() => server?.close());

async function wire(
  file: string,
  options: { env?: string; processEnv?: Record<string, string> } = {},
): Promise<{ result: RunResult; sent: Recorded[]; diagnostics: string[] }> {
  const before = server.requests.length;
  const path = join(root, file);
  const diagnostics: string[] = [];
  const result = await run([path], {
    cwd: resolve(path, '..'),
    env: options.env ?? null,
    processEnv: options.processEnv ?? {},
    reporters: [
      {
        onEvent: (event) => {
          if (event.type === 'diagnostics') diagnostics.push(...event.diagnostics.map((d) => `${d.severity}: ${d.message}`));
        },
        onEnd: () => {},
      },
    ],
  });
  return { result, sent: server.requests.slice(before), diagnostics };
}

function header(request: Recorded, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

const PERSON = {
  query: 'query Person($id: ID) {\n  person(personID: $id) {\n    name\n  }\n}',
  variables: { id: 1 },
  operationName: 'Person',
};
const PLANET = {
  query: 'query Planet($id: ID) {\n  planet(planetID: $id) {\n    name\n  }\n}',
  variables: { id: 1 },
  operationName: 'Planet',
};
const FILM = { query: 'query Film($id: ID) {\n  film(filmID: $id) {\n    title\n  }\n}', variables: { id: 1 }, operationName: 'Film' };
// graphql-inline-all.graphql alone: no variables block.
const FILM_INLINE = { query: 'query Film {\n  film(filmID: 1) {\n    title\n  }\n}', operationName: 'Film' };

describe.skipIf(!present)('kulala GraphQL (GRAPHQL method, inline and < file.graphql queries)', () => {
  test('graphql.http: four POSTs of {query, variables, operationName}, two of them read from .graphql files', async () => {
    const { result, sent } = await wire('graphql.http');
    expect(result.summary.exitCode).toBe(0);
    expect(result.files[0]!.requests.map((r) => r.name)).toEqual([
      'GQL_STARWARS_QUERY_PERSON',
      'GQL_STARWARS_QUERY_PLANET',
      'GQL_STARWARS_QUERY_FILM',
      'GQL_STARWARS_QUERY_FILM_INLINE',
    ]);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(Array(4).fill('POST /graphql'));
    expect(sent.map((r) => JSON.parse(r.body.toString()))).toEqual([PERSON, PLANET, FILM, FILM_INLINE]);
    for (const request of sent) {
      expect(header(request, 'content-type')).toBe('application/json');
      expect(header(request, 'accept')).toBe('application/json');
    }
  });

  test('graphql-single.http: one query with its variables', async () => {
    const { sent } = await wire('graphql-single.http');
    expect(sent.map((r) => JSON.parse(r.body.toString()))).toEqual([PERSON]);
  });

  test('import-all.http: `run ./graphql.http` runs every request of that file', async () => {
    const { result, sent } = await wire('import-all.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => JSON.parse(r.body.toString()))).toEqual([PERSON, PLANET, FILM, FILM_INLINE]);
  });

  test('import-one-from-graphql.http: `import` then `run #NAME` runs only the named requests', async () => {
    const { result, sent } = await wire('import-one-from-graphql.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => JSON.parse(r.body.toString()))).toEqual([PERSON, PLANET]);
  });
});

describe.skipIf(!present)('kulala http-client.env.json in parent and child folders', () => {
  test('level1.http uses its own folder\'s file; `run ./level2/level2.http` runs that file with the nearer one', async () => {
    const { result, sent } = await wire('http-client-env-inherits/level1.http');
    expect(result.summary.exitCode).toBe(0);
    // No --env: kulala's "default" environment applies.
    expect(sent.map((r) => r.url)).toEqual(['/get?level=2', '/get?level=1']);
    const dev = await wire('http-client-env-inherits/level1.http', { env: 'dev' });
    expect(dev.sent.map((r) => r.url)).toEqual(['/get?level=2', '/get?level=1']);
  });

  test('level2.http on its own takes folder_level from its own folder', async () => {
    const { sent } = await wire('http-client-env-inherits/level2/level2.http', { env: 'prod' });
    expect(sent.map((r) => r.url)).toEqual(['/get?level=2']);
  });
});

describe.skipIf(!present)('kulala cookies, multipart, url encoding, scripts', () => {
  test('cookies.http: the jar sends what the server set, except to a request marked // @no-cookie-jar', async () => {
    const { result, sent } = await wire('cookies.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => `${r.url} ${header(r, 'cookie') ?? '-'}`)).toEqual([
      '/cookies/set/kulala/test -',
      '/cookies kulala=test', // the redirect after Set-Cookie
      '/cookies -', // NON_LOCAL_PREVENT_GET_COOKIES
      '/cookies kulala=test',
      '/cookies/set/kulala/family kulala=test',
      '/cookies kulala=family',
      '/cookies -', // LOCAL_PREVENT_GET_COOKIES
      '/cookies kulala=family',
    ]);
  });

  test('multipart-form-data.http as published: `< ./file --boundary--` is read as a file name and reported, nothing is sent', async () => {
    const { result, sent } = await wire('multipart-form-data.http');
    expect(sent).toHaveLength(0);
    expect(result.summary.exitCode).toBe(2);
    expect(result.files[0]!.error).toMatch(
      /multipart-form-data\.http:31:1: cannot read the body file \.\/multipart-form-data\.txt --boundary--: no such file/,
    );
  });

  test('multipart-form-data.http with the closing boundary on its own line: CRLF framing, // comment lines left out', async () => {
    const original = readFileSync(join(root, 'multipart-form-data.http'), 'utf8');
    writeFileSync(
      join(root, 'multipart-fixed.http'),
      original.replace('< ./multipart-form-data.txt --boundary--', '< ./multipart-form-data.txt\n--boundary--'),
    );
    const { result, sent } = await wire('multipart-fixed.http');
    expect(result.summary.exitCode).toBe(0);
    const file = readFileSync(join(root, 'multipart-form-data.txt'), 'utf8');
    const boundary = /boundary=(boundary-\d+)$/.exec(header(sent[0]!, 'content-type')!)![1]!;
    expect(sent[0]!.body.toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="first"; filename="multipart-form-data.txt"\r\n\r\n` +
        `${file}\r\n--${boundary}--`,
    );
    expect(sent[1]!.body.toString()).toBe(
      '--boundary\r\nContent-Disposition: form-data; name="first"; filename="multipart-form-data.txt"\r\n\r\n' +
        `${file}\r\n` +
        '--boundary\r\nContent-Disposition: form-data; name="second"; filename="input-second.txt"\r\n\r\nText\r\n' +
        `--boundary\r\nContent-Disposition: form-data; name="third";\r\n\r\n${file}\r\n--boundary--`,
    );
  });

  test('url-encoding.http: with # @no-auto-encoding the query is sent as written', async () => {
    const { sent } = await wire('url-encoding.http');
    expect(sent.map((r) => r.url)).toEqual(['/get?name=John%20Doe&age=30', '/get?name=John+Doe&age=30']);
  });

  test('vscode-restclient-compat.http: response.body.$.json.token and response.headers[\'Date\'] chain', async () => {
    const { result, sent } = await wire('vscode-restclient-compat.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => JSON.parse(r.body.toString()))).toEqual([
      { token: 'foobar' },
      { token: 'foobar' },
      { date_header: 'Tue, 10 Mar 2026 10:00:00 GMT' },
    ]);
  });

  test('simple.http: {{ $env.X }}, commented-out query and header lines, Cookie twice, GRAPHQL with a JSON body', async () => {
    const { result, sent } = await wire('simple.http', { processEnv: { API_BEARER_TOKEN: 'tok-1', USER: 'ada' } });
    expect(JSON.parse(sent[0]!.body.toString())).toEqual({
      username: 'user123',
      password: 'pass123',
      kuba_env_test: 'tok-1',
      OS_USER: 'ada',
    });
    expect(sent[1]!.url).toBe('/post?someKey=someValue1&someKey3=someValue3&someKey5=someValue5&someKey7=someValue7');
    expect(Object.keys(sent[1]!.headers).filter((name) => name.startsWith('x-my-'))).toEqual([
      'x-my-custom-header2',
      'x-my-custom-header5',
      'x-my-custom-header7',
    ]);
    const cookies = sent[2]!.rawHeaders.filter((_, i, all) => i % 2 === 1 && all[i - 1] === 'Cookie');
    expect(cookies).toEqual(['_ga=GA1.2.1903065019.1615319519', 'NAME2=VALUE2']);
    expect(header(sent[2]!, 'accept-language')).toBe('en-US,en;q=0.5');
    // GRAPHQL with a body that is already JSON: POSTed as written, not wrapped as {"query": "<json>"}.
    expect(sent[3]!.method).toBe('POST');
    expect(JSON.parse(sent[3]!.body.toString())).toEqual({ username: 'user123', password: 'pass123' });
    expect(header(sent[3]!, 'content-type')).toBe('application/json');
    expect(sent.slice(4).map((r) => `${r.method} ${r.url} ${header(r, 'x-custom-header')}`)).toEqual([
      'POST /post Kulala-Named-Request',
      'GET /get Kulala-Named-Request',
    ]);
    // The last request's pre-request script needs Node's require: it fails, located, and is not sent.
    const last = result.files[0]!.requests.at(-1)!;
    expect(last.outcome).toBe('failed');
    expect(last.error).toBe('simple.http:81:10: JetBrains script API "require" is not supported by httprun (supported: client, request)');
  });

  test('simple.http without the environment it reads: {{ $env.X }} unset is reported before anything is sent', async () => {
    const { result, sent } = await wire('simple.http');
    expect(sent).toHaveLength(0);
    expect(result.files[0]!.error).toBe(
      'simple.http:9:21: $processEnv API_BEARER_TOKEN: "API_BEARER_TOKEN" is not set in the process environment (and 1 more)',
    );
  });
});
