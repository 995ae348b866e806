// kulala's own keys in http-client(.private).env.json (kulala.nvim's lua/kulala/parser/env.lua,
// doc/kulala.dotenv-and-http-client.env.json-support.txt, schemas/http-client.env.schema.json):
// "$kulalaShared" holds variables every environment shares (kulala's $shared; JetBrains ignores the
// key), and "$kulalaDefaultHeaders" in it or in an environment holds default headers, sent unless the
// request writes that header, the environment's over the shared ones. httprun used to skip both, so
// such a file lost its shared values and its headers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadEnvironment } from '../src/config/environment.js';
import { clearConfigCache } from '../src/config/file-cache.js';
import { run } from '../src/index.js';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await serve((request, response) => json(response, 200, { url: request.url }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});
afterEach(() => clearConfigCache());

const env = (value: unknown) => JSON.stringify(value, null, 2);

describe('"$kulalaShared" variables', () => {
  test('shared by every environment and used without one; the environment wins over them', async () => {
    const root = project({
      'http-client.env.json': env({
        $schema: 'https://getkulala.net/http-client.env.schema.json',
        $kulalaShared: { base: server.url, who: 'shared', version: 1.10 },
        dev: { who: 'dev' },
        prod: {},
      }),
      'a.http': 'GET {{base}}/{{who}}/{{version}}\n',
    });
    for (const [args, path] of [
      [['--env', 'dev'], '/dev/1.1'],
      [['--env', 'prod'], '/shared/1.1'],
      [[], '/shared/1.1'],
    ] as const) {
      const result = await run(['a.http'], { cwd: root, ...(args.length > 0 ? { env: args[1] } : {}) });
      expect(result.summary.exitCode).toBe(0);
      expect(server.requests.at(-1)?.url).toBe(path);
    }
    // "$kulalaShared" is no environment.
    const unknown = await runCli(['a.http', '--env', '$kulalaShared'], { cwd: root });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('defined: dev, prod');
  });

  test('"$shared" wins over "$kulalaShared" in one file, whichever comes first; both count', () => {
    const root = project({
      'http-client.env.json': env({ $shared: { a: 'jetbrains', b: 'jetbrains' }, $kulalaShared: { a: 'kulala', c: 'kulala' } }),
      'sub/http-client.env.json': env({ $kulalaShared: { b: 'nearer-kulala' } }),
      'sub/a.http': 'GET http://localhost/\n',
    });
    const { environment, diagnostics } = loadEnvironment('sub/a.http', { envName: null, cwd: root });
    expect(diagnostics).toEqual([]);
    // The nearer file wins on a variable, its "$kulalaShared" over the farther file's "$shared".
    expect(environment.shared).toEqual({ a: 'jetbrains', b: 'nearer-kulala', c: 'kulala' });
  });

  test('in the private file they are private values: above the public environment, and secrets', async () => {
    const root = project({
      'http-client.env.json': env({ $kulalaShared: { base: server.url }, dev: { token: 'public-token' } }),
      'http-client.private.env.json': env({ $kulalaShared: { token: 'private-token-1' } }),
      'a.http': 'GET {{base}}/x\nX-Token: {{token}}\n',
    });
    const ran = await runCli(['a.http', '--env', 'dev', '--verbose'], { cwd: root });
    expect(ran.code).toBe(0);
    expect(server.requests[0]?.headers['x-token']).toBe('private-token-1');
    expect(ran.stdout).toContain('X-Token: ***');
    expect(ran.stdout + ran.stderr).not.toContain('private-token-1');
  });

  test('a "$kulalaShared" that is no object is a located error', () => {
    const root = project({ 'http-client.env.json': '{\n  "$kulalaShared": "nope",\n  "dev": {}\n}\n', 'a.http': 'GET http://localhost/\n' });
    const { diagnostics } = loadEnvironment('a.http', { envName: 'dev', cwd: root });
    expect(diagnostics.map((d) => [d.code, d.message, d.span.start])).toEqual([
      ['config/invalid-type', '"$kulalaShared" in http-client.env.json must be an object of variables, got a string ("nope")', { line: 2, column: 20, offset: 21 }],
    ]);
  });
});

describe('"$kulalaDefaultHeaders"', () => {
  const files = (extra: Record<string, string> = {}) =>
    project({
      'http-client.env.json': env({
        $kulalaShared: {
          base: server.url,
          team: 'core',
          $kulalaDefaultHeaders: { Accept: 'application/json', 'X-Env': 'shared', 'X-Team': 'team-{{team}}' },
        },
        dev: { $kulalaDefaultHeaders: { 'x-env': 'dev' } },
        prod: {},
      }),
      'a.http': 'GET {{base}}/plain\n\n###\nGET {{base}}/own\naccept: text/plain\nX-Env: own\n',
      ...extra,
    });

  test("sent unless the request writes the header; the environment's over the shared ones; placeholders read", async () => {
    const root = files();
    const ran = await runCli(['a.http', '--env', 'dev'], { cwd: root });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const [plain, own] = server.requests;
    expect([plain?.headers.accept, plain?.headers['x-env'], plain?.headers['x-team']]).toEqual(['application/json', 'dev', 'team-core']);
    // The request's own header wins whatever its case, and is sent once.
    expect([own?.headers.accept, own?.headers['x-env'], own?.headers['x-team']]).toEqual(['text/plain', 'own', 'team-core']);
    expect(own?.rawHeaders.filter((name, index) => index % 2 === 0 && name.toLowerCase() === 'accept')).toHaveLength(1);

    server.requests.length = 0;
    expect((await runCli(['a.http', '--env', 'prod'], { cwd: root })).code).toBe(0);
    expect(server.requests[0]?.headers['x-env']).toBe('shared');
    // Not a variable of the environment either.
    const { environment } = loadEnvironment(join(root, 'a.http'), { envName: 'dev', cwd: root });
    expect(Object.keys(environment.public)).toEqual([]);
    expect(Object.keys(environment.shared)).toEqual(['base', 'team']);
  });

  test("kulala's headers win over httpyac's and REST Client's on a name; theirs still go out", async () => {
    const root = files({
      '.httpyac.json': env({ defaultHeaders: { Accept: 'from/httpyac', 'X-Httpyac': 'h' } }),
      '.vscode/settings.json': env({ 'rest-client.defaultHeaders': { 'X-Env': 'vscode', 'X-Vscode': 'v' } }),
    });
    expect((await runCli(['a.http', '--env', 'dev', '--line', '1'], { cwd: root })).code).toBe(0);
    const sent = server.requests[0]!.headers;
    expect([sent.accept, sent['x-env'], sent['x-httpyac'], sent['x-vscode']]).toEqual(['application/json', 'dev', 'h', 'v']);
  });

  test("nearer files win per header; the private file's over the public file's, as its variables", async () => {
    const root = files({
      'sub/http-client.env.json': env({ $kulalaShared: { $kulalaDefaultHeaders: { 'X-Team': 'sub' } } }),
      'sub/a.http': 'GET {{base}}/sub\n',
    });
    expect((await runCli(['sub/a.http', '--env', 'dev'], { cwd: root })).code).toBe(0);
    const sent = server.requests[0]!.headers;
    expect([sent.accept, sent['x-env'], sent['x-team']]).toEqual(['application/json', 'dev', 'sub']);

    // The private file's shared header is over the public environment's (the variables' order: private,
    // then public), and its environment's over its shared one.
    server.requests.length = 0;
    const withPrivate = files({
      'http-client.private.env.json': env({
        $kulalaShared: { $kulalaDefaultHeaders: { 'X-Env': 'private-shared', 'X-Team': 'private-shared' } },
        dev: { $kulalaDefaultHeaders: { 'X-Team': 'private-dev' } },
      }),
    });
    expect((await runCli(['a.http', '--env', 'dev', '--line', '1'], { cwd: withPrivate })).code).toBe(0);
    const privately = server.requests[0]!.headers;
    expect([privately.accept, privately['x-env'], privately['x-team']]).toEqual(['application/json', 'private-shared', 'private-dev']);
  });

  test('an invalid default header is an error at its line in the env file; nothing is sent', async () => {
    const text = [
      '{',
      '  "$kulalaShared": {',
      '    "$kulalaDefaultHeaders": { "Bad Name": "x" }',
      '  },',
      '  "dev": {',
      '    "$kulalaDefaultHeaders": {',
      '      "X-Token": "secret-1\\nInjected: yes",',
      '      "X-Object": { "a": 1 }',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const root = project({ 'http-client.env.json': text, 'a.http': `GET ${server.url}/\n` });
    const ran = await runCli(['a.http', '--env', 'dev'], { cwd: root });
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(
      'http-client.env.json:3:32: error: "$kulalaDefaultHeaders" of "$kulalaShared" in http-client.env.json: "Bad Name" is not a valid header name ' +
        "(letters, digits and !#$%&'*+.^_`|~- only; no spaces or colons) [config/invalid-header]\n",
    );
    expect(ran.stdout).toContain(
      'http-client.env.json:7:18: error: "$kulalaDefaultHeaders" of environment "dev" in http-client.env.json: the value of header "X-Token" contains a line break (CR or LF), which no HTTP request can carry [config/invalid-header]\n',
    );
    expect(ran.stdout).toContain(
      'http-client.env.json:8:19: error: "$kulalaDefaultHeaders" of environment "dev" in http-client.env.json: the value of header "X-Object" must be text, got an object [config/invalid-type]\n',
    );
    expect(ran.stdout + ran.stderr).not.toContain('secret-1');
    expect(server.requests).toHaveLength(0);
  });

  test('"$kulalaDefaultHeaders" in JetBrains\' "$shared" is a variable, as kulala never read it there', () => {
    const root = project({ 'http-client.env.json': env({ $shared: { $kulalaDefaultHeaders: { A: 'b' } } }), 'a.http': 'GET http://localhost/\n' });
    const { environment } = loadEnvironment('a.http', { envName: null, cwd: root });
    expect(environment.config.defaultHeaders).toBeUndefined();
    expect(environment.shared).toEqual({ $kulalaDefaultHeaders: '{"A":"b"}' });
  });
});

describe('a default header from the private file is a secret', () => {
  const secret = 'pr1vate-header-value';
  const files = () =>
    project({
      'http-client.env.json': env({
        $kulalaShared: { base: server.url, $kulalaDefaultHeaders: { 'X-Api-Key': 'public' } },
        dev: { $kulalaDefaultHeaders: { 'X-Public': 'shown' } },
      }),
      'http-client.private.env.json': env({
        $kulalaShared: { $kulalaDefaultHeaders: { 'X-Api-Key': secret } },
        dev: { key: 'k3y-from-private', $kulalaDefaultHeaders: { Authorization: 'Bearer {{key}}', 'X-Public': 'shown' } },
      }),
      'a.http': 'GET {{base}}/x\n',
    });

  test('written in it, or a placeholder of a private value: masked in --verbose, the console and the JSON report', async () => {
    const root = files();
    const ran = await runCli(['a.http', '--env', 'dev', '--verbose', '--report-json', 'r.json'], { cwd: root });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const sent = server.requests[0]!.headers;
    expect([sent['x-api-key'], sent.authorization, sent['x-public']]).toEqual([secret, 'Bearer k3y-from-private', 'shown']);
    const report = readFileSync(join(root, 'r.json'), 'utf8');
    expect(report).toContain('X-Api-Key');
    const written = ran.stdout + ran.stderr + report;
    expect(written).not.toContain(secret);
    expect(written).not.toContain('k3y-from-private');
    expect(ran.stdout).toContain('X-Api-Key: ***');
    expect(ran.stdout).toContain('Authorization: ***');
    // Every private value is a secret however written, a plain word too: keep public headers in the public file.
    expect(ran.stdout).toContain('X-Public: ***');
  });

  test('--dry-run masks it too', async () => {
    const ran = await runCli(['a.http', '--env', 'dev', '--dry-run'], { cwd: files() });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('X-Api-Key: ***');
    expect(ran.stdout).not.toContain(secret);
  });

  test("host-scoped by httprun.yaml's secrets: under the header's name", async () => {
    const root = files();
    writeFileSync(join(root, 'httprun.yaml'), 'secrets:\n  X-Api-Key: { hosts: [api.example.com] }\n');
    const ran = await runCli(['a.http', '--env', 'dev'], { cwd: root });
    expect(ran.code).not.toBe(0);
    expect(ran.stdout).toContain('secret X-Api-Key may only be sent to api.example.com; refusing to send it to 127.0.0.1');
    expect(server.requests).toHaveLength(0);
  });
});
