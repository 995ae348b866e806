import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { loadEnvironment } from '../src/config/environment.js';
import { clearConfigCache } from '../src/config/file-cache.js';

const made: string[] = [];
afterEach(() => {
  clearConfigCache();
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A throwaway project: paths relative to its folder, which holds a `.git` marker unless told otherwise. */
function project(files: Record<string, string>, options: { marker?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'httprun-config-'));
  made.push(root);
  if (options.marker !== false) mkdirSync(join(root, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function load(root: string, requestFile: string, envName: string | null = null, cwd = root) {
  return loadEnvironment(join(root, requestFile), { envName, cwd });
}

function where(d: Diagnostic): string {
  return `${d.span.file}:${d.span.start.line}:${d.span.start.column}`;
}

describe('lookup', () => {
  test('with no config file: no environment, empty layers, root at the marker', () => {
    const root = project({ 'api/users.http': 'GET /\n' });
    const { environment, diagnostics } = load(root, 'api/users.http');
    expect(diagnostics).toEqual([]);
    expect(environment).toEqual({
      name: null, shared: {}, public: {}, private: {}, dotenv: {}, available: [], files: [],
      config: { root, configFile: null, defaultEnv: null, defaults: {}, secrets: {}, clientCertificates: {} },
    });
  });

  test('package.json and httprun.yaml mark the root too', () => {
    const withPackage = project({ 'sub/package.json': '{}', 'sub/a.http': '' }, { marker: false });
    expect(load(withPackage, 'sub/a.http').environment.config.root).toBe(join(withPackage, 'sub'));
    const withYaml = project({ 'x/httprun.yaml': '', 'x/y/a.http': '' }, { marker: false });
    expect(load(withYaml, 'x/y/a.http').environment.config.root).toBe(join(withYaml, 'x'));
  });

  test('without a marker the working directory is the root', () => {
    const root = project({ 'a/b/c.http': '', 'a/http-client.env.json': '{"dev": {"x": "1"}}' }, { marker: false });
    const { environment } = load(root, 'a/b/c.http', 'dev', join(root, 'a'));
    expect(environment.config.root).toBe(join(root, 'a'));
    expect(environment.public).toEqual({ x: '1' });
  });

  test('env files are found upward to the root, not above it', () => {
    const root = project({
      'http-client.env.json': '{"dev": {"from": "outside"}}',
      'repo/.git/HEAD': '',
      'repo/api/v1/users.http': '',
      'repo/api/http-client.env.json': '{"dev": {"from": "api"}}',
    });
    expect(load(root, 'repo/api/v1/users.http', 'dev').environment.public).toEqual({ from: 'api' });
    rmSync(join(root, 'repo/api/http-client.env.json'));
    clearConfigCache();
    const { environment, diagnostics } = load(root, 'repo/api/v1/users.http', 'dev');
    expect(environment.public).toEqual({});
    expect(diagnostics.map((d) => d.code)).toEqual(['config/unknown-environment']);
  });

  test('the nearest env file wins (kulala folder inheritance)', () => {
    const root = project({
      'http-client.env.json': '{"$schema": "https://kulala.app/x.json", "dev": {"folder_level": 1}}',
      'level1.http': '',
      'level2/http-client.env.json': '{"$schema": "https://kulala.app/x.json", "dev": {"folder_level": 2}}',
      'level2/level2.http': '',
    });
    expect(load(root, 'level1.http', 'dev').environment.public).toEqual({ folder_level: '1' });
    expect(load(root, 'level2/level2.http', 'dev').environment.public).toEqual({ folder_level: '2' });
    expect(load(root, 'level2/level2.http', 'dev').environment.available).toEqual(['dev']);
  });

  test('a relative request path is read from the working directory', () => {
    const root = project({ 'a/x.http': '', 'a/http-client.env.json': '{"dev": {"k": "v"}}' });
    expect(loadEnvironment('a/x.http', { envName: 'dev', cwd: root }).environment.public).toEqual({ k: 'v' });
  });
});

describe('layers', () => {
  const files = {
    'httprun.yaml': [
      'env: dev',
      'environments:',
      '  $shared: { baseUrl: http://shared.yaml, onlyYamlShared: y }',
      '  dev: { baseUrl: http://dev.yaml, port: 3000 }',
      '  staging: { baseUrl: https://staging.example.com }',
      '',
    ].join('\n'),
    'http-client.env.json': JSON.stringify({
      $shared: { baseUrl: 'http://shared.json', onlyJsonShared: 'j' },
      dev: { baseUrl: 'http://dev.json', user: 'ada' },
      prod: { baseUrl: 'https://prod.example.com' },
    }),
    'http-client.private.env.json': JSON.stringify({
      $shared: { token: 'shared-secret' },
      dev: { password: 'dev-secret' },
      local: { password: 'local' },
    }),
    'requests/users.http': '',
  };

  test('httprun.yaml wins over the public file, for $shared and for the environment', () => {
    const root = project(files);
    const { environment, diagnostics } = load(root, 'requests/users.http');
    expect(diagnostics).toEqual([]);
    expect(environment.name).toBe('dev');
    expect(environment.shared).toEqual({ baseUrl: 'http://shared.yaml', onlyYamlShared: 'y', onlyJsonShared: 'j' });
    expect(environment.public).toEqual({ baseUrl: 'http://dev.yaml', user: 'ada', port: '3000' });
    expect(environment.private).toEqual({ token: 'shared-secret', password: 'dev-secret' });
    expect(environment.available).toEqual(['dev', 'staging', 'prod', 'local']);
    expect(environment.files).toEqual([
      join(root, 'httprun.yaml'), join(root, 'http-client.env.json'), join(root, 'http-client.private.env.json'),
    ]);
    expect(environment.config.configFile).toBe(join(root, 'httprun.yaml'));
    expect(environment.config.defaultEnv).toBe('dev');
  });

  test('--env overrides env: of httprun.yaml', () => {
    const root = project(files);
    const { environment } = load(root, 'requests/users.http', 'prod');
    expect(environment.name).toBe('prod');
    expect(environment.public).toEqual({ baseUrl: 'https://prod.example.com' });
    expect(environment.private).toEqual({ token: 'shared-secret' });
  });

  test('an environment only in the private file is selectable', () => {
    const root = project(files);
    expect(load(root, 'requests/users.http', 'local').environment.private).toEqual({ token: 'shared-secret', password: 'local' });
  });

  test('without --env and without env:, only $shared applies', () => {
    const root = project({ ...files, 'httprun.yaml': 'environments: { dev: { a: 1 } }\n' });
    const { environment, diagnostics } = load(root, 'requests/users.http');
    expect(diagnostics).toEqual([]);
    expect(environment.name).toBeNull();
    expect(environment.public).toEqual({});
    expect(environment.private).toEqual({ token: 'shared-secret' });
    expect(environment.shared).toEqual({ baseUrl: 'http://shared.json', onlyJsonShared: 'j' });
  });

  test('values become text: numbers as written, booleans, null as empty, objects as JSON', () => {
    const root = project({
      'http-client.env.json': '{"dev": {"n": 1.10, "big": 12345678901234567890, "t": true, "z": null, "o": {"a": [1, "x"]}}}',
      'httprun.yaml': 'environments:\n  dev: { yn: 1.10, yb: false, yz: ~, yo: { a: [1, x] }, ys: "007", hex: 0x1F }\n',
      'a.http': '',
    });
    const { environment } = load(root, 'a.http', 'dev');
    expect(environment.public).toEqual({
      n: '1.10', big: '12345678901234567890', t: 'true', z: '', o: '{"a":[1,"x"]}',
      yn: '1.10', yb: 'false', yz: '', yo: '{"a":[1,"x"]}', ys: '007', hex: '0x1F',
    });
  });

  test('a "__proto__" variable is an ordinary name', () => {
    const root = project({ 'http-client.env.json': '{"dev": {"__proto__": "p", "constructor": "c"}}', 'a.http': '' });
    const { environment } = load(root, 'a.http', 'dev');
    expect(Object.keys(environment.public)).toEqual(['__proto__', 'constructor']);
    expect(environment.public['__proto__']).toBe('p');
  });
});

describe('.env', () => {
  test('the .env beside the request file wins over the project root one', () => {
    const root = project({
      '.env': 'A=root\nB=root\n',
      'api/.env': 'B=beside\nC="quoted value"\n',
      'api/x.http': '',
    });
    const { environment, diagnostics } = load(root, 'api/x.http');
    expect(diagnostics).toEqual([]);
    expect(environment.dotenv).toEqual({ A: 'root', B: 'beside', C: 'quoted value' });
    expect(environment.files).toEqual([join(root, '.env'), join(root, 'api/.env')]);
  });

  test('a .env at the root beside the request file is read once', () => {
    const root = project({ '.env': 'export A=1\n# comment\nMULTI="line one\nline two"\n', 'x.http': '' });
    const { environment } = load(root, 'x.http');
    expect(environment.dotenv).toEqual({ A: '1', MULTI: 'line one\nline two' });
    expect(environment.files).toEqual([join(root, '.env')]);
  });

  test('a malformed line is a located warning, and the lines around it still count', () => {
    const root = project({ '.env': 'A=1\n  oops no equals\nB=2\n', 'x.http': '' });
    const { environment, diagnostics } = load(root, 'x.http');
    expect(environment.dotenv).toEqual({ A: '1', B: '2' });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: 'warning',
      code: 'config/invalid-dotenv-line',
      message: 'ignored line in .env: expected NAME=value',
    });
    expect(where(diagnostics[0]!)).toBe(`.env:2:3`);
  });
});

describe("dotenv files as httpyac reads them: NAME.env, every folder up to the root, the env/ folder", () => {
  test("in one folder .env, then NAME.env (httpyac), then .env.NAME (REST Client): the later wins", () => {
    const root = project({ '.env': 'A=plain\nB=plain\nC=plain\n', 'dev.env': 'B=httpyac\nC=httpyac\n', '.env.dev': 'C=restclient\n', 'x.http': '' });
    const { environment, diagnostics } = load(root, 'x.http', 'dev');
    expect(diagnostics).toEqual([]);
    expect(environment.name).toBe('dev');
    expect(environment.dotenv).toEqual({ A: 'plain', B: 'httpyac', C: 'restclient' });
    expect(environment.files).toEqual(['.env', 'dev.env', '.env.dev'].map((name) => join(root, name)));
    // Without --env only .env is read.
    expect(load(root, 'x.http').environment.dotenv).toEqual({ A: 'plain', B: 'plain', C: 'plain' });
  });

  test('NAME.env alone makes NAME an environment, in the env/ folder too; another name stays unknown', () => {
    const root = project({ 'staging.env': 'host=s\n', 'env/qa.env': 'host=q\n', 'api/x.http': '' });
    expect(load(root, 'api/x.http', 'staging')).toMatchObject({ environment: { name: 'staging', dotenv: { host: 's' }, available: ['staging'] }, diagnostics: [] });
    expect(load(root, 'api/x.http', 'qa')).toMatchObject({ environment: { name: 'qa', dotenv: { host: 'q' } }, diagnostics: [] });
    const unknown = load(root, 'api/x.http', 'prod');
    expect(unknown.diagnostics.map((d) => d.code)).toEqual(['config/unknown-environment']);
    // A name that cannot be part of a file name is never looked up as one.
    expect(load(root, 'api/x.http', '../staging').diagnostics.map((d) => d.code)).toEqual(['config/unknown-environment']);
  });

  test('every folder from the root down to the request file, each with its env/ folder after it: the nearer wins', () => {
    const root = project({
      '.env': 'a=root\nb=root\nc=root\nd=root\ne=root\n',
      'env/.env': 'b=root-env\nc=root-env\nd=root-env\ne=root-env\n',
      'api/.env': 'c=api\nd=api\ne=api\n',
      'api/env/dev.env': 'd=api-env\ne=api-env\n',
      'api/v1/.env.dev': 'e=beside\n',
      'api/v1/x.http': '',
    });
    const { environment, diagnostics } = load(root, 'api/v1/x.http', 'dev');
    expect(diagnostics).toEqual([]);
    expect(environment.dotenv).toEqual({ a: 'root', b: 'root-env', c: 'api', d: 'api-env', e: 'beside' });
    expect(environment.files).toEqual(['.env', 'env/.env', 'api/.env', 'api/env/dev.env', 'api/v1/.env.dev'].map((name) => join(root, name)));
  });

  test('not above the project root, and not in a sibling folder', () => {
    const root = project({ '.env': 'a=outside\n', 'repo/.git/HEAD': '', 'repo/.env': 'b=root\n', 'repo/other/.env': 'c=sibling\n', 'repo/api/x.http': '' });
    expect(load(root, 'repo/api/x.http').environment.dotenv).toEqual({ b: 'root' });
  });

  test('a malformed line of NAME.env is a located warning naming that file', () => {
    const root = project({ 'env/dev.env': 'A=1\noops\n', 'x.http': '' });
    const { environment, diagnostics } = load(root, 'x.http', 'dev');
    expect(environment.dotenv).toEqual({ A: '1' });
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'config/invalid-dotenv-line', message: 'ignored line in dev.env: expected NAME=value' }]);
    expect(where(diagnostics[0]!)).toBe('env/dev.env:2:1');
  });
});

describe('http-client.env.json from every folder up to the root, merged', () => {
  test('the nearer file wins on a variable; the outer variables, $shared and environments count', () => {
    const root = project({
      'http-client.env.json': JSON.stringify({ $shared: { s: 'root', t: 'root' }, dev: { a: 'root', b: 'root' }, staging: { a: 'root-staging' } }),
      'api/http-client.env.json': JSON.stringify({ $shared: { t: 'api' }, dev: { b: 'api' } }),
      'api/x.http': '',
    });
    const { environment, diagnostics } = load(root, 'api/x.http', 'dev');
    expect(diagnostics).toEqual([]);
    expect(environment).toMatchObject({ shared: { s: 'root', t: 'api' }, public: { a: 'root', b: 'api' }, available: ['dev', 'staging'] });
    expect(environment.files).toEqual([join(root, 'api/http-client.env.json'), join(root, 'http-client.env.json')]);
    expect(load(root, 'api/x.http', 'staging').environment.public).toEqual({ a: 'root-staging' });
  });

  test("httpyac's env/ folder holds env files too, and wins over its own folder; the private file merges the same way", () => {
    const root = project({
      'http-client.env.json': JSON.stringify({ dev: { a: 'root', b: 'root' } }),
      'env/http-client.env.json': JSON.stringify({ dev: { b: 'env-folder' }, qa: { a: 'qa' } }),
      'env/http-client.private.env.json': JSON.stringify({ dev: { secret: 'env-folder' } }),
      'api/http-client.private.env.json': JSON.stringify({ $shared: { other: 'api' } }),
      'api/x.http': '',
    });
    const dev = load(root, 'api/x.http', 'dev');
    expect(dev.diagnostics).toEqual([]);
    expect(dev.environment).toMatchObject({ public: { a: 'root', b: 'env-folder' }, private: { secret: 'env-folder', other: 'api' } });
    expect(load(root, 'api/x.http', 'qa').environment.public).toEqual({ a: 'qa' });
  });

  test('a request file inside an env/ folder reads each file once', () => {
    const root = project({ 'env/http-client.env.json': '{"dev": {"a": "1"}}', 'env/.env': 'b=2\n', 'env/x.http': '' });
    const { environment, diagnostics } = load(root, 'env/x.http', 'dev');
    expect(diagnostics).toEqual([]);
    expect(environment).toMatchObject({ public: { a: '1' }, dotenv: { b: '2' } });
    expect(environment.files).toEqual([join(root, 'env/http-client.env.json'), join(root, 'env/.env')]);
  });

  test('a malformed file in env/ is a located error; the other files still count', () => {
    const root = project({ 'http-client.env.json': '{"dev": {"a": "1"}}', 'env/http-client.env.json': '{"dev": {"b": }}', 'x.http': '' });
    const { environment, diagnostics } = load(root, 'x.http', 'dev');
    expect(diagnostics).toMatchObject([{ code: 'config/invalid-json' }]);
    expect(where(diagnostics[0]!)).toBe('env/http-client.env.json:1:15');
    expect(environment.public).toEqual({ a: '1' });
  });

  test('a comment is a located error whose hint says why: httpyac and kulala skip such a file without a word', () => {
    const root = project({ 'http-client.env.json': '{\n  // the dev server\n  "dev": {"a": "1"}\n}\n', 'x.http': '' });
    const { diagnostics } = load(root, 'x.http', 'dev');
    expect(diagnostics[0]).toMatchObject({
      code: 'config/invalid-json',
      message: 'http-client.env.json is not valid JSON: comments are not allowed in JSON',
      hint: 'JSON has no comments (httpyac and kulala silently skip a file with one): remove the comment',
    });
    expect(where(diagnostics[0]!)).toBe('http-client.env.json:2:3');
  });
});

describe('unknown environment', () => {
  test('--env NAME lists the environments that exist, at the first config file', () => {
    const root = project({
      'http-client.env.json': '{"dev": {}, "staging": {}}',
      'httprun.yaml': 'environments: { qa: {} }\n',
      'x.http': '',
    });
    const { diagnostics, environment } = load(root, 'x.http', 'prod');
    expect(environment.public).toEqual({});
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'config/unknown-environment',
      message: 'unknown environment "prod" (--env prod); defined: qa, dev, staging',
      hint: 'pick one of them with --env NAME',
    });
    expect(where(diagnostics[0]!)).toBe(`httprun.yaml:1:1`);
  });

  test('with no config file at all the request file is pointed at', () => {
    const root = project({ 'x.http': '' });
    const [problem] = load(root, 'x.http', 'dev').diagnostics;
    expect(problem?.message).toBe('unknown environment "dev" (--env dev): no environment file was found (httprun.yaml, http-client.env.json, .httpyac.json or .vscode/settings.json)');
    expect(problem?.hint).toBe('define it under environments: in httprun.yaml, or as a top-level key of http-client.env.json');
    expect(where(problem!)).toBe(`x.http:1:1`);
  });

  test('config files that define no environment say so', () => {
    const root = project({ 'http-client.env.json': '{"$shared": {"a": 1}}', 'x.http': '' });
    const [problem] = load(root, 'x.http', 'dev').diagnostics;
    expect(problem?.message).toBe('unknown environment "dev" (--env dev): none is defined in http-client.env.json');
    expect(where(problem!)).toBe(`http-client.env.json:1:1`);
  });

  test('an unknown env: in httprun.yaml points at that value', () => {
    const root = project({ 'httprun.yaml': 'environments:\n  dev: {}\nenv: prdo\n', 'x.http': '' });
    const [problem] = load(root, 'x.http').diagnostics;
    expect(problem?.message).toBe('unknown environment "prdo" (env: prdo in httprun.yaml); defined: dev');
    expect(where(problem!)).toBe(`httprun.yaml:3:6`);
  });
});

describe('malformed env files', () => {
  test('invalid JSON is located at the parser position', () => {
    const root = project({ 'http-client.env.json': '{\n  "dev": {\n    "a": 1,\n  }\n}\n', 'x.http': '' });
    const { diagnostics, environment } = load(root, 'x.http', 'dev');
    expect(diagnostics[0]).toMatchObject({
      code: 'config/invalid-json',
      message: 'http-client.env.json is not valid JSON: trailing comma before "}"',
    });
    expect(where(diagnostics[0]!)).toBe(`http-client.env.json:4:3`);
    // The file still counts as read (watch mode must notice it being fixed), but defines nothing.
    expect(environment.files).toEqual([join(root, 'http-client.env.json')]);
    expect(diagnostics.map((d) => d.code)).toEqual(['config/invalid-json', 'config/unknown-environment']);
  });

  test('a BOM does not shift positions', () => {
    const root = project({ 'http-client.private.env.json': '\uFEFF{"dev": 5}', 'x.http': '' });
    const [problem] = load(root, 'x.http').diagnostics;
    expect(problem?.message).toBe('environment "dev" in http-client.private.env.json must be an object of variables, got a number (5)');
    expect(where(problem!)).toBe(`http-client.private.env.json:1:9`);
  });

  test('wrong types are located errors; the rest of the file still counts', () => {
    const root = project({
      'http-client.env.json': '{\n  "$shared": [1],\n  "dev": "x",\n  "ok": {"a": "b"}\n}',
      'x.http': '',
    });
    const { diagnostics, environment } = load(root, 'x.http', 'ok');
    expect(diagnostics.map((d) => [d.code, d.message, where(d)])).toEqual([
      ['config/invalid-type', '"$shared" in http-client.env.json must be an object of variables, got an array', `http-client.env.json:2:14`],
      ['config/invalid-type', 'environment "dev" in http-client.env.json must be an object of variables, got a string ("x")', `http-client.env.json:3:10`],
    ]);
    expect(environment.public).toEqual({ a: 'b' });
    expect(environment.available).toEqual(['ok']);
  });

  test('a top level that is not an object', () => {
    const root = project({ 'http-client.env.json': '[]', 'x.http': '' });
    expect(load(root, 'x.http').diagnostics[0]?.message).toBe('http-client.env.json must be a JSON object of environments, got an array');
  });
});

describe('cache', () => {
  test('files are read once until clearConfigCache()', () => {
    const root = project({ 'http-client.env.json': '{"dev": {"v": "1"}}', 'a.http': '', 'b.http': '' });
    expect(load(root, 'a.http', 'dev').environment.public).toEqual({ v: '1' });
    writeFileSync(join(root, 'http-client.env.json'), '{"dev": {"v": "2"}}');
    writeFileSync(join(root, 'http-client.private.env.json'), '{"dev": {"p": "x"}}');
    expect(load(root, 'b.http', 'dev').environment.public).toEqual({ v: '1' });
    expect(load(root, 'b.http', 'dev').environment.private).toEqual({});
    clearConfigCache();
    expect(load(root, 'b.http', 'dev').environment.public).toEqual({ v: '2' });
    expect(load(root, 'b.http', 'dev').environment.private).toEqual({ p: 'x' });
  });

  test('the layers handed out are copies: a caller cannot change what the next file sees', () => {
    const root = project({ 'http-client.env.json': '{"$shared": {"s": "1"}, "dev": {"v": "1"}}', 'a.http': '' });
    const first = load(root, 'a.http', 'dev').environment;
    first.public['v'] = 'changed';
    first.shared['s'] = 'changed';
    const second = load(root, 'a.http', 'dev').environment;
    expect(second.public).toEqual({ v: '1' });
    expect(second.shared).toEqual({ s: '1' });
  });
});

describe("httpyac's .httpyac.json", () => {
  test('environments: $shared, named ones, and $default for when none is selected; below http-client.env.json', () => {
    const root = project({
      '.httpyac.json': JSON.stringify({
        log: { level: 10 },
        environments: { $shared: { host: 'https://shared.example', a: 'yac' }, $default: { user: 'nobody' }, dev: { user: 'mario', port: 8080 } },
      }),
      'http-client.env.json': JSON.stringify({ dev: { a: 'jetbrains' } }),
      'x.http': 'GET /\n',
    });
    const none = load(root, 'x.http');
    expect(none.diagnostics).toEqual([]);
    expect(none.environment.available).toEqual(['dev']);
    expect(none.environment.shared).toEqual({ host: 'https://shared.example', a: 'yac' });
    expect(none.environment.public).toEqual({ user: 'nobody' });
    const dev = load(root, 'x.http', 'dev');
    expect(dev.environment.public).toEqual({ user: 'mario', port: '8080', a: 'jetbrains' });
  });

  test('a file that is not what httpyac reads is a located error', () => {
    const root = project({ '.httpyac.json': '{\n  "environments": { "dev": 3 },\n  "defaultHeaders": []\n}\n', 'x.http': 'GET /\n' });
    const { diagnostics } = load(root, 'x.http');
    expect(diagnostics.map((d) => `${where(d)} ${d.message}`)).toEqual([
      '.httpyac.json:2:28 environment "dev" in .httpyac.json must be an object of variables, got a number (3)',
      '.httpyac.json:3:21 "defaultHeaders" in .httpyac.json must be an object of header names and values, got an array',
    ]);
  });
});
