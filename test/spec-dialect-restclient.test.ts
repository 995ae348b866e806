// VS Code REST Client semantics (its README and src/utils: the request parser, the file, system and
// request variable providers), checked through run() against a recording server on 127.0.0.1. The
// README's own example files are run in spec-format-dialects.test.ts; this file covers what REST
// Client users rely on beyond them.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import dayjs from 'dayjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import type { RunResult } from '../src/run/result.js';
import { project } from './helpers/cli.js';
import { serve, type Recorded, type TestServer } from './helpers/server.js';

let server: TestServer;

const REPLIES = '<replies><reply id="r1">first</reply><reply id="r2"><b>bold</b> second</reply></replies>';

beforeAll(async () => {
  server = await serve((request, response) => {
    const path = request.url.split('?')[0]!;
    if (path === '/login') {
      response
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-authtoken': 'tok-9' })
        .end(JSON.stringify({ token: 'jwt-1', user: { id: 42, roles: ['a', 'b'] } }));
    } else if (path === '/lone-surrogate') {
      // A JSON escape of half a surrogate pair: JSON.parse gives a string no UTF-8 can carry.
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"v": "a\\ud800b"}');
    } else if (path === '/replies') {
      response.writeHead(200, { 'content-type': 'application/xml' }).end(REPLIES);
    } else if (path === '/text') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('{"hidden": "in text"}');
    } else if (path === '/redirect') {
      response.writeHead(302, { location: '/final' }).end();
    } else if (path === '/set-cookie') {
      response.writeHead(200, { 'set-cookie': 'sid=abc; Path=/' }).end('set');
    } else {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
  });
});
afterAll(() => server?.close());

const NOW = new Date('2024-02-29T13:45:30.123Z');

interface Outcome {
  result: RunResult;
  sent: Recorded[];
  warnings: string[];
}

/** Runs `main.http` of a fresh project holding `files`; `{{server}}` (a --var) is the recording server. */
async function wire(
  files: Record<string, string>,
  options: { env?: string; vars?: Record<string, string>; processEnv?: Record<string, string> } = {},
): Promise<Outcome> {
  const root = project(files);
  const before = server.requests.length;
  const warnings: string[] = [];
  const result = await run([join(root, 'main.http')], {
    cwd: root,
    env: options.env ?? null,
    vars: { server: server.url, ...options.vars },
    processEnv: options.processEnv ?? {},
    now: () => NOW,
    reporters: [
      {
        onEvent: (event) => {
          if (event.type === 'diagnostics') {
            warnings.push(...event.diagnostics.map((d) => `${d.severity}: ${d.message}${d.hint === undefined ? '' : ` (hint: ${d.hint})`}`));
          }
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

function query(request: Recorded): Record<string, string> {
  return Object.fromEntries(new URL(request.url, 'http://x').searchParams);
}

describe('file variables', () => {
  test('a file variable may name others defined anywhere in the file, and environment values', async () => {
    const { result, sent } = await wire(
      {
        'http-client.env.json': JSON.stringify({ dev: { version: 'v2' } }),
        'main.http': [
          '@host = {{base}}/{{version}}',
          '@base = {{server}}',
          '',
          '###',
          'GET {{host}}/comments',
          '',
        ].join('\n'),
      },
      { env: 'dev' },
    );
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/v2/comments']);
  });

  test('values are trimmed; {{%name}} percent-encodes the value as encodeURIComponent does', async () => {
    const { sent } = await wire({
      'main.http': "@name =   Strunk & White/é?   \n\nGET {{server}}/authors/{{%name}}?q={{%name}}\nX-Name: {{name}}\n",
    });
    expect(sent[0]!.url).toBe(`/authors/${encodeURIComponent('Strunk & White/é?')}?q=${encodeURIComponent('Strunk & White/é?')}`);
    expect(header(sent[0]!, 'x-name')).toBe('Strunk & White/é?');
  });

  test('{{%name}} of a captured value holding a lone surrogate sends U+FFFD instead of failing the run', async () => {
    const { result, sent } = await wire({
      'main.http':
        '# @name lone\nGET {{server}}/lone-surrogate\n\n?? body $.v urlEncode == a%EF%BF%BDb\n\n###\n@v = {{lone.response.body.$.v}}\nGET {{server}}/echo?q={{%v}}\n',
    });
    expect(result.files[0]!.error).toBeNull();
    expect(result.summary.exitCode).toBe(0);
    expect(sent[1]!.url).toBe('/echo?q=a%EF%BF%BDb');
  });

  test('{{%name}} percent-encodes a request reference too', async () => {
    const { result, sent } = await wire({
      'main.http': '# @name lone\nGET {{server}}/lone-surrogate\n\n###\nGET {{server}}/echo?q={{%lone.response.body.$.v}}&t={{%lone.response.headers.Content-Type}}\n',
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent[1]!.url).toBe(`/echo?q=a%EF%BF%BDb&t=${encodeURIComponent('application/json')}`);
  });

  test('@name = {{$dotenv NAME}} reads the .env beside the file; {{$processEnv NAME}} the process environment', async () => {
    const { result, sent } = await wire(
      {
        '.env': 'API_USER=dot-user\n',
        'main.http': '@user = {{$dotenv API_USER}}\n\nGET {{server}}/u?user={{user}}&home={{$processEnv HOME_DIR}}\n',
      },
      { processEnv: { HOME_DIR: '/home/ada' } },
    );
    expect(result.summary.exitCode).toBe(0);
    expect(query(sent[0]!)).toEqual({ user: 'dot-user', home: '/home/ada' });
  });

  test('{{$processEnv %key}} and {{$dotenv %key}}: the selected environment\'s value of key names the variable', async () => {
    const files = {
      'http-client.env.json': JSON.stringify({
        $shared: { dotKey: 'SHARED_DOT' },
        local: { secretKey: 'DEVSECRET', dotKey: 'LOCAL_DOT' },
        production: { secretKey: 'PRODSECRET' },
      }),
      '.env': 'LOCAL_DOT=from-local\nSHARED_DOT=from-shared\n',
      'main.http': 'GET {{server}}/s?key={{$processEnv %secretKey}}&dot={{$dotenv %dotKey}}\n',
    };
    const processEnv = { DEVSECRET: 'dev-secret', PRODSECRET: 'prod-secret' };
    const local = await wire(files, { env: 'local', processEnv });
    const production = await wire(files, { env: 'production', processEnv });
    expect(local.result.summary.exitCode).toBe(0);
    expect(production.result.summary.exitCode).toBe(0);
    expect([query(local.sent[0]!), query(production.sent[0]!)]).toEqual([
      { key: 'dev-secret', dot: 'from-local' },
      { key: 'prod-secret', dot: 'from-shared' },
    ]);
  });

  test('{{$processEnv %key}} without an environment defining key reads key itself, as REST Client does', async () => {
    const found = await wire({ 'main.http': 'GET {{server}}/s?key={{$processEnv %DEVSECRET}}\n' }, { processEnv: { DEVSECRET: 'd' } });
    expect(query(found.sent[0]!)).toEqual({ key: 'd' });
    const missing = await wire({ 'main.http': 'GET {{server}}/s?key={{$processEnv %secretKey}}\n' });
    expect(missing.sent).toHaveLength(0);
    expect(missing.result.files[0]!.error).toBe(
      'main.http:1:22: $processEnv %secretKey reads secretKey itself (no environment defines secretKey); $processEnv secretKey: "secretKey" is not set in the process environment',
    );
    const unset = await wire(
      {
        'http-client.env.json': JSON.stringify({ production: { secretKey: 'PRODSECRET' } }),
        'main.http': 'GET {{server}}/s?key={{$processEnv %secretKey}}\n',
      },
      { env: 'production' },
    );
    expect(unset.sent).toHaveLength(0);
    expect(unset.result.files[0]!.error).toBe(
      'main.http:1:22: $processEnv %secretKey reads PRODSECRET (the environment\'s secretKey); $processEnv PRODSECRET: "PRODSECRET" is not set in the process environment',
    );
  });

  test('$dotenv with --env NAME reads .env.NAME over .env (REST Client looks for .env.<environment> first)', async () => {
    const files = {
      'http-client.env.json': JSON.stringify({ local: {}, production: {} }),
      '.env': 'API_USER=generic\nONLY_GENERIC=g\n',
      '.env.local': 'API_USER=local-user\n',
      'main.http': 'GET {{server}}/u?user={{$dotenv API_USER}}&g={{$dotenv ONLY_GENERIC}}\n',
    };
    const local = await wire(files, { env: 'local' });
    const production = await wire(files, { env: 'production' });
    const none = await wire(files);
    expect([local, production, none].map((outcome) => query(outcome.sent[0]!))).toEqual([
      { user: 'local-user', g: 'g' },
      { user: 'generic', g: 'g' },
      { user: 'generic', g: 'g' },
    ]);
  });

  test('an unset $processEnv is reported before anything is sent (REST Client would send an empty string)', async () => {
    const { result, sent } = await wire({ 'main.http': 'GET {{server}}/u?k={{$processEnv NOT_SET_ANYWHERE}}\n' });
    expect(sent).toHaveLength(0);
    expect(result.summary.exitCode).toBe(2);
    expect(result.files[0]!.error).toBe(
      'main.http:1:20: $processEnv NOT_SET_ANYWHERE: "NOT_SET_ANYWHERE" is not set in the process environment',
    );
  });
});

describe('system variables (formats and offsets as REST Client\'s systemVariableProvider computes them)', () => {
  test('$guid, $randomInt min max (max excluded), $timestamp with offsets', async () => {
    const { result, sent } = await wire({
      'main.http': 'GET {{server}}/s?g={{$guid}}&r={{$randomInt 5 6}}&t={{$timestamp}}&t3={{$timestamp -3 h}}&t2={{$timestamp 2 d}}&tms={{$timestamp 1500 ms}}\n',
    });
    expect(result.summary.exitCode).toBe(0);
    const q = query(sent[0]!);
    const seconds = Math.floor(NOW.getTime() / 1000);
    expect(q.g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(q).toMatchObject({
      r: '5',
      t: String(seconds),
      t3: String(seconds - 3 * 3600),
      t2: String(seconds + 2 * 86400),
      tms: String(Math.floor((NOW.getTime() + 1500) / 1000)),
    });
  });

  test('$datetime rfc1123 | iso8601 | "format" | \'format\', each with an optional offset, in UTC', async () => {
    const { result, sent } = await wire({
      'main.http': [
        'GET {{server}}/d',
        'X-Rfc: {{$datetime rfc1123}}',
        'X-Iso: {{$datetime iso8601}}',
        'X-Iso-Year: {{$datetime iso8601 1 y}}',
        'X-Custom: {{$datetime "DD-MM-YYYY" 1 y}}',
        "X-Single: {{$datetime 'YYYY-MM-DD HH:mm' -1 M}}",
        'X-Week: {{$datetime "YYYY-MM-DD" 1 w}}',
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(['rfc', 'iso', 'iso-year', 'custom', 'single', 'week'].map((n) => header(sent[0]!, `x-${n}`))).toEqual([
      'Thu, 29 Feb 2024 13:45:30 GMT',
      '2024-02-29T13:45:30.123Z',
      '2025-02-28T13:45:30.123Z', // dayjs clamps to the last day of the month
      '28-02-2025',
      '2024-01-29 13:45',
      '2024-03-07',
    ]);
  });

  test('$localDatetime formats in the local time zone, with REST Client\'s rfc1123 and iso8601 spellings', async () => {
    const { sent } = await wire({
      'main.http': [
        'GET {{server}}/d',
        'X-Rfc: {{$localDatetime rfc1123}}',
        'X-Iso: {{$localDatetime iso8601}}',
        "X-Custom: {{$localDatetime 'YYYY-MM-DD HH:mm' 2 h}}",
        '',
      ].join('\n'),
    });
    const local = dayjs(NOW);
    expect(header(sent[0]!, 'x-rfc')).toBe(local.format('ddd, DD MMM YYYY HH:mm:ss ZZ'));
    // dayjs().format(): seconds and the local offset, no milliseconds (the UTC form keeps them).
    expect(header(sent[0]!, 'x-iso')).toBe(local.format('YYYY-MM-DDTHH:mm:ssZ'));
    expect(header(sent[0]!, 'x-custom')).toBe(local.add(2, 'h').format('YYYY-MM-DD HH:mm'));
  });

  test('a malformed system variable is reported with its form, nothing is sent', async () => {
    const { result, sent } = await wire({ 'main.http': 'GET {{server}}/d?x={{$datetime tomorrow}}\n' });
    expect(sent).toHaveLength(0);
    expect(result.files[0]!.error).toBe(
      'main.http:1:20: $datetime expects a format (iso8601, rfc1123 or a quoted dayjs format such as "YYYY-MM-DD") and an optional offset "<integer> <unit>" (unit one of y Q M w d h m s ms), got "tomorrow"',
    );
  });
});

describe('request variables: {{name.(response|request).(body|headers).(*|JSONPath|XPath|header)}}', () => {
  test('JSONPath, case-insensitive headers, *, request body and headers, and an XPath attribute and text', async () => {
    const { result, sent } = await wire({
      'main.http': [
        '# @name login',
        'POST {{server}}/login',
        'Content-Type: application/json',
        'X-Trace: t-1',
        '',
        '{"user": "ada", "n": 1}',
        '',
        '###',
        '@token = {{login.response.body.$.token}}',
        '',
        '// @name replies',
        'GET {{server}}/replies',
        'Authorization: Bearer {{token}}',
        '',
        '###',
        'GET {{server}}/use?id={{login.response.body.$.user.id}}&roles={{login.response.body.$.user.roles}}&h={{login.response.headers.x-AUTHTOKEN}}&u={{login.request.body.$.user}}&rh={{login.request.headers.x-trace}}&first={{replies.response.body.//reply[1]/@id}}&text={{replies.response.body.//reply[1]}}',
        'X-Whole: {{login.response.body.*}}',
        'X-Request: {{login.request.body.*}}',
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(header(sent[1]!, 'authorization')).toBe('Bearer jwt-1');
    expect(query(sent[2]!)).toEqual({ id: '42', roles: '["a","b"]', h: 'tok-9', u: 'ada', rh: 't-1', first: 'r1', text: 'first' });
    expect(header(sent[2]!, 'x-whole')).toBe('{"token":"jwt-1","user":{"id":42,"roles":["a","b"]}}');
    expect(header(sent[2]!, 'x-request')).toBe('{"user": "ada", "n": 1}');
  });

  test('asJson. and asXml. read a body as JSON or XML whatever its Content-Type (a text/plain request body here)', async () => {
    const { result, sent } = await wire({
      'main.http': [
        '# @name j',
        'POST {{server}}/a',
        'Content-Type: text/plain',
        '',
        '{"k": "v", "n": [1, 2]}',
        '',
        '###',
        '# @name x',
        'POST {{server}}/b',
        'Content-Type: text/plain',
        '',
        '<r><id>7</id></r>',
        '',
        '###',
        '# @name t',
        'GET {{server}}/text',
        '',
        '###',
        'GET {{server}}/use?k={{j.request.body.asJson.$.k}}&n={{j.request.body.asJson.$.n}}&id={{x.request.body.asXml.//id}}&h={{t.response.body.asJson.$.hidden}}',
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(query(sent[3]!)).toEqual({ k: 'v', n: '[1,2]', id: '7', h: 'in text' });
  });

  test('asXml. on a body that is not XML names the problem', async () => {
    const { result } = await wire({
      'main.http': '# @name t\nGET {{server}}/text\n\n###\nGET {{server}}/use?id={{t.response.body.asXml.//id}}\n',
    });
    expect(result.files[0]!.requests[1]!.error).toBe('{{t.response.body.asXml.//id}}: the body is not well-formed XML (missing root element)');
  });

  test('a request referenced before it is defined runs first, once', async () => {
    const { sent } = await wire({
      'main.http': 'GET {{server}}/use?t={{login.response.body.$.token}}\n\n###\n# @name login\nPOST {{server}}/login\n',
    });
    expect(sent.map((r) => r.url)).toEqual(['/login', '/use?t=jwt-1']);
  });

  test('a header the response does not have is an error of the request that reads it', async () => {
    const { result, sent } = await wire({
      'main.http': '# @name login\nPOST {{server}}/login\n\n###\nGET {{server}}/use?h={{login.response.headers.X-Missing}}\n',
    });
    expect(sent.map((r) => r.url)).toEqual(['/login']);
    expect(result.files[0]!.requests[1]!.error).toBe('{{login.response.headers.X-Missing}}: the response has no header X-Missing');
  });
});

describe('request metadata: # @prompt, # @note, # @no-redirect, # @no-cookie-jar', () => {
  test('# @note and # @prompt are known keys (no warning); a prompt variable given with --var is sent', async () => {
    const { result, sent, warnings } = await wire(
      {
        'main.http': [
          '###',
          '# @prompt username',
          '# @prompt refCode Your reference code display on webpage',
          '// @note',
          'POST {{server}}/verify/{{refCode}}',
          'Content-Type: application/json',
          '',
          '{"username": "{{username}}"}',
          '',
        ].join('\n'),
      },
      { vars: { username: 'ada', refCode: 'R1' } },
    );
    expect(result.summary.exitCode).toBe(0);
    expect(warnings).toEqual([]);
    expect(sent.map((r) => `${r.url} ${r.body.toString()}`)).toEqual(['/verify/R1 {"username": "ada"}']);
  });

  test('a # @prompt variable without a value: reported before sending, the hint names the prompt and --var', async () => {
    const { result, sent, warnings } = await wire({
      'main.http': [
        '@username = ada',
        '',
        '###',
        '# @prompt username',
        '// @prompt otp Your one-time password in your mailbox',
        'POST {{server}}/verify?otp={{otp}}',
        '',
        '{"username": "{{username}}"}',
        '',
      ].join('\n'),
    });
    expect(sent).toHaveLength(0);
    expect(result.summary.exitCode).toBe(2);
    // httprun does not ask: a value the file gives is used (REST Client would ask and let the answer win).
    expect(warnings).toEqual([
      'error: undefined variable {{otp}} (hint: # @prompt otp (line 5) asks for it in REST Client; httprun never prompts: give it with --var otp=...)',
    ]);
  });

  test('# @no-redirect keeps the 3xx; without it the redirect is followed', async () => {
    const { result, sent } = await wire({
      'main.http': '# @no-redirect\nGET {{server}}/redirect\n\n###\n// @no-redirect\nGET {{server}}/redirect\n\n###\nGET {{server}}/redirect\n',
    });
    expect(result.files[0]!.requests.map((r) => r.status)).toEqual([302, 302, 200]);
    expect(sent.map((r) => r.url)).toEqual(['/redirect', '/redirect', '/redirect', '/final']);
  });

  test('# @no-cookie-jar: the request neither sends the jar\'s cookies nor fills it', async () => {
    const { sent } = await wire({
      'main.http': [
        'GET {{server}}/set-cookie',
        '',
        '###',
        '# @no-cookie-jar',
        'GET {{server}}/plain',
        '',
        '###',
        'GET {{server}}/plain',
        '',
      ].join('\n'),
    });
    expect(sent.map((r) => `${r.url} ${header(r, 'cookie') ?? '-'}`)).toEqual(['/set-cookie -', '/plain -', '/plain sid=abc']);
  });
});

describe('authorization shortcuts', () => {
  test.each([
    ['Basic user:passwd', 'user:passwd'],
    ['Basic user passwd', 'user:passwd'],
    ['basic user pass word', 'user:pass word'], // REST Client joins the rest with spaces
    ['Basic dXNlcjpwYXNzd2Q=', null], // already encoded: sent as written
  ])('Authorization: %s', async (written, credentials) => {
    const { sent } = await wire({ 'main.http': `GET {{server}}/a\nAuthorization: ${written}\n` });
    const expected = credentials === null ? written : `Basic ${Buffer.from(credentials).toString('base64')}`;
    expect(header(sent[0]!, 'authorization')).toBe(expected);
  });

  test('Authorization: Digest user passwd answers the challenge', async () => {
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const digest = await serve((request, response) => {
      const written = request.headers.authorization ?? '';
      if (!written.startsWith('Digest ')) {
        response.writeHead(401, { 'www-authenticate': 'Digest realm="me@kennethreitz.com", qop="auth", nonce="abc", algorithm=MD5' }).end();
        return;
      }
      const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(written)?.[1] ?? '';
      const ha1 = md5('user:me@kennethreitz.com:passwd');
      const ha2 = md5(`GET:${field('uri')}`);
      const ok = field('response') === md5(`${ha1}:abc:${field('nc')}:${field('cnonce')}:auth:${ha2}`);
      response.writeHead(ok ? 200 : 403).end();
    });
    try {
      const root = project({ 'main.http': `GET ${digest.url}/digest-auth/auth/user/passwd\nAuthorization: Digest user passwd\n` });
      const result = await run([join(root, 'main.http')], { cwd: root, processEnv: {} });
      expect(result.files[0]!.requests[0]!.status).toBe(200);
      expect(digest.requests).toHaveLength(2);
    } finally {
      await digest.close();
    }
  });
});

describe('request text: request line forms, comments, query lines, bodies', () => {
  test('URL alone, METHOD URL HTTP/1.1, lower-case method; # and // comment lines between headers', async () => {
    const { result, sent } = await wire({
      'main.http': [
        '{{server}}/alone',
        '',
        '###',
        'DELETE {{server}}/versioned HTTP/1.1',
        '# a comment',
        'X-A: 1',
        '// another comment',
        'X-B: 2',
        '',
        '###',
        'patch {{server}}/lower',
        '',
      ].join('\n'),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /alone', 'DELETE /versioned', 'PATCH /lower']);
    expect([header(sent[1]!, 'x-a'), header(sent[1]!, 'x-b')]).toEqual(['1', '2']);
  });

  test('?a= and &b= continuation lines, indented or not, join the URL', async () => {
    const { sent } = await wire({
      'main.http': 'GET {{server}}/comments\n    ?page=2\n    &pageSize=10\n&sort=desc\nAccept: application/json\n',
    });
    expect(sent[0]!.url).toBe('/comments?page=2&pageSize=10&sort=desc');
    expect(header(sent[0]!, 'accept')).toBe('application/json');
  });

  test('x-www-form-urlencoded over several & lines is joined without line breaks', async () => {
    const { sent } = await wire({
      'main.http': 'POST {{server}}/login\nContent-Type: application/x-www-form-urlencoded\n\nname=foo\n&password=bar\n&remember=true\n',
    });
    expect(sent[0]!.body.toString()).toBe('name=foo&password=bar&remember=true');
  });

  test('< ./file is sent verbatim, <@ ./file with variables substituted', async () => {
    const { sent } = await wire(
      {
        'body.json': '{"id": "{{id}}"}\n',
        'main.http': '@id = 7\n\nPOST {{server}}/raw\n\n< ./body.json\n\n###\nPOST {{server}}/sub\n\n<@ ./body.json\n',
      },
    );
    expect(sent.map((r) => r.body.toString())).toEqual(['{"id": "{{id}}"}\n', '{"id": "7"}\n']);
  });

  test('X-REQUEST-TYPE: GraphQL: query then a blank line then variables; the header itself is not sent', async () => {
    const { sent } = await wire({
      'main.http': [
        'POST {{server}}/graphql',
        'Content-Type: application/json',
        'X-REQUEST-TYPE: GraphQL',
        '',
        'query GetUser($id: ID!) {',
        '  user(id: $id) { name }',
        '}',
        '',
        '{"id": "{{userId}}"}',
        '',
      ].join('\n'),
    }, { vars: { userId: 'u1' } });
    expect(JSON.parse(sent[0]!.body.toString())).toEqual({
      query: 'query GetUser($id: ID!) {\n  user(id: $id) { name }\n}',
      variables: { id: 'u1' },
      operationName: 'GetUser',
    });
    expect(header(sent[0]!, 'x-request-type')).toBeUndefined();
  });

  test('multipart/form-data: CRLF framing, a < file part byte for byte', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const root = project({
      'img.png': png,
      'main.http': [
        `POST ${server.url}/upload`,
        'Content-Type: multipart/form-data; boundary=XyZ',
        '',
        '--XyZ',
        'Content-Disposition: form-data; name="text"',
        '',
        'title',
        '--XyZ',
        'Content-Disposition: form-data; name="image"; filename="img.png"',
        'Content-Type: image/png',
        '',
        '< ./img.png',
        '--XyZ--',
        '',
      ].join('\n'),
    });
    const before = server.requests.length;
    await run([join(root, 'main.http')], { cwd: root, processEnv: {} });
    const expected = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="text"\r\n\r\ntitle\r\n--XyZ\r\n'),
      Buffer.from('Content-Disposition: form-data; name="image"; filename="img.png"\r\nContent-Type: image/png\r\n\r\n'),
      png,
      Buffer.from('\r\n--XyZ--'),
    ]);
    expect(server.requests[before]!.body.equals(expected)).toBe(true);
  });
});
