import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { SecretSet } from '../src/run/secret-set.js';
import { audit, HARD, jsonReport, startServer, telling, TOKEN } from './helpers/leak-audit.js';

// Audit h43: "no secret reaches any output", for the paths added since the first leak tests
// (leak-secrets, leak-outputs, mask): imports, scripts, GraphQL/multipart/form/curl bodies, the
// encodings a server or an error may show, error paths, kulala shared blocks, $dotenv/$processEnv.
// Each test runs the real CLI with --verbose, every report and GitHub annotations against a local
// server that echoes what it received, and searches every byte written for the secret in every form
// it can take (test/helpers/leak-audit.ts).

describe('imported files', () => {
  test('the secrets of an imported or run file are masked from the importer\'s first response on', async () => {
    // The console prints each response as it arrives: a secret first learnt when `run #Login` renders
    // it would be shown by any response before that line. Reports, written at the end, always masked it.
    const priv = 'key-Priv-77x1';
    const server = await startServer(telling([TOKEN, priv, HARD]));
    const a = await audit(
      {
        'main.http': [
          'import ./lib/auth.http',
          '',
          `GET ${server.url}/tell`,
          '',
          '###',
          'run #Login',
          '',
          '###',
          'run ./other.http',
          '',
          '###',
          '# @import ./ref.http',
          '# @ref login',
          `GET ${server.url}/after`,
        ].join('\n'),
        'lib/auth.http': [
          '# @name Login',
          `POST ${server.url}/login?k={{apiKey}}`,
          'X-Pass: <<PASS>>',
        ].join('\n'),
        'lib/http-client.private.env.json': JSON.stringify({ $shared: { apiKey: priv } }),
        'other.http': `POST ${server.url}/other\nX-Hard: <<HARD>>\n`,
        'ref.http': `# @name login\nPOST ${server.url}/ref\nX-Ref: <<PASS>>\n`,
        '.env': `PASS=${TOKEN}\nHARD='${HARD}'\n`,
      },
      ['main.http'],
      [TOKEN, priv, HARD],
      { env: { PASS: undefined, HARD: undefined } },
    );
    expect(a.run.code, a.run.stdout).toBe(0);
    expect(a.run.stdout).toContain(`told: *** | *** | ***`);
    expect(a.hits).toEqual([]);
  });
});

describe('JetBrains scripts', () => {
  test('a private env value a script reads is a secret: logged, thrown, stored with client.global.set, in a client.test message', async () => {
    // README: "Values of http-client.private.env.json are secrets however they are written" — a
    // script's request.environment.get is one more way to write one. A name the script computes is
    // known when the script reads it; a literal name from the static pass on, before any response.
    const priv = 'priv-Only-in-Script9';
    const computed = 'comp-Secret-55k';
    const server = await startServer(telling([priv]));
    const a = await audit(
      {
        'a.http': [
          `GET ${server.url}/tell`,
          '',
          '###',
          '< {% client.log("pre " + request.environment.get("priv")); client.log(JSON.stringify(request.headers.all())); %}',
          `GET ${server.url}/one`,
          'X-T: <<PASS>>',
          '',
          '> {%',
          '  client.log(response.body.headers["x-t"]);',
          '  client.global.set("copy", request.environment.get(\'priv\') + "!");',
          '  client.test("echo", function () { client.assert(false, "saw " + response.body.headers["x-t"] + " and " + request.environment.get("priv")); });',
          '%}',
          '',
          '###',
          `GET ${server.url}/two`,
          'X-C: {{copy}}',
          '',
          '> {% throw new Error("boom " + request.environment.get(["comp", "uted"].join(""))); %}',
        ].join('\n'),
        'http-client.private.env.json': JSON.stringify({ $shared: { priv, computed } }),
        '.env': `PASS=${TOKEN}\n`,
      },
      ['a.http'],
      [TOKEN, priv, computed],
      { env: { PASS: undefined } },
    );
    expect(a.run.code, a.run.stdout).toBe(1);
    // The values did go out and come back.
    expect(a.run.stdout).toContain('told: ***');
    expect(a.run.stdout).toContain('pre ***');
    expect(a.run.stdout).toContain('saw *** and ***');
    expect(a.run.stdout).toContain('X-C: ***!');
    expect(a.run.stdout).toContain('Error: boom ***');
    expect(a.hits).toEqual([]);
  });
});

describe('diagnostics of a file that uses a secret', () => {
  test('a warning or an error keeps its line and column: the file runs (or is refused) instead of an internal error', async () => {
    // mask() copied each diagnostic's span field by field; a span computes its line and column
    // when read, so the copy had none and formatting it threw ("Cannot read properties of undefined").
    const files = {
      'warn.http': `# @frobnicate\nGET http://127.0.0.1:9/x\nX-T: <<T>>\n`,
      'error.http': `GET http://127.0.0.1:9/x\nX-T: <<T>>\n\n###\nGET http://127.0.0.1:9/y\n\n?? body $.a == {{nothing}}\n`,
      '.env': `T=${TOKEN}\n`,
    };
    const env = { T: undefined };
    const run = await audit(files, ['warn.http', 'error.http'], [TOKEN], { env });
    expect(run.run.stdout).not.toContain('internal error');
    expect(run.run.stdout).toContain('warn.http:1:3: warning: unknown metadata `@frobnicate`');
    expect(run.run.stdout).toContain('error.http:7:16: error: undefined variable {{nothing}}');
    expect(run.run.stdout).toContain('errored: connection refused');
    expect(run.run.code).toBe(2);
    expect(run.hits).toEqual([]);

    const check = await audit(files, ['check', '--format', 'json', 'warn.http', 'error.http'], [TOKEN], { env, reports: false, verbose: false });
    expect(check.run.code).toBe(2);
    const diagnostics = JSON.parse(check.run.stdout).diagnostics ?? JSON.parse(check.run.stdout);
    expect(JSON.stringify(diagnostics)).toMatch(/"line":7,"column":16/);
    expect(check.hits).toEqual([]);
  });
});

describe('bodies and URLs: GraphQL, multipart, forms, curl', () => {
  test('a secret sent in a GraphQL query or its variables, a multipart part, a form, a URL query or a curl command, echoed back escaped or encoded twice', async () => {
    // A GraphQL body is JSON, so a secret holding `"` or `\` goes out escaped; a server that echoes
    // the body as a JSON string (httpbin's `data`) escapes it again. A URL holding a percent-encoded
    // secret, echoed inside another URL (a login redirect's `return_to=`), is encoded twice. The
    // promise covers what the server echoes, so both count as the secret.
    const server = await startServer();
    const a = await audit(
      {
        'a.http': [
          `POST ${server.url}/gql?t=<<T>>`,
          'X-Request-Type: GraphQL',
          '',
          'query Q { user(pw: "{{hard}}") { id } }',
          '',
          '{"t": "<<T>>"}',
          '',
          '###',
          `GRAPHQL ${server.url}/gql2`,
          '',
          'mutation { login(pw: "<<S>>") }',
          '',
          '###',
          `POST ${server.url}/mp`,
          'Content-Type: multipart/form-data; boundary=XYZ',
          '',
          '--XYZ',
          'Content-Disposition: form-data; name="pw"',
          '',
          '<<S>>',
          '--XYZ',
          'Content-Disposition: form-data; name="f"; filename="f.txt"',
          '',
          '<@ ./f.txt',
          '--XYZ--',
          '',
          '###',
          `POST ${server.url}/form?q=<<S>>&t=<<T>>`,
          'Content-Type: application/x-www-form-urlencoded',
          '',
          'pw=<<S>>',
          '&t=<<T>>',
          '',
          '###',
          `curl -X POST '${server.url}/curl?x={{hard}}' -u 'ada:<<S>>' -H 'X-T: <<T>>' --data-urlencode 'pw={{hard}}' -b 'sid=<<T>>'`,
          '',
          '###',
          `curl '${server.url}/curl2' --json '{"pw": "<<S>>"}' --oauth2-bearer '<<T>>' -F 'pw={{hard}}'`,
        ].join('\n'),
        'f.txt': 'file <<S>> and <<T>>\n',
        'http-client.env.json': JSON.stringify({ $shared: { hard: '<<S>>' } }),
        '.env': `S='${HARD}'\nT=${TOKEN}\n`,
      },
      ['a.http'],
      [HARD, TOKEN],
      { env: { S: undefined, T: undefined }, users: ['ada'] },
    );
    expect(a.run.code, a.run.stdout).toBe(0);
    expect(a.run.stdout).toContain('"body":"{\\"query\\":\\"mutation { login(pw: \\\\\\"***\\\\\\") }\\"}"');
    expect(a.run.stdout).toContain('x-echo-url: /form?q=***&t=***');
    expect(a.hits).toEqual([]);
  });
});

describe('a quote cut short', () => {
  /** Every piece of `secret` of `length` characters or more that any output holds. */
  function pieces(outputs: Map<string, Buffer | string>, secret: string, length: number): string[] {
    const found: string[] = [];
    for (const [where, content] of outputs) {
      const text = content.toString();
      for (let start = 0; start + length <= secret.length; start++) {
        const piece = secret.slice(start, start + length);
        if (text.includes(piece)) found.push(`${where}: ${piece}`);
      }
    }
    return found;
  }

  test('SecretSet masks a piece of 3 characters or more right before or after an ellipsis, past a quote or a line break', () => {
    const secrets = new SecretSet();
    secrets.add('s3cr3t-value');
    expect(secrets.maskText('starts with "xx s3cr3t-v"… and')).toBe('starts with "xx ***"… and');
    expect(secrets.maskText('..."t-value" is not valid JSON')).toBe('..."***" is not valid JSON');
    expect(secrets.maskText('body s3cr\n… (12 more bytes not shown)')).toBe('body ***\n… (12 more bytes not shown)');
    expect(secrets.maskText(`hex ${Buffer.from('s3cr3t').toString('hex')}…`)).toBe('hex ***…');
    // Two characters say next to nothing; masking them would eat ordinary text before every cut.
    expect(secrets.maskText('s3… and …ue')).toBe('s3… and …ue');
    // Not beside a cut: a piece is not the secret.
    expect(secrets.maskText('s3cr3t- and s3cr')).toBe('s3cr3t- and s3cr');
  });

  test('the part of a secret before or after the cut of a truncated value, body preview, V8 JSON message or non-HTTP reply is masked', async () => {
    // Whole-value masking cannot see a secret that a message cut in two: `it starts with "…tok_8f3Kq2"`,
    // `"{"a": tok_8f3Kq2L"... is not valid JSON`, a value cut at 200 characters, a body preview cut at
    // 64 KiB. Each cut is marked with an ellipsis; a piece of a secret beside one is masked too.
    const server = await startServer((request, response) => {
      const t = String(request.headers['x-t'] ?? '');
      if (request.url === '/text') return void response.writeHead(200, { 'content-type': 'text/plain' }).end(`${'x'.repeat(30)}${t} and more`);
      if (request.url === '/long') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ v: `${'y'.repeat(190)}${t}` }));
      if (request.url === '/big') return void response.writeHead(200, { 'content-type': 'text/plain' }).end(`${'z'.repeat(64 * 1024 - 8)}${t}tail`);
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.concat([Buffer.alloc(24), Buffer.from(t)]));
    });
    // A port that answers whatever it is sent with the same bytes: the reply "starts with" the request line.
    const echo = createServer((socket) => socket.once('data', (data) => socket.end(data))).listen(0, '127.0.0.1');
    await new Promise((listening) => echo.once('listening', listening));
    try {
      const port = (echo.address() as { port: number }).port;
      const a = await audit(
        {
          'a.http': [
            `GET ${server.url}/text`, 'X-T: <<T>>', '', '?? body $.a == 1', '',
            '###', `GET ${server.url}/long`, 'X-T: <<T>>', '', '?? body $.v == 1', '',
            '###', `GET ${server.url}/big`, 'X-T: <<T>>', '', '?? body contains nope', '',
            '###', `GET ${server.url}/bytes`, 'X-T: <<T>>', '', '?? body toHex == 00', '',
            '###', `GET http://127.0.0.1:${port}/a/longer/path?k=<<T>>`, '',
            '###', `POST ${server.url}/gql`, 'X-Request-Type: GraphQL', '', 'query { a }', '', '{"a": <<T>>}', '',
          ].join('\n'),
          '.env': `T=${TOKEN}\n`,
        },
        ['a.http'],
        [TOKEN],
        { env: { T: undefined } },
      );
      expect(a.run.code).toBe(3);
      expect(a.run.stdout).toMatch(/it starts with "x{30}\*\*\*"…/);
      expect(a.run.stdout).toContain('the reply is not HTTP; it starts with "GET /a/longer/path?k=***"…');
      expect(a.run.stdout).toContain('Unexpected token \'o\', "{"a": ***"... is not valid JSON');
      expect(a.run.stdout).toMatch(/y{150}\*\*\*… \(truncated/);
      expect(a.hits).toEqual([]);
      // No piece of the secret of 3 characters or more beside a cut, and none of 5 anywhere.
      expect(pieces(a.outputs, TOKEN, 5)).toEqual([]);
    } finally {
      echo.close();
    }
  });
});

describe('host scopes (httprun.yaml secrets:) and the ways a request may carry a secret', () => {
  test('a scoped password with `"`, `\\`, a space or `+` is refused in a GraphQL body, a form, a URL query, Basic auth or a curl -u', async () => {
    // The scope check looked for the value, encodeURIComponent and encodeURI only: a GraphQL body
    // escapes `"` and `\`, a form encodes a space as %20 or +, the URL parser leaves `\` raw in a query.
    // Each sent the password to a host outside its scope. It now looks for every form masking knows.
    const server = await startServer();
    const a = await audit(
      {
        'a.http': [
          `GET ${server.url}/basic`, 'Authorization: Basic ada <<PW>>', '',
          '###', `GRAPHQL ${server.url}/gql`, '', 'query { a(pw: "<<PW>>") }', '',
          '###', `POST ${server.url}/form`, 'Content-Type: application/x-www-form-urlencoded', '', 'pw=<<PW>>', '',
          '###', `GET ${server.url}/q?pw=<<PW>>`, '',
          '###', `curl '${server.url}/curl' -u 'ada:<<PW>>'`, '',
          '###', `GET ${server.url}/free`, '',
        ].join('\n'),
        '.env': `PW='${HARD}'\n`,
        'httprun.yaml': 'secrets:\n  PW: { hosts: [api.example.com] }\n',
      },
      ['a.http'],
      [HARD],
      { env: { PW: undefined }, users: ['ada'] },
    );
    expect(a.run.code).toBe(3);
    expect(server.requests.map((r) => r.url)).toEqual(['/free']);
    const errors = jsonReport(a.root).files[0]!.requests.map((r) => r.error);
    expect(errors.filter((e) => /^secret PW may only be sent to api\.example\.com; refusing to send it to 127\.0\.0\.1:\d+$/.test(String(e)))).toHaveLength(5);
    expect(a.hits).toEqual([]);
  });

  test('a header holding a secret percent-encoded is dropped on a redirect to another origin, as one holding it as written is', async () => {
    const other = await startServer();
    const server = await startServer((request, response) => {
      response.writeHead(307, { location: `${other.url}/landed` }).end();
    });
    const a = await audit(
      {
        'a.http': `GET ${server.url}/redirect\nX-Raw: <<PW>>\nX-Encoded: {{%pw}}\nX-Plain: kept\n`,
        '.env': `PW='${HARD}'\n`,
        'http-client.env.json': JSON.stringify({ $shared: { pw: '<<PW>>' } }),
      },
      ['a.http'],
      [HARD],
      { env: { PW: undefined } },
    );
    expect(a.run.code).toBe(0);
    expect(server.requests[0]?.headers['x-encoded']).toBe(encodeURIComponent(HARD));
    expect(other.requests[0]?.headers['x-plain']).toBe('kept');
    expect(other.requests[0]?.headers['x-raw']).toBeUndefined();
    expect(other.requests[0]?.headers['x-encoded']).toBeUndefined();
    expect(a.hits).toEqual([]);
  });

  test('{{$dotenv NAME}} reads a secret: masked and host-scoped like <<NAME>>; {{$processEnv NAME}} too when secrets: names it', async () => {
    // README: ".env … secrets and {{$dotenv NAME}}" — a value from .env is a secret however it is read.
    // The process environment also holds PATH, HOME, base URLs: `$processEnv` (kulala `$env.NAME`,
    // httpyac `process.env.NAME`) is masked when httprun.yaml declares the name a secret, and then
    // scoped to its hosts; otherwise it is an ordinary value (write <<NAME>> for a secret).
    const server = await startServer();
    const port = new URL(server.url).port;
    const files = {
      'a.http': [
        `GET ${server.url}/dotenv?d={{$dotenv DOT}}`, 'X-D: {{$dotenv DOT}}', '',
        '###', `GET ${server.url}/penv`, 'X-P: {{$processEnv PENV}}', 'X-K: {{$env.PENV}}', 'X-H: {{process.env.PENV}}', 'X-Home: {{$processEnv PLAIN}}', '',
        '###', `GET http://localhost:${port}/elsewhere`, 'X-D: {{$dotenv DOT}}', '',
        '###', `GET http://localhost:${port}/elsewhere2`, 'X-P: {{$processEnv PENV}}', '',
      ].join('\n'),
      '.env': 'DOT=dot-Secret-4711\n',
      'httprun.yaml': `secrets:\n  DOT: { hosts: ['127.0.0.1'] }\n  PENV: { hosts: ['127.0.0.1'] }\n`,
    };
    const a = await audit(files, ['a.http'], ['dot-Secret-4711', 'penv-Secret-0815'], { env: { PENV: 'penv-Secret-0815', PLAIN: 'plain-value-1' } });
    expect(a.run.code).toBe(3);
    expect(server.requests.map((r) => r.url)).toEqual(['/dotenv?d=dot-Secret-4711', '/penv']);
    expect(server.requests[1]?.headers).toMatchObject({ 'x-p': 'penv-Secret-0815', 'x-k': 'penv-Secret-0815', 'x-h': 'penv-Secret-0815' });
    expect(a.run.stdout).toContain('X-D: ***');
    expect(a.run.stdout).toContain('X-P: ***');
    expect(a.run.stdout).toContain('X-Home: plain-value-1');
    expect(a.run.stdout).toMatch(/secret DOT may only be sent to 127\.0\.0\.1; refusing to send it to localhost/);
    expect(a.run.stdout).toMatch(/secret PENV may only be sent to 127\.0\.0\.1; refusing to send it to localhost/);
    expect(a.hits).toEqual([]);
    // --dry-run prints them masked too.
    const dry = await audit(files, ['a.http', '--dry-run'], ['dot-Secret-4711', 'penv-Secret-0815'], { env: { PENV: 'penv-Secret-0815', PLAIN: 'plain-value-1' } });
    expect(dry.run.stdout).toContain('X-D: ***');
    expect(dry.hits).toEqual([]);
  });
});

describe('paths found clean (kept as regressions)', () => {
  test('kulala ### Shared each, a .vscode/settings.json value, a secret inside a longer one, Digest auth, --bail: masked everywhere', async () => {
    // Digest sends a hash of the password, never the password: the hash is shown, as it is what
    // went over the wire; it is no form of the secret a reader could use without brute force.
    const long = `${TOKEN}-and-more`;
    const server = await startServer((request, response) => {
      if (request.url.startsWith('/digest') && !request.headers.authorization) {
        return void response.writeHead(401, { 'www-authenticate': 'Digest realm="r", nonce="abc", qop="auth"' }).end();
      }
      telling([TOKEN, long])(request, response);
    });
    const a = await audit(
      {
        'a.http': [
          '### Shared each', '# @name shared', `POST ${server.url}/shared`, 'X-S: <<T>>', '',
          '### one', `GET ${server.url}/tell`, 'X-Long: <<L>>', 'X-V: {{vs}}', '',
          '### two', `GET ${server.url}/digest`, 'Authorization: Digest ada <<H>>', '', '?? body $.headers.authorization == x',
          '', '### three', `GET ${server.url}/never`, 'X-S: <<T>>',
        ].join('\n'),
        '.vscode/settings.json': JSON.stringify({ 'rest-client.environmentVariables': { $shared: { vs: '<<H>>' } } }),
        '.env': `T=${TOKEN}\nL=${long}\nH='${HARD}'\n`,
      },
      ['a.http', '--bail'],
      [TOKEN, long, HARD],
      { env: { T: undefined, L: undefined, H: undefined } },
    );
    expect(a.run.code).toBe(1);
    expect(server.requests.map((r) => r.url)).toEqual(['/shared', '/tell', '/shared', '/digest', '/digest']);
    expect(a.run.stdout).toContain('told: *** | ***');
    expect(a.run.stdout).toContain('X-V: ***');
    expect(a.hits).toEqual([]);
  });

  test('--quiet, watch --once and --dry-run print a secret masked', async () => {
    const server = await startServer(telling([TOKEN]));
    const files = { 'a.http': `GET ${server.url}/tell\nX-S: <<T>>\n\n?? body contains nothing-like-it\n`, '.env': `T=${TOKEN}\n` };
    for (const args of [['a.http', '--quiet'], ['watch', '--once', 'a.http'], ['a.http', '--dry-run']]) {
      const a = await audit(files, args, [TOKEN], { env: { T: undefined } });
      expect(a.run.stdout, args.join(' ')).toContain('X-S: ***');
      expect(a.hits, args.join(' ')).toEqual([]);
    }
  });
});

describe('a secret of one to three characters', () => {
  test('is masked wherever its text occurs, inside words too: the promise holds, the output suffers (README says so)', async () => {
    // SPEC and README promised "never shown" without a length limit. Masking only a short secret
    // standing alone would show `e` inside `expected` — harmless — but also inside `key=abcde`, where
    // it is the secret. A careful user keeps the promise and reads the README's advice: a value that
    // need not be hidden goes in with --var.
    const server = await startServer();
    const a = await audit(
      { 'a.http': `POST ${server.url}/short?a=<<A>>\nX-A: <<A>>\n\n{"v": "key=abc<<A>>"}\n\n?? status == 201\n`, '.env': 'A=e\n' },
      ['a.http'],
      [],
      { env: { A: undefined } },
    );
    expect(a.run.code).toBe(1);
    expect(server.requests[0]?.headers['x-a']).toBe('e');
    // httprun's own words (labels, report structure) stay; everything that carries data is masked:
    // the wire, the response, the assertion messages, which may quote a value.
    const report = jsonReport(a.root).files[0]!.requests[0]!;
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
    const data = strings([report.url, report.request, report.response, report.assertions]).filter((text) => text.includes('e'));
    expect(data).toEqual([]);
    expect((report.assertions as { message: string }[])[0]!.message).toBe('***xp***ct***d th*** numb***r 201 but got th*** numb***r 200');
    expect(a.run.stdout).toContain('X-A: ***');
    expect(a.run.stdout).toContain('{"v": "k***y=abc***"}');
  });
});
