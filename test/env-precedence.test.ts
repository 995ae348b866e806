import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

// One echo server for the whole file: every request answers with what it received.
let server: TestServer;
beforeAll(async () => {
  server = await serve((request, response) => {
    if (request.url === '/login') return json(response, 200, { token: 'from-reference' });
    json(response, 200, { url: request.url });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** Runs the CLI in a fresh project and returns the paths the server saw. */
async function paths(files: Record<string, string>, args: string[], env: Record<string, string> = {}) {
  const root = project(files);
  const result = await runCli(args, { cwd: root, env });
  return { ...result, root, urls: server.requests.map((r) => r.url) };
}

const requestFile = (target: string, extra = '') => `${extra}GET ${'{{base}}'}/${target}\n`;

describe('precedence, one layer boundary at a time (SPEC §4)', () => {
  test('--var wins over a request reference of the same name', async () => {
    const { code, urls } = await paths(
      {
        'a.http': `# @name login\nPOST ${'{{base}}'}/login\n\n###\nGET ${'{{base}}'}/{{login.response.body.$.token}}\n`,
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url } }),
      },
      ['a.http', '--var', 'login.response.body.$.token=from-var'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/login', '/from-var']);
  });

  test('--var wins over a value a JetBrains script set', async () => {
    const { code, urls } = await paths(
      {
        'a.http': `POST ${'{{base}}'}/login\n\n> {% client.global.set("who", "from-script"); %}\n\n###\nGET ${'{{base}}'}/{{who}}\n`,
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url } }),
      },
      ['a.http', '--var', 'who=from-var'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/login', '/from-var']);
  });

  test('--var wins over a file variable', async () => {
    const { code, urls } = await paths(
      { 'a.http': `@who = from-file\n${requestFile('{{who}}')}`, 'http-client.env.json': JSON.stringify({ $shared: { base: server.url } }) },
      ['a.http', '--var', 'who=from-var'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-var']);
  });

  test('a request reference wins over an environment value spelled like it', async () => {
    const { code, urls } = await paths(
      {
        'a.http': `# @name login\nPOST ${'{{base}}'}/login\n\n###\nGET ${'{{base}}'}/{{login.response.body.$.token}}\n`,
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url, 'login.response.body.$.token': 'from-env' } }),
      },
      ['a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/login', '/from-reference']);
  });

  test('a value a JetBrains script set wins over a file variable', async () => {
    const { code, urls } = await paths(
      {
        'a.http': `@who = from-file\nPOST ${'{{base}}'}/login\n\n> {% client.global.set("who", "from-script"); %}\n\n###\nGET ${'{{base}}'}/{{who}}\n`,
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url } }),
      },
      ['a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/login', '/from-script']);
  });

  test('a file variable wins over the private env file', async () => {
    const { code, urls } = await paths(
      {
        'a.http': `@who = from-file\n${requestFile('{{who}}')}`,
        'http-client.env.json': JSON.stringify({ dev: { base: server.url } }),
        'http-client.private.env.json': JSON.stringify({ dev: { who: 'from-private' } }),
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-file']);
  });

  test('the private env file wins over the public one and over httprun.yaml', async () => {
    const { code, urls } = await paths(
      {
        'a.http': requestFile('{{who}}/{{what}}'),
        'http-client.env.json': JSON.stringify({ dev: { base: server.url, who: 'from-public' } }),
        'httprun.yaml': 'environments:\n  dev:\n    what: from-yaml\n',
        'http-client.private.env.json': JSON.stringify({ dev: { who: 'from-private', what: 'from-private' } }),
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-private/from-private']);
  });

  test("the private file's own $shared wins over the public environment", async () => {
    const { code, urls } = await paths(
      {
        'a.http': requestFile('{{who}}'),
        'http-client.env.json': JSON.stringify({ dev: { base: server.url, who: 'from-public' } }),
        'http-client.private.env.json': JSON.stringify({ $shared: { who: 'from-private-shared' } }),
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-private-shared']);
  });

  test('httprun.yaml wins over the public env file on the same key; both count', async () => {
    const { code, urls } = await paths(
      {
        'a.http': requestFile('{{who}}/{{onlyJson}}'),
        'http-client.env.json': JSON.stringify({ dev: { base: server.url, who: 'from-json', onlyJson: 'json-only' } }),
        'httprun.yaml': 'environments:\n  dev:\n    who: from-yaml\n',
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-yaml/json-only']);
  });

  test('the public environment wins over $shared of the same file', async () => {
    const { code, urls } = await paths(
      {
        'a.http': requestFile('{{who}}/{{other}}'),
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url, who: 'from-shared', other: 'shared-only' }, dev: { who: 'from-dev' } }),
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-dev/shared-only']);
  });

  test("an httprun.yaml environment wins over httprun.yaml's $shared", async () => {
    const { code, urls } = await paths(
      {
        'a.http': requestFile('{{who}}/{{other}}'),
        'httprun.yaml': `environments:\n  $shared:\n    base: ${server.url}\n    who: from-shared\n    other: shared-only\n  dev:\n    who: from-dev\n`,
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-dev/shared-only']);
  });

  test("a json environment wins over httprun.yaml's $shared, and yaml's $shared over json's", async () => {
    const { code, urls } = await paths(
      {
        'a.http': requestFile('{{who}}/{{both}}'),
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url, both: 'json-shared' }, dev: { who: 'from-json-dev' } }),
        'httprun.yaml': 'environments:\n  $shared:\n    who: yaml-shared\n    both: yaml-shared\n',
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/from-json-dev/yaml-shared']);
  });

  test('an environment value may itself hold a {{variable}}, resolved with the same precedence', async () => {
    const { code, urls } = await paths(
      {
        'a.http': `@version = v2\nGET {{api}}/users\n`,
        'http-client.env.json': JSON.stringify({ dev: { api: `${server.url}/{{version}}` } }),
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/v2/users']);
  });
});

describe('choosing the environment', () => {
  const files = () => ({
    'a.http': requestFile('{{who}}'),
    'httprun.yaml': `env: staging\nenvironments:\n  $shared:\n    base: ${server.url}\n    who: nobody\n  dev:\n    who: dev\n  staging:\n    who: staging\n`,
  });

  test("without --env, httprun.yaml's env: is selected", async () => {
    const { code, urls } = await paths(files(), ['a.http']);
    expect(code).toBe(0);
    expect(urls).toEqual(['/staging']);
  });

  test('--env NAME overrides env:', async () => {
    const { code, urls } = await paths(files(), ['a.http', '--env', 'dev']);
    expect(code).toBe(0);
    expect(urls).toEqual(['/dev']);
  });

  test('without --env and without env:, only $shared applies', async () => {
    const { code, urls } = await paths(
      {
        'a.http': requestFile('{{who}}'),
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url, who: 'shared' }, dev: { who: 'dev' } }),
      },
      ['a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/shared']);
  });

  test('a name only an environment defines is undefined without --env, and the hint lists the environments', async () => {
    const { code, stdout, stderr, urls } = await paths(
      {
        'a.http': `GET ${server.url}/{{who}}\n`,
        'http-client.env.json': JSON.stringify({ dev: { who: 'dev' }, prod: { who: 'prod' } }),
      },
      ['a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/a\.http:1:\d+.*undefined variable \{\{who\}\}/);
    expect(stdout + stderr).toMatch(/--env \(dev, prod\)/);
    expect(urls).toEqual([]);
  });

  test('an unknown --env exits 2, lists the names that exist, and sends nothing', async () => {
    const { code, stdout, stderr, urls } = await paths(
      {
        'a.http': requestFile('x'),
        'http-client.env.json': JSON.stringify({ $shared: { base: server.url }, dev: {}, prod: {} }),
        'httprun.yaml': 'environments:\n  staging: {}\n',
      },
      ['a.http', '--env', 'qa', '--report-json', 'r.json'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/unknown environment "qa" \(--env qa\); defined: staging, dev, prod/);
    expect(urls).toEqual([]);
  });

  test("an unknown env: in httprun.yaml points at that line", async () => {
    const { code, stdout, stderr, urls } = await paths(
      { 'a.http': `GET ${server.url}/x\n`, 'httprun.yaml': 'environments:\n  dev: {}\nenv: qa\n' },
      ['a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/httprun\.yaml:3:6.*unknown environment "qa" \(env: qa in httprun\.yaml\); defined: dev/);
    expect(urls).toEqual([]);
  });

  test('--env with no environment file at all says none was found', async () => {
    const { code, stdout, stderr } = await paths({ 'a.http': `GET ${server.url}/x\n` }, ['a.http', '--env', 'dev']);
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/unknown environment "dev" \(--env dev\): no environment file was found \(httprun\.yaml, http-client\.env\.json, \.httpyac\.json or \.vscode\/settings\.json\)/);
    expect(server.requests).toEqual([]);
  });
});

describe('malformed environment files are located errors, never ignored', () => {
  test('invalid JSON in http-client.env.json: file:line:col, exit 2, nothing sent, report written', async () => {
    const { code, stdout, stderr, urls, root } = await paths(
      { 'a.http': `GET ${server.url}/x\n`, 'http-client.env.json': '{\n  "dev": {\n    "a": 1,\n  }\n}\n' },
      ['a.http', '--report-json', 'r.json'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/http-client\.env\.json:4:3.*http-client\.env\.json is not valid JSON/);
    expect(urls).toEqual([]);
    const report = JSON.parse(readFileSync(join(root, 'r.json'), 'utf8'));
    expect(report.files[0].error).toMatch(/http-client\.env\.json:4:3/);
  });

  test('invalid JSON in the private file too', async () => {
    const { code, stdout, stderr, urls } = await paths(
      { 'a.http': `GET ${server.url}/x\n`, 'http-client.private.env.json': '{"dev": {"token": "abc}}' },
      ['a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/http-client\.private\.env\.json:1:\d+.*is not valid JSON/);
    expect(urls).toEqual([]);
  });

  test('an environment that is not an object', async () => {
    const { code, stdout, stderr, urls } = await paths(
      { 'a.http': `GET ${server.url}/x\n`, 'http-client.env.json': '{\n  "dev": "http://x"\n}\n' },
      ['a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/http-client\.env\.json:2:10.*environment "dev" in http-client\.env\.json must be an object of variables, got a string/);
    expect(urls).toEqual([]);
  });

  test('invalid YAML in httprun.yaml', async () => {
    const { code, stdout, stderr, urls } = await paths(
      { 'a.http': `GET ${server.url}/x\n`, 'httprun.yaml': 'environments:\n  dev:\n    a: [1, 2\n' },
      ['a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/httprun\.yaml:\d+:\d+.*httprun\.yaml is not valid YAML/);
    expect(urls).toEqual([]);
  });

  test('a duplicate key in httprun.yaml', async () => {
    const { code, stdout, stderr } = await paths(
      { 'a.http': `GET ${server.url}/x\n`, 'httprun.yaml': 'environments:\n  dev: {}\n  dev: {}\n' },
      ['a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/httprun\.yaml:3:\d+.*not valid YAML/);
  });

  test("an env file's error shows no source excerpt: not the request file's line, not a private file's secret", async () => {
    const root = project({
      'a.http': `GET ${server.url}/request-line\n`,
      'http-client.private.env.json': '{"dev": {"password": "hunter2-Secret" "x": 1}}',
    });
    for (const args of [['a.http'], ['check', 'a.http']]) {
      const { code, stdout, stderr } = await runCli(args, { cwd: root });
      expect(code).toBe(2);
      expect(stdout + stderr).toMatch(/http-client\.private\.env\.json:1:39: error: http-client\.private\.env\.json is not valid JSON/);
      expect(stdout + stderr).not.toContain('request-line');
      expect(stdout + stderr).not.toContain('hunter2-Secret');
    }
  });

  test('a malformed .env line is a located warning that does not repeat the line (it may be a secret)', async () => {
    const { code, stdout, stderr, urls } = await paths(
      { 'a.http': `GET ${server.url}/{{$dotenv GOOD}}\n`, '.env': 'GOOD=yes\nTOKEN hunter3-Secret\n' },
      ['a.http'],
    );
    expect(code).toBe(0);
    expect(stdout + stderr).toMatch(/\.env:2:1: warning: ignored line in \.env: expected NAME=value \[config\/invalid-dotenv-line\]/);
    expect(stdout + stderr).not.toContain('hunter3-Secret');
    expect(urls).toEqual(['/yes']);
  });

  test('check reports the same error without sending', async () => {
    const root = project({ 'a.http': `GET ${server.url}/x\n`, 'http-client.env.json': '[1, 2]' });
    const { code, stdout } = await runCli(['check', 'a.http'], { cwd: root });
    expect(code).toBe(2);
    expect(stdout).toMatch(/http-client\.env\.json:1:1.*must be a JSON object of environments, got an array/);
  });
});

describe('the nearest environment file wins on a variable', () => {
  test('a nested folder with its own env file uses it; a sibling file uses the root one', async () => {
    const { code, urls } = await paths(
      {
        'top.http': requestFile('{{who}}'),
        'nested/deeper/inner.http': requestFile('{{who}}'),
        'nested/other.http': requestFile('{{who}}'),
        'http-client.env.json': JSON.stringify({ dev: { base: server.url, who: 'root' } }),
        'nested/deeper/http-client.env.json': JSON.stringify({ dev: { base: server.url, who: 'nested' } }),
      },
      ['top.http', 'nested/other.http', 'nested/deeper/inner.http', '--env', 'dev', '--jobs', '1'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/root', '/root', '/nested']);
  });

  // httpyac and kulala merge every http-client.env.json from the request file's folder up to the root;
  // JetBrains reads every env file of the project. Until h49 the nearest file replaced the outer one.
  test('the outer files merge in: the nearest wins on a variable, the outer variables and environments still count', async () => {
    const { code, urls } = await paths(
      {
        'nested/inner.http': requestFile('{{who}}/{{onlyRoot}}'),
        'http-client.env.json': JSON.stringify({ dev: { base: server.url, who: 'root', onlyRoot: 'root' }, staging: { base: server.url, who: 'root-staging' } }),
        'nested/http-client.env.json': JSON.stringify({ dev: { who: 'nested' } }),
      },
      ['nested/inner.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/nested/root']);
  });

  test('a nested httprun.yaml marks its own project root: env files above it are not read', async () => {
    const { code, stdout, stderr } = await paths(
      {
        'sub/a.http': requestFile('{{who}}'),
        'http-client.env.json': JSON.stringify({ dev: { base: server.url, who: 'outer' } }),
        'sub/httprun.yaml': `env: dev\nenvironments:\n  dev:\n    base: ${server.url}\n`,
      },
      ['sub/a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/undefined variable \{\{who\}\}/);
  });
});

describe('file variables (SPEC §7)', () => {
  test('apply from their line on, may be redefined, and a name used before its first definition takes it', async () => {
    const { code, urls } = await paths(
      {
        'a.http': [
          `@base = ${server.url}`,
          'GET {{base}}/{{id}}',
          '',
          '###',
          '@id = first',
          'GET {{base}}/{{id}}',
          '',
          '###',
          '@id = second',
          'GET {{base}}/{{id}}',
          '',
          '###',
          'GET {{base}}/{{id}}',
          '',
        ].join('\n'),
      },
      ['a.http'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/first', '/first', '/second', '/second']);
  });

  test("a file variable's own placeholders resolve as of its definition line (httpyac's eager order)", async () => {
    const { code, urls } = await paths(
      {
        'a.http': [
          `@base = ${server.url}`,
          '@path = {{section}}/items',
          '@section = a',
          'GET {{base}}/{{path}}',
          '',
          '###',
          '@section = b',
          'GET {{base}}/{{path}}',
          '',
        ].join('\n'),
      },
      ['a.http'],
    );
    expect(code).toBe(0);
    // {{section}} is read at line 2, before its first definition: it takes that first one, "a".
    expect(urls).toEqual(['/a/items', '/a/items']);
  });

  test('a variable that refers to itself is a located error', async () => {
    const { code, stdout, stderr, urls } = await paths(
      { 'a.http': `@a = {{b}}\n@b = {{a}}\nGET ${server.url}/{{a}}\n` },
      ['a.http'],
    );
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/variable \{\{a\}\} refers to itself \(a → b → a\)/);
    expect(urls).toEqual([]);
  });
});

describe('.env lines are variables too (httpyac, kulala), the lowest layer, and secrets', () => {
  test('{{host}} and {{token}} from .env; an origin-form target takes host; $shared wins on the same key; every output masks them', async () => {
    const { code, stdout, root, urls } = await paths(
      {
        'api/a.http': `GET /one?who={{who}}\nAuthorization: Bearer {{token}}\n\n###\nGET {{host}}/two\n`,
        'api/.env': `host=${server.url}\ntoken=tok-from-dotenv\nwho=from-dotenv\n`,
        'http-client.env.json': JSON.stringify({ $shared: { who: 'from-shared' } }),
      },
      ['api/a.http', '--verbose', '--no-color', '--report-json', 'r.json'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/one?who=from-shared', '/two']);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-from-dotenv');
    const written = stdout + readFileSync(join(root, 'r.json'), 'utf8');
    expect(written).not.toContain('tok-from-dotenv');
    expect(written).not.toContain(server.url);
    expect(stdout).toContain('GET ***/two');
  });
});

test('the library run() reads env files afresh on each call: an edit between two runs counts', async () => {
  const { run } = await import('../src/index.js');
  const root = project({ 'a.http': 'GET {{base}}/{{who}}\n', 'http-client.env.json': JSON.stringify({ $shared: { base: server.url, who: 'first' } }) });
  await run([join(root, 'a.http')], { cwd: root });
  writeFileSync(join(root, 'http-client.env.json'), JSON.stringify({ $shared: { base: server.url, who: 'second' } }));
  await run([join(root, 'a.http')], { cwd: root });
  expect(server.requests.map((r) => r.url)).toEqual(['/first', '/second']);
});
