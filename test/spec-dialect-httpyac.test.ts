// httpyac's own example files (../shared/dialects/httpyac, from httpyac.github.io/examples) run against a
// recording server on 127.0.0.1, and what goes on the wire checked against the httpyac guide (request
// line, headers, body, variables, metaData, cookies, intellij env files). The files
// spec-format-dialects.test.ts already covers (headers, requestBody*, multipartFormData) are not repeated.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import type { RunResult } from '../src/run/result.js';
import { editedCopy } from './helpers/edited-copy.js';
import { serve, type Recorded, type TestServer } from './helpers/server.js';

const dialects = resolve(import.meta.dirname, '../../shared/dialects/httpyac');
const present = existsSync(dialects);
if (!present) console.log(`httpyac dialect wire tests skipped: ${dialects} is absent`);

let server: TestServer;
let root: string;

const PUBLIC_HOSTS = /https?:\/\/(?:httpbin\.org|countries\.trevorblades\.com)(?::\d+)?/g;

beforeAll(async () => {
  if (!present) return;
  // Enough of httpbin for these files: redirects, cookies, /json, digest auth, and an echo.
  server = await serve((request, response) => {
    const url = new URL(request.url, server.url);
    const path = url.pathname;
    const redirect = /^\/absolute-redirect\/(\d+)$/.exec(path);
    if (redirect) {
      const left = Number(redirect[1]) - 1;
      response.writeHead(302, { location: left > 0 ? `${server.url}/absolute-redirect/${left}` : `${server.url}/get` }).end();
    } else if (path === '/redirect-to') {
      response.writeHead(302, { location: url.searchParams.get('url')! }).end();
    } else if (path === '/cookies/set') {
      const cookies = [...url.searchParams].map(([name, value]) => `${name}=${value}; Path=/`);
      response.writeHead(302, { location: '/cookies', 'set-cookie': cookies }).end();
    } else if (path === '/cookies/delete') {
      const cookies = [...url.searchParams.keys()].map((name) => `${name}=; Max-Age=0; Path=/`);
      response.writeHead(302, { location: '/cookies', 'set-cookie': cookies }).end();
    } else if (path === '/json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"slideshow": {"author": "Yours Truly"}}');
    } else if (path.startsWith('/digest-auth/') && request.headers.authorization === undefined) {
      response.writeHead(401, { 'www-authenticate': 'Digest realm="r", nonce="n1", qop="auth", algorithm=MD5' }).end();
    } else {
      const args = Object.fromEntries(url.searchParams);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ args, url: request.url }));
    }
  });
  // Every public host pointed at the recording server.
  root = editedCopy(dialects, 'httprun-httpyac-', (name) => /\.(http|json)$/.test(name) || name === '.env', (text) => text.replace(PUBLIC_HOSTS, server.url));
  writeFileSync(join(root, 'package.json'), '{"private": true}\n');
});
afterAll(() => server?.close());

async function wire(
  file: string,
  options: { env?: string; vars?: Record<string, string>; processEnv?: Record<string, string> } = {},
): Promise<{ result: RunResult; sent: Recorded[]; warnings: string[] }> {
  const before = server.requests.length;
  const path = join(root, file);
  const warnings: string[] = [];
  const result = await run([path], {
    cwd: resolve(path, '..'),
    env: options.env ?? null,
    vars: options.vars ?? {},
    processEnv: options.processEnv ?? {},
    reporters: [
      {
        onEvent: (event) => {
          if (event.type !== 'diagnostics') return;
          for (const d of event.diagnostics) if (d.severity === 'warning') warnings.push(`${d.span.start.line}: ${d.code}`);
        },
        onEnd: () => {},
      },
    ],
  });
  return { result, sent: server.requests.slice(before), warnings };
}

function header(request: Recorded, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

const lines = (sent: Recorded[]) => sent.map((r) => `${r.method} ${r.url}`);

describe.skipIf(!present)('httpyac request line', () => {
  test('requestlineMultiline.http: an indented line continues the URL', async () => {
    const { sent } = await wire('request/requestlineMultiline.http');
    expect(lines(sent)).toEqual(['GET /get']);
  });

  test('queryStringMultiline.http: indented ?/& lines join the query', async () => {
    const { sent } = await wire('request/queryStringMultiline.http');
    expect(lines(sent)).toEqual(['GET /anything?q=httpyac&ie=UTF-8']);
  });

  test('redirect.http: redirects are followed', async () => {
    const { result, sent } = await wire('request/redirect.http');
    expect(lines(sent)).toEqual(['GET /absolute-redirect/3', 'GET /absolute-redirect/2', 'GET /absolute-redirect/1', 'GET /get']);
    expect(result.files[0]!.requests[0]!.status).toBe(200);
  });

  test('httpMethods.http: every method as written, one request per METHOD line without ###', async () => {
    const { result, sent, warnings } = await wire('project/http/httpMethods.http');
    const methods = result.files[0]!.requests.map((r) => r.method);
    expect(methods).toHaveLength(24);
    expect(warnings.filter((w) => w.endsWith('syntax/implicit-separator'))).toHaveLength(23);
    // CONNECT opens a tunnel: not something a request file can do here, and said so.
    const connect = result.files[0]!.requests.find((r) => r.method === 'CONNECT')!;
    expect(connect.error).toBe('CONNECT requests (tunnels) are not supported by httprun');
    // node:http answers 400 itself to the methods its parser does not know, so only these arrive.
    expect(lines(sent)).toEqual([
      'GET /get',
      'POST /post',
      'PUT /put',
      'DELETE /delete',
      'PATCH /patch',
      'HEAD /get',
      'OPTIONS /get',
      'TRACE /trace',
      'PROPFIND /get',
      'PROPPATCH /get',
      'MKCOL /get',
      'COPY /get',
      'MOVE /get',
      'LOCK /get',
      'UNLOCK /get',
      'CHECKOUT /get',
      'REPORT /get',
      'MERGE /get',
      'MKACTIVITY /get',
    ]);
    expect(methods.slice(-4)).toEqual(['MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL', 'BASELINE-CONTROL']);
    for (const index of [1, 2, 4]) expect(JSON.parse(sent[index]!.body.toString())).toEqual({ name: 'john smith' });
  });

  test('region_separator.http: origin-form targets take host (a URL or host:port) from --var or, as in httpyac, the .env beside it; a bare /path is GET', async () => {
    const withUrl = await wire('metaData/region_separator.http', { vars: { host: server.url } });
    expect(lines(withUrl.sent)).toEqual(['GET /xml', 'GET /json', 'GET /xml']);
    const withAuthority = await wire('metaData/region_separator.http', { vars: { host: new URL(server.url).host } });
    expect(lines(withAuthority.sent)).toEqual(['GET /xml', 'GET /json', 'GET /xml']);
    // The collection's .env (host=https://httpbin.org, rewritten to the local server here).
    const fromDotenv = await wire('metaData/region_separator.http');
    expect(lines(fromDotenv.sent)).toEqual(['GET /xml', 'GET /json', 'GET /xml']);
    const dotenv = readFileSync(join(root, '.env'), 'utf8');
    rmSync(join(root, '.env'));
    try {
      const without = await wire('metaData/region_separator.http');
      expect(without.sent).toHaveLength(0);
      expect(without.result.files[0]!.error).toBe('region_separator.http:2:1: the request target /xml has no host (and 2 more)');
    } finally {
      writeFileSync(join(root, '.env'), dotenv);
    }
  });

  test('requestAndResponse.http: a pasted response is not sent, the next GET after it is', async () => {
    const { result, sent, warnings } = await wire('project/http/requestAndResponse.http', { vars: { host: server.url } });
    expect(result.summary.exitCode).toBe(0);
    expect(lines(sent)).toEqual(['GET /json', 'GET /json']);
    expect(warnings).toContain('6: run/pasted-response-skipped');
  });
});

describe.skipIf(!present)('httpyac bodies', () => {
  test('markdown.http: a Markdown body keeps its # headings and front matter', async () => {
    const { sent } = await wire('project/formats/markdown.http', { vars: { host: server.url } });
    expect(header(sent[0]!, 'content-type')).toBe('text/markdown; charset=UTF-8');
    expect(sent[0]!.body.toString()).toBe(
      '---\nsome:\n  - markdown\n  - frontmatter\n  - as yaml\n---\n\n# Main header\n\n## Some header\n\nThe quick brown fox...',
    );
    expect(lines(sent)).toEqual(['POST /anything', 'POST /anything']);
    expect(sent[1]!.body.length).toBe(0);
  });

  test('graphql.http and graphqlNoVariables.http: query (+ variables) as JSON with the operation name', async () => {
    const query =
      'query Continents($code: String!) {\n    continents(filter: {code: {eq: $code}}) {\n      code\n      name\n    }\n}';
    const withVariables = await wire('request/graphql/graphql.http');
    expect(JSON.parse(withVariables.sent[0]!.body.toString())).toEqual({
      query,
      variables: { code: 'EU' },
      operationName: 'Continents',
    });
    const noVariables = await wire('request/graphql/graphqlNoVariables.http');
    expect(JSON.parse(noVariables.sent[0]!.body.toString())).toEqual({
      query: 'query ExampleQuery {\n    continents {\n      code\n      name\n    }\n}',
      operationName: 'ExampleQuery',
    });
  });

  test('graphqlImport.http: `gql Continents < ./graphql.gql` reads the query from the file', async () => {
    const { result, sent } = await wire('request/graphql/graphqlImport.http');
    expect(result.summary.exitCode).toBe(0);
    const query = readFileSync(join(root, 'request/graphql/graphql.gql'), 'utf8').trim();
    expect(JSON.parse(sent[0]!.body.toString())).toEqual({ query, variables: { code: 'EU' }, operationName: 'Continents' });
    expect(header(sent[0]!, 'content-type')).toBe('application/json');
  });

  test('a gql import whose file is missing is reported at its line, nothing is sent', async () => {
    writeFileSync(
      join(root, 'request/graphql/missing.http'),
      `POST ${server.url}/graphql\nContent-Type: application/json\n\ngql Q < ./nope.gql\n`,
    );
    const { result, sent } = await wire('request/graphql/missing.http');
    expect(sent).toHaveLength(0);
    expect(result.files[0]!.error).toBe('missing.http:4:1: cannot read the GraphQL file ./nope.gql: no such file');
  });

  test('escapeVariableSubstitution.http: \\{\\{ \\}\\} sends literal braces; the body may follow the request line directly', async () => {
    const { sent, warnings } = await wire('variables/escapeVariableSubstitution.http');
    expect(sent[0]!.body.toString()).toBe('{\n  "template": "My {{someVerb}} template!!"\n}');
    expect(warnings).toEqual(['2: syntax/missing-blank-line']);
  });
});

describe.skipIf(!present)('httpyac variables and auth', () => {
  test('basicAuth.http: `Basic user password` is base64-encoded', async () => {
    const { sent } = await wire('variables/basicAuth.http', { vars: { host: server.url } });
    expect(lines(sent)).toEqual(['GET /basic-auth/doe/12345678']);
    expect(header(sent[0]!, 'authorization')).toBe(`Basic ${Buffer.from('doe:12345678').toString('base64')}`);
  });

  test('digest.http: `Digest user password` answers the challenge', async () => {
    const { result, sent } = await wire('variables/digest.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent).toHaveLength(2);
    expect(header(sent[0]!, 'authorization')).toBeUndefined();
    expect(header(sent[1]!, 'authorization')).toMatch(
      /^Digest username="doe", realm="r", nonce="n1", uri="\/digest-auth\/auth\/doe\/12345678", algorithm=MD5, qop=auth, nc=00000001, cnonce="[0-9a-f]+", response="[0-9a-f]{32}"$/,
    );
  });

  test('host.http: @host gives origin-form targets their origin', async () => {
    const { sent } = await wire('variables/host.http');
    expect(lines(sent)).toEqual(['GET /anything?q=1', 'GET /anything?q=2']);
  });

  test('variablesFixed.http: a variable is fixed where it is defined (@bar redefined later does not change @foo)', async () => {
    const { sent } = await wire('variables/variablesFixed.http');
    expect(lines(sent)).toEqual(['GET /anything?foo=foobar', 'GET /anything?foo=foobar']);
  });

  test('intellij.http: JetBrains dynamic variables in a multi-line query', async () => {
    const { sent } = await wire('variables/intellij.http');
    const query = new URL(sent[0]!.url, server.url).searchParams;
    expect(query.get('$timestamp')).toMatch(/^\d{10}$/);
    expect(query.get('$uuid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(query.get('$random.uuid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(query.get('$randomInt'))).toBeLessThanOrEqual(1000);
    expect(query.get('$isoTimestamp')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(Number(query.get('$random.integer'))).toBeGreaterThanOrEqual(2);
    expect(Number(query.get('$random.integer'))).toBeLessThanOrEqual(8);
    expect(Number(query.get('$random.float'))).toBeGreaterThanOrEqual(2);
    expect(query.get('$random.alphabetic')).toMatch(/^[A-Za-z]{50}$/);
    expect(query.get('$random.email')).toMatch(/^\S+@\S+\.\S+$/);
    expect(query.get('$random.hexadecimal')).toMatch(/^[0-9a-f]{3}$/i);
  });

  test('restClient.http: REST Client dynamic variables; {{process.env.X}} is a look-up of the process environment', async () => {
    const { result, sent } = await wire('variables/restClient.http', { vars: { host: server.url }, processEnv: { USER2: 'u2' } });
    expect(result.summary.exitCode).toBe(0);
    expect(new URL(sent[sent.length - 1]!.url, server.url).searchParams.get('q')).toBe('u2');
    sent.pop();
    const q = sent.map((r) => new URL(r.url, server.url).searchParams.get('q')!);
    expect(q).toHaveLength(24);
    expect(q[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(q[1])).toBeGreaterThanOrEqual(100);
    expect(Number(q[1])).toBeLessThan(200);
    expect(Number(q[3])).toBeGreaterThanOrEqual(-100);
    expect(Number(q[3])).toBeLessThan(-50);
    expect(Number(q[6]) - Number(q[5])).toBeGreaterThanOrEqual(7199);
    expect(q[7]).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
    expect(q[11]).toMatch(/^\d\d\.\d\d\.\d{4}$/);
    expect(q[13]).toBe(q[11]); // 'DD.MM.YYYY' in single quotes as in double quotes
    expect(q[19]).toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
    expect(q[23]).toBe('u2');
  });
});

describe.skipIf(!present)('httpyac metaData', () => {
  test('name.http: @name json, then {{json.slideshow.author}} reads its body in a request marked @ref', async () => {
    const { result, sent } = await wire('metaData/name.http');
    expect(result.summary.exitCode).toBe(0);
    expect(lines(sent)).toEqual(['GET /json', 'POST /anything']);
    expect(sent[1]!.body.toString()).toBe('Yours Truly');
  });

  test('ref.http: @ref and @forceRef reuse the named response (every request runs at most once, SPEC §7)', async () => {
    const { result, sent } = await wire('metaData/ref.http');
    expect(result.summary.exitCode).toBe(0);
    expect(lines(sent).slice(1)).toEqual(['POST /anything', 'POST /anything']);
    const id = new URL(sent[0]!.url, server.url).searchParams.get('id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]!.body.toString()).toBe(id);
    expect(sent[2]!.body.toString()).toBe(id);
  });

  test('noRedirect.http: @no-redirect keeps the 302', async () => {
    const { result, sent } = await wire('metaData/noRedirect.http');
    expect(lines(sent)).toEqual(['GET /absolute-redirect/2']);
    expect(result.files[0]!.requests[0]!.status).toBe(302);
  });

  test('postRedirectGet.http: the POST answered 302 is followed with a GET without the body', async () => {
    const { sent } = await wire('metaData/postRedirectGet.http');
    expect(lines(sent)).toEqual([`POST /redirect-to?url=${server.url}/get`, 'GET /get']);
    expect(JSON.parse(sent[0]!.body.toString())).toEqual({ test: 'foo' });
    expect(sent[1]!.body.length).toBe(0);
  });
});

describe.skipIf(!present)('httpyac cookies and intellij env files', () => {
  test('cookies.http: the jar sends what the server set and drops what it deleted; a written Cookie header is merged', async () => {
    const { result, sent } = await wire('project/http/cookies.http');
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => `${r.url} ${header(r, 'cookie') ?? '-'}`)).toEqual([
      '/cookies/set?foo=bar -',
      '/cookies foo=bar',
      '/cookies foo=bar',
      '/cookies bar=foo; foo=bar',
      '/cookies/delete?foo=bar foo=bar',
      '/cookies -',
      '/cookies/delete?bar=foo -',
      '/cookies -',
    ]);
  });

  test('intellijEnvironments/test.http: --env picks the environment, the private file wins over the public one', async () => {
    const dev = await wire('project/intellijEnvironments/test.http', { env: 'dev' });
    expect(lines(dev.sent)).toEqual(['GET /anything?var=private']);
    const prod = await wire('project/intellijEnvironments/test.http', { env: 'prod' });
    expect(lines(prod.sent)).toEqual(['GET /anything?var=prod']);
    const none = await wire('project/intellijEnvironments/test.http');
    expect(none.sent).toHaveLength(0);
    expect(none.result.files[0]!.error).toBe('test.http:1:41: undefined variable {{foo}}');
  });
});
