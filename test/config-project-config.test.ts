import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { loadEnvironment } from '../src/config/environment.js';
import { clearConfigCache } from '../src/config/file-cache.js';
import { readYamlConfigFile } from '../src/config/project-config.js';
import { readEnvJsonFile } from '../src/config/env-json-file.js';
import { readDotenvFile } from '../src/config/dotenv-file.js';

const made: string[] = [];
afterEach(() => {
  clearConfigCache();
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function withYaml(yaml: string, files: Record<string, string | Buffer> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'httprun-yaml-'));
  made.push(root);
  writeFileSync(join(root, 'httprun.yaml'), yaml);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  writeFileSync(join(root, 'x.http'), '');
  const { environment, diagnostics } = loadEnvironment(join(root, 'x.http'), { envName: null, cwd: root });
  return { root, config: environment.config, environment, diagnostics };
}

function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`);
}

test('the documented example reads completely', () => {
  const { root, config, diagnostics, environment } = withYaml(`
env: dev                       # default environment
environments:
  $shared: { baseUrl: http://localhost:8080 }
  dev: { baseUrl: http://127.0.0.1:3000 }
  staging: { baseUrl: https://staging.example.com }
defaults: { timeout: 10s, connectionTimeout: 5s, retry: 2, retryInterval: 500ms, maxRedirects: 20,
            maxBody: 64MiB, jobs: 4, insecure: false, http2: true, reports: { junit: reports/junit.xml, json: out.json } }
secrets: { API_TOKEN: { hosts: [api.example.com, localhost:8443, "[::1]:9000"] } }
clientCertificates:
  api.example.com: { cert: ./certs/client.pem, key: ./certs/client.key }
  Other.example.com: { pfx: certs/client.p12, passphrase: hunter2 }
proxy: http://proxy.local:3128
`, { 'certs/client.pem': 'CERT PEM', 'certs/client.key': 'KEY PEM', 'certs/client.p12': Buffer.from([0, 1, 2, 255]) });
  expect(diagnostics).toEqual([]);
  expect(environment.name).toBe('dev');
  expect(environment.shared).toEqual({ baseUrl: 'http://localhost:8080' });
  expect(environment.public).toEqual({ baseUrl: 'http://127.0.0.1:3000' });
  expect(config).toEqual({
    root,
    configFile: join(root, 'httprun.yaml'),
    defaultEnv: 'dev',
    defaults: {
      timeout: 10_000, connectionTimeout: 5000, retry: 2, retryInterval: 500, maxRedirects: 20,
      maxBody: 64 * 1024 * 1024, jobs: 4, insecure: false, http2: true,
      reports: { junit: 'reports/junit.xml', json: 'out.json' },
    },
    secrets: { API_TOKEN: { hosts: ['api.example.com', 'localhost:8443', '[::1]:9000'] } },
    clientCertificates: {
      // The files' contents: PEM as text, a PKCS#12 file as base64.
      'api.example.com': { cert: 'CERT PEM', key: 'KEY PEM' },
      'other.example.com': { pfx: Buffer.from([0, 1, 2, 255]).toString('base64'), passphrase: 'hunter2' },
    },
    proxy: 'http://proxy.local:3128',
  });
});

test('an empty file and empty sections are fine', () => {
  expect(withYaml('').diagnostics).toEqual([]);
  expect(withYaml('# only a comment\n').diagnostics).toEqual([]);
  const { diagnostics, environment } = withYaml('environments:\n  dev:\ndefaults:\nsecrets:\n');
  expect(diagnostics).toEqual([]);
  expect(environment.available).toEqual(['dev']);
});

test('bare numbers are milliseconds and bytes; numeric text counts', () => {
  const { config, diagnostics } = withYaml('defaults: { timeout: 1500, maxBody: 1024, retry: "3" }\n');
  expect(diagnostics).toEqual([]);
  expect(config.defaults).toEqual({ timeout: 1500, maxBody: 1024, retry: 3 });
});

test('invalid YAML is located where the parser says', () => {
  const { diagnostics } = withYaml('environments:\n  dev: [a\n  staging: {}\n');
  expect(summary(diagnostics)[0]).toMatch(/^error config\/invalid-yaml \d+:\d+ httprun\.yaml is not valid YAML: /);
  const duplicate = withYaml('env: a\nenv: b\n').diagnostics;
  expect(summary(duplicate)).toEqual(['error config/invalid-yaml 2:1 httprun.yaml is not valid YAML: Map keys must be unique']);
});

test('a top level that is not a map', () => {
  expect(summary(withYaml('- a\n- b\n').diagnostics)).toEqual([
    'error config/invalid-type 1:1 httprun.yaml must be a map of settings (env, environments, defaults, ...), got a list',
  ]);
});

test('wrong types are located errors', () => {
  const { diagnostics, config } = withYaml(
    [
      'env: [dev]',
      'environments: [dev, prod]',
      'defaults:',
      '  timeout: ten',
      '  connectionTimeout: -5s',
      '  retry: -1',
      '  jobs: 0',
      '  maxRedirects: 2.5',
      '  maxBody: lots',
      '  insecure: "yes"',
      '  reports: [junit]',
      'proxy: 3128',
      '',
    ].join('\n'),
  );
  expect(summary(diagnostics)).toEqual([
    'error config/invalid-type 1:6 env must be the name of an environment, got a list',
    'error config/invalid-type 2:15 environments must be a map of environment names to variables, got a list',
    'error config/invalid-duration 4:12 defaults.timeout must be a duration such as 10s, 500ms or 2m, got "ten"',
    'error config/invalid-duration 5:22 defaults.connectionTimeout must be a duration such as 10s, 500ms or 2m, got "-5s"',
    'error config/invalid-type 6:10 defaults.retry must be a whole number >= 0, got number -1',
    'error config/invalid-type 7:9 defaults.jobs must be a whole number >= 1, got number 0',
    'error config/invalid-type 8:17 defaults.maxRedirects must be a whole number >= 0, got number 2.5',
    'error config/invalid-size 9:12 defaults.maxBody must be a size such as 64MiB, 10MB, 512k or a number of bytes, got "lots"',
    'error config/invalid-type 10:13 defaults.insecure must be true or false, got "yes"',
    'error config/invalid-type 11:12 defaults.reports must be a map of report formats (json, junit, tap, html) to file paths, got a list',
    'error config/invalid-type 12:8 proxy must be a proxy URL such as http://proxy.local:3128, got number 3128',
  ]);
  expect(config.defaults).toEqual({});
});

test('a key with nothing after it points at the key', () => {
  expect(summary(withYaml('defaults:\n  timeout:\n').diagnostics)).toEqual([
    'error config/invalid-duration 2:3 defaults.timeout must be a duration such as 10s, 500ms or 2m, got nothing',
  ]);
});

test('environments that are not maps', () => {
  expect(summary(withYaml('environments:\n  dev: http://x\n  $shared: [1]\n').diagnostics)).toEqual([
    'error config/invalid-type 2:8 environment "dev" must be a map of variable names to values, got "http://x"',
    'error config/invalid-type 3:12 environments.$shared must be a map of variable names to values, got a list',
  ]);
});

test('secret scopes: hosts must be a list of host names', () => {
  const { diagnostics, config } = withYaml(
    [
      'secrets:',
      '  A: { hosts: api.example.com }',
      '  B: { hosts: [1] }',
      '  C: { hosts: ["https://api.example.com/v1"] }',
      '  D: {}',
      '  E: [x]',
      '  F: { hosts: [ok.example.com], host: [typo] }',
      '',
    ].join('\n'),
  );
  expect(summary(diagnostics)).toEqual([
    'error config/invalid-type 2:15 secrets.A.hosts must be a list of host names such as [api.example.com, localhost:8443], got "api.example.com"',
    'error config/invalid-type 3:16 secrets.B.hosts must be a list of host names such as [api.example.com, localhost:8443], got number 1',
    'error config/invalid-host 4:16 secrets.C.hosts: "https://api.example.com/v1" is not a host; write a host name (api.example.com) or host:port (localhost:8443), without scheme or path',
    'error config/invalid-type 5:3 secrets.D needs "hosts: [host, ...]": the hosts this secret may be sent to',
    'error config/invalid-type 6:6 secrets.E must be { hosts: [host, ...] }, got a list',
    'warning config/unknown-key 7:33 unknown key "host" in secrets.F (known: hosts); it is ignored',
  ]);
  expect(config.secrets).toEqual({ F: { hosts: ['ok.example.com'] } });
});

test('client certificates need cert and key, or pfx', () => {
  const { diagnostics, config } = withYaml(
    ['clientCertificates:', '  a.example.com: { cert: a.pem }', '  b.example.com: { pfx: 12 }', '  c.example.com: x', ''].join('\n'),
    { 'a.pem': 'CERT' },
  );
  expect(summary(diagnostics)).toEqual([
    'error config/invalid-type 2:3 clientCertificates.a.example.com needs cert and key, or pfx',
    'error config/invalid-type 3:25 clientCertificates.b.example.com.pfx must be a file path, got number 12',
    'error config/invalid-type 4:18 clientCertificates.c.example.com must be { cert, key } or { pfx, passphrase }, got "x"',
  ]);
  expect(config.clientCertificates).toEqual({});
});

test('a certificate file that cannot be read is a located error, and that host gets no certificate', () => {
  const { diagnostics, config } = withYaml(['clientCertificates:', '  a.example.com: { cert: certs/missing.pem, key: k.pem }', ''].join('\n'), { 'k.pem': 'KEY' });
  expect(summary(diagnostics)).toEqual(['error config/unreadable-file 2:26 clientCertificates.a.example.com.cert: cannot read certs/missing.pem: no such file']);
  expect(config.clientCertificates).toEqual({});
});

test('unknown keys are warnings, never fatal', () => {
  const { diagnostics, config } = withYaml('envs: { dev: {} }\ndefaults: { timout: 5s, retry: 1, reports: { xml: a.xml } }\n');
  expect(summary(diagnostics)).toEqual([
    'warning config/unknown-key 1:1 unknown key "envs" in httprun.yaml (known: env, environments, defaults, secrets, clientCertificates, proxy); it is ignored',
    'warning config/unknown-key 2:13 unknown key "timout" in httprun.yaml defaults (known: timeout, connectionTimeout, retryInterval, retry, maxRedirects, jobs, maxBody, insecure, http2, reports); it is ignored',
    'warning config/unknown-key 2:46 unknown key "xml" in httprun.yaml defaults.reports (known: json, junit, tap, html); it is ignored',
  ]);
  expect(config.defaults).toEqual({ retry: 1, reports: {} });
});

test('keys must be plain names', () => {
  expect(summary(withYaml('? [a, b]\n: 1\n').diagnostics)).toEqual([
    'error config/invalid-type 1:3 keys in httprun.yaml must be plain names, got a list',
  ]);
});

test('a file that cannot be read is a located error', () => {
  const directory = mkdtempSync(join(tmpdir(), 'httprun-unreadable-'));
  made.push(directory);
  mkdirSync(join(directory, 'httprun.yaml'));
  const yaml = readYamlConfigFile(join(directory, 'httprun.yaml'));
  expect(yaml.diagnostics[0]?.code).toBe('config/unreadable-file');
  expect(yaml.diagnostics[0]?.message).toMatch(/^cannot read .*httprun\.yaml: it is a directory$/);
  expect(readEnvJsonFile(directory).diagnostics[0]?.message).toMatch(/^cannot read .*: it is a directory$/);
  expect(readDotenvFile(directory).diagnostics[0]?.message).toMatch(/^cannot read .*: it is a directory$/);
});
