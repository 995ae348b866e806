import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { clearConfigCache } from '../src/config/file-cache.js';
import { readVscodeSettingsFile } from '../src/config/vscode-settings.js';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';
import { startWatch } from './helpers/watch-process.js';

// REST Client keeps its environments in .vscode/settings.json under "rest-client.environmentVariables".
// Every behaviour is checked through the real CLI against a recording server; the syntax errors of
// the JSONC reader also one by one, through the module.

let server: TestServer;
beforeAll(async () => {
  server = await serve((request, response) => response.writeHead(204).end());
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});
afterEach(() => clearConfigCache());

const SETTINGS = '.vscode/settings.json';

/** The README example of REST Client, pointed at the test server, as JSONC with comments and trailing commas. */
function restClientSettings(base: string): string {
  return `{
  // VS Code's own settings sit beside REST Client's: ignored.
  "editor.tabSize": 2,
  "files.exclude": { "**/.git": true },
  /* REST Client */
  "rest-client.environmentVariables": {
    "$shared": { "version": "v1", "prodToken": "foo", "base": "${base}", },
    "local": { "host": "localhost", "token": "{{$shared prodToken}}", "version": "v2", },
    "production": { "host": "example.com", "token": "{{$shared prodToken}}", },
  },
}
`;
}

const probe = 'GET {{base}}/{{version}}/{{host}}?token={{token}}\n';

async function run(files: Record<string, string>, args: string[], env: Record<string, string | undefined> = {}) {
  const root = project(files);
  const result = await runCli(args, { cwd: root, env });
  return { ...result, root, urls: server.requests.map((r) => r.url) };
}

describe('selecting an environment of .vscode/settings.json', () => {
  test('--env picks one; its values win over $shared; {{$shared name}} is the $shared value; comments and trailing commas are fine', async () => {
    const files = { [SETTINGS]: restClientSettings(server.url), 'a.http': probe };
    const local = await run(files, ['a.http', '--env', 'local']);
    expect(local.stdout + local.stderr).not.toMatch(/error:/);
    expect(local.code).toBe(0);
    const production = await run(files, ['a.http', '--env', 'production']);
    expect(production.code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/v2/localhost?token=foo', '/v1/example.com?token=foo']);
  });

  test('without --env only $shared applies, as with "No Environment" selected in REST Client', async () => {
    const { code, stdout } = await run({ [SETTINGS]: restClientSettings(server.url), 'a.http': 'GET {{base}}/{{version}}\n###\nGET {{base}}/{{host}}\n' }, ['a.http']);
    expect(code).toBe(2);
    expect(stdout).toMatch(/a\.http:3:\d+: error: undefined variable \{\{host\}\}/);
    expect(stdout).toContain('select an environment with --env (local, production)');
  });

  test('an environment value may use other variables ({{host}}) and $shared inside a longer value', async () => {
    const settings = JSON.stringify({
      'rest-client.environmentVariables': {
        $shared: { base: server.url },
        local: { host: 'localhost', url: '{{$shared base}}/api/{{host}}', numbers: 1.10 },
      },
    });
    const { code, urls } = await run({ [SETTINGS]: settings, 'a.http': 'GET {{url}}?n={{numbers}}\n' }, ['a.http', '--env', 'local']);
    expect(code).toBe(0);
    expect(urls).toEqual(['/api/localhost?n=1.1']);
  });

  test('numbers keep the text they are written with', async () => {
    const settings = `{ "rest-client.environmentVariables": { "$shared": { "base": "${server.url}", "v": 1.10 } } }`;
    const { code, urls } = await run({ [SETTINGS]: settings, 'a.http': 'GET {{base}}/{{v}}\n' }, ['a.http']);
    expect(code).toBe(0);
    expect(urls).toEqual(['/1.10']);
  });

  test('a {{$shared name}} that $shared lacks is a located error in the selected environment only', async () => {
    const settings = [
      '{',
      '  "rest-client.environmentVariables": {',
      `    "$shared": { "base": "${server.url}" },`,
      '    "broken": { "token": "{{$shared nope}}" },',
      '    "fine": { "token": "ok" }',
      '  }',
      '}',
    ].join('\n');
    const files = { [SETTINGS]: settings, 'a.http': 'GET {{base}}/{{token}}\n' };
    const broken = await run(files, ['a.http', '--env', 'broken']);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain(
      '.vscode/settings.json:4:27: error: {{$shared nope}} in environment "broken" of .vscode/settings.json: "$shared" defines no "nope" [config/undefined-shared]',
    );
    expect(broken.stdout).toContain('hint: add "nope" to "$shared" under "rest-client.environmentVariables"');
    // One problem, one message: the request's {{token}} is not reported again as an unknown $shared.
    expect(broken.stdout.match(/error:/g)).toHaveLength(1);
    const fine = await run(files, ['a.http', '--env', 'fine']);
    expect(fine.code).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/ok']);
  });

  test('an unknown --env lists the environments of settings.json, and says where it looked', async () => {
    const files = { [SETTINGS]: restClientSettings(server.url), 'a.http': probe };
    const { code, stdout } = await run(files, ['check', 'a.http', '--env', 'staging']);
    expect(code).toBe(2);
    expect(stdout).toContain('.vscode/settings.json:1:1: error: unknown environment "staging" (--env staging); defined: local, production [config/unknown-environment]');
    const empty = await run({ [SETTINGS]: '{ "editor.tabSize": 2 }', 'a.http': probe }, ['check', 'a.http', '--env', 'staging']);
    expect(empty.stdout).toContain('unknown environment "staging" (--env staging): none is defined in .vscode/settings.json');
    expect(empty.stdout).toContain(
      'hint: define it under environments: in httprun.yaml, as a top-level key of http-client.env.json, or under "rest-client.environmentVariables" in .vscode/settings.json',
    );
  });

  test('a settings.json without rest-client.environmentVariables, or empty, changes nothing', async () => {
    for (const text of ['{ "editor.tabSize": 2, }', '', '// nothing yet\n']) {
      const { code, stdout } = await run({ [SETTINGS]: text, 'a.http': `GET ${server.url}/plain\n` }, ['a.http']);
      expect(stdout).not.toMatch(/error:/);
      expect(code).toBe(0);
    }
    expect(server.requests.map((r) => r.url)).toEqual(['/plain', '/plain', '/plain']);
  });
});

describe('layering', () => {
  const settings = (base: string) =>
    JSON.stringify({
      'rest-client.environmentVariables': {
        $shared: { base, a: 'settings-shared', b: 'settings-shared', c: 'settings-shared' },
        dev: { d: 'settings-dev', e: 'settings-dev', f: 'settings-dev', g: 'settings-dev' },
      },
    });
  const probeAll = 'GET {{base}}/{{a}}/{{b}}/{{c}}/{{d}}/{{e}}/{{f}}/{{g}}\n';

  test('httprun.yaml > http-client.env.json > settings.json on the same key, $shared and environment alike; any environment > any $shared', async () => {
    const { code, urls } = await run(
      {
        [SETTINGS]: settings(server.url),
        'http-client.env.json': JSON.stringify({ $shared: { b: 'jetbrains-shared', c: 'jetbrains-shared' }, dev: { e: 'jetbrains-dev', f: 'jetbrains-dev' } }),
        'httprun.yaml': 'environments:\n  $shared: { c: yaml-shared }\n  dev: { f: yaml-dev }\n',
        'a.http': probeAll,
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/settings-shared/jetbrains-shared/yaml-shared/settings-dev/jetbrains-dev/yaml-dev/settings-dev']);
  });

  test('the selected environment of settings.json wins over the $shared of the other files', async () => {
    const { code, urls } = await run(
      {
        [SETTINGS]: settings(server.url),
        'http-client.env.json': JSON.stringify({ $shared: { d: 'jetbrains-shared' } }),
        'httprun.yaml': 'environments:\n  $shared: { e: yaml-shared }\n',
        'a.http': probeAll,
      },
      ['a.http', '--env', 'dev'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/settings-shared/settings-shared/settings-shared/settings-dev/settings-dev/settings-dev/settings-dev']);
  });

  test('the private env file, file variables and --var win over settings.json', async () => {
    const { code, urls } = await run(
      {
        [SETTINGS]: settings(server.url),
        'http-client.private.env.json': JSON.stringify({ dev: { d: 'private-dev' } }),
        'a.http': `@e = file\n${probeAll}`,
      },
      ['a.http', '--env', 'dev', '--var', 'f=cli'],
    );
    expect(code).toBe(0);
    expect(urls).toEqual(['/settings-shared/settings-shared/settings-shared/private-dev/file/cli/settings-dev']);
  });

  test('the nearest .vscode/settings.json wins, whole: one further up is not merged in', async () => {
    const near = JSON.stringify({ 'rest-client.environmentVariables': { $shared: { base: server.url, where: 'near' } } });
    const far = JSON.stringify({ 'rest-client.environmentVariables': { $shared: { base: server.url, where: 'far', onlyFar: 'x' } } });
    const files = { [SETTINGS]: far, [`api/${SETTINGS}`]: near, 'api/a.http': 'GET {{base}}/{{where}}\n', 'b.http': 'GET {{base}}/{{where}}\n' };
    const { code } = await run(files, ['api/a.http', 'b.http']);
    expect(code).toBe(0);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/far', '/near']);
    const merged = await run({ ...files, 'api/a.http': 'GET {{base}}/{{onlyFar}}\n' }, ['api/a.http']);
    expect(merged.code).toBe(2);
    expect(merged.stdout).toMatch(/api\/a\.http:1:\d+: error: undefined variable \{\{onlyFar\}\}/);
  });
});

describe('secrets', () => {
  test('a <<SECRET>> in a settings.json value is sent as its value and shown as ***', async () => {
    const secret = 'Zq8-settings-secret';
    const settings = JSON.stringify({ 'rest-client.environmentVariables': { $shared: { base: server.url, auth: 'Bearer <<TOKEN>>' } } });
    const { code, stdout, stderr } = await run({ [SETTINGS]: settings, '.env': `TOKEN=${secret}\n`, 'a.http': 'GET {{base}}/\nAuthorization: {{auth}}\n' }, ['a.http', '--verbose'], { TOKEN: undefined });
    expect(code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${secret}`);
    expect(stdout).toContain('Authorization: Bearer ***');
    expect(stdout + stderr).not.toContain(secret);
  });

  test('like http-client.env.json, settings.json is public: no source of <<SECRETS>>', async () => {
    const settings = JSON.stringify({ 'rest-client.environmentVariables': { $shared: { base: server.url, TOKEN: 'committed-to-git' } } });
    const { code, stdout } = await run({ [SETTINGS]: settings, 'a.http': 'GET {{base}}/\nX-Token: <<TOKEN>>\n' }, ['a.http'], { TOKEN: undefined });
    expect(code).toBe(2);
    expect(stdout).toMatch(/a\.http:2:\d+: error: missing secret <<TOKEN>>/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('rest-client.defaultHeaders', () => {
  test('sent with every request that does not write the header, User-Agent included; a non-object is a located error', async () => {
    const settings = '{\n  // REST Client\n  "rest-client.defaultHeaders": { "User-Agent": "vscode-restclient", "X-Team": "{{team}}", },\n}\n';
    const { code } = await run({ [SETTINGS]: settings, 'a.http': `@team = core\nGET ${server.url}/one\n\n###\nGET ${server.url}/two\nx-team: mine\n` }, ['a.http']);
    expect(code).toBe(0);
    expect(server.requests.map((r) => [r.url, r.headers['user-agent'], r.headers['x-team']])).toEqual([
      ['/one', 'vscode-restclient', 'core'],
      ['/two', 'vscode-restclient', 'mine'],
    ]);
    const bad = await run({ [SETTINGS]: '{ "rest-client.defaultHeaders": "x" }', 'a.http': `GET ${server.url}/\n` }, ['check', 'a.http']);
    expect(bad.stdout).toContain('.vscode/settings.json:1:33: error: "rest-client.defaultHeaders" in .vscode/settings.json must be an object of header names and values, got a string ("x") [config/invalid-type]');
  });
});

describe('errors in .vscode/settings.json', () => {
  test('a malformed file is a located error; nothing is sent', async () => {
    const settings = '{\n  "rest-client.environmentVariables": {\n    "local": { "a": 1 "b": 2 }\n  }\n}\n';
    const { code, stdout } = await run({ [SETTINGS]: settings, 'a.http': `GET ${server.url}/\n` }, ['a.http', '--env', 'local']);
    expect(code).toBe(2);
    expect(stdout).toContain('.vscode/settings.json:3:23: error: .vscode/settings.json is not valid JSON: expected ",", found "\\"b\\"" [config/invalid-json]');
    expect(server.requests).toHaveLength(0);
  });

  test('environments and variables of the wrong type point at the value', async () => {
    const settings = '{\n  "rest-client.environmentVariables": {\n    "$shared": [],\n    "dev": "x"\n  }\n}';
    const { code, stdout } = await run({ [SETTINGS]: settings, 'a.http': `GET ${server.url}/\n` }, ['check', 'a.http']);
    expect(code).toBe(2);
    expect(stdout).toContain('.vscode/settings.json:3:16: error: "$shared" in .vscode/settings.json must be an object of variables, got an array [config/invalid-type]');
    expect(stdout).toContain('.vscode/settings.json:4:12: error: environment "dev" in .vscode/settings.json must be an object of variables, got a string ("x") [config/invalid-type]');
    const notObject = await run({ [SETTINGS]: '{ "rest-client.environmentVariables": 3 }', 'a.http': `GET ${server.url}/\n` }, ['check', 'a.http']);
    expect(notObject.stdout).toContain('.vscode/settings.json:1:39: error: "rest-client.environmentVariables" in .vscode/settings.json must be an object of environments, got a number (3)');
    const notRoot = await run({ [SETTINGS]: '[]', 'a.http': `GET ${server.url}/\n` }, ['check', 'a.http']);
    expect(notRoot.stdout).toContain('.vscode/settings.json:1:1: error: .vscode/settings.json must be a JSON object, got an array [config/invalid-type]');
  });

  test('each syntax error says what was expected, and what was found, where', () => {
    const folder = mkdtempSync(join(tmpdir(), 'httprun-vscode-'));
    const errorOf = (text: string) => {
      const path = join(folder, `${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(path, text);
      const file = readVscodeSettingsFile(path);
      expect(file.ok).toBe(false);
      const [first] = file.diagnostics;
      return `${first?.span.start.line}:${first?.span.start.column} ${first?.message.replace('.vscode/settings.json is not valid JSON: ', '')}`;
    };
    expect(errorOf('{ "a": 1 "b": 2 }')).toBe('1:10 expected ",", found "\\"b\\""');
    expect(errorOf('{\n  "a": 1,\n  /* open\n')).toBe('3:3 unterminated /* comment, found "/* open"');
    expect(errorOf('{\n  "a": "x\n}')).toBe('2:8 unterminated string, found "\\"x"');
    expect(errorOf('{ "a": [1,,2] }')).toBe('1:11 expected a value, found ","');
    expect(errorOf('{ "a" 1 }')).toBe('1:7 expected ":" after the property name, found "1"');
    expect(errorOf('{ "a": 1')).toBe('1:9 expected "}", found the end of the file');
    expect(errorOf('{} {}')).toBe('1:4 unexpected content after the end of the JSON value, found "{"');
  });
});

describe('watch mode', () => {
  test('editing .vscode/settings.json re-runs the files that read it', async () => {
    const settings = (id: string) => JSON.stringify({ 'rest-client.environmentVariables': { dev: { base: server.url, id } } });
    const root = project({ [SETTINGS]: settings('1'), 'items.http': 'GET {{base}}/items/{{id}}\n' });
    const watcher = startWatch(['--env', 'dev'], { cwd: root });
    try {
      await watcher.nextRun();
      writeFileSync(join(root, SETTINGS), settings('2'));
      const second = await watcher.nextRun(10_000);
      expect(second.reason).toBe('changed: .vscode/settings.json');
      expect(server.requests.map((r) => r.url)).toEqual(['/items/1', '/items/2']);
    } finally {
      await watcher.stop('SIGKILL');
    }
  });
});
