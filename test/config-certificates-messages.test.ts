// Every message of the TLS and certificate settings read from other tools' files: JetBrains'
// SSLConfiguration (src/config/ssl-configuration.ts), REST Client's rest-client.certificates
// (src/config/vscode-settings.ts) and httpyac's .httpyac.json (src/config/httpyac-config.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { readEnvJsonFile } from '../src/config/env-json-file.js';
import { clearConfigCache } from '../src/config/file-cache.js';
import { readHttpyacConfigFile } from '../src/config/httpyac-config.js';
import { readVscodeSettingsFile } from '../src/config/vscode-settings.js';

const made: string[] = [];
afterEach(() => {
  clearConfigCache();
  for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function folder(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'httprun-certs-'));
  made.push(root);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

const lines = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.severity} ${d.span.start.line}:${d.span.start.column} ${d.message}`);

describe("JetBrains' SSLConfiguration", () => {
  const read = (ssl: unknown, files: Record<string, string | Buffer> = {}) => {
    const root = folder({ ...files, 'http-client.private.env.json': JSON.stringify({ dev: { SSLConfiguration: ssl } }) });
    const file = readEnvJsonFile(join(root, 'http-client.private.env.json'));
    return { file, messages: lines(file.diagnostics) };
  };
  const label = 'SSLConfiguration of environment "dev" in http-client.private.env.json';

  test('is no variable; a certificate without a key file uses the certificate file for both', () => {
    const { file, messages } = read({ clientCertificate: 'both.pem', verifyHostCertificate: false }, { 'both.pem': 'PEM' });
    expect(messages).toEqual([]);
    expect(file.environments.get('dev')).toMatchObject({ values: {}, ssl: { insecure: true, certificate: { cert: 'PEM', key: 'PEM' } } });
  });

  test('each problem says what was expected', () => {
    expect(read('x').messages).toEqual([`error 1:28 ${label}: must be an object (clientCertificate, clientCertificateKey, verifyHostCertificate), got string`]);
    expect(read({ verifyHostCertificate: 'no' }).messages).toEqual([`error 1:53 ${label}: verifyHostCertificate must be true or false`]);
    expect(read({ clientCertificate: 3 }).messages).toEqual([`error 1:49 ${label}: clientCertificate: expected a path, or { "path": ..., "format": "PEM" | "DER" }`]);
    expect(read({ clientCertificate: { format: 'PEM' } }).messages).toEqual([`error 1:49 ${label}: clientCertificate: expected a path, or { "path": ..., "format": "PEM" | "DER" }`]);
    expect(read({ clientCertificate: { path: 'c.pem', format: 'P12' } }, { 'c.pem': 'x' }).messages).toEqual([`error 1:49 ${label}: clientCertificate: format must be "PEM" or "DER"`]);
    expect(read({ clientCertificate: { path: 'c.der', format: 'DER' } }, { 'c.der': 'not der' }).messages[0]).toMatch(
      new RegExp(`^error 1:49 ${label}: clientCertificate: c\\.der is not a DER certificate: `),
    );
    expect(read({ clientCertificate: 'c.pem', clientCertificateKey: { path: 'k.der', format: 'der' } }, { 'c.pem': 'x', 'k.der': 'not der' }).messages).toEqual([
      `error 1:80 ${label}: clientCertificateKey: k.der is not a DER private key (PKCS#8, PKCS#1 or SEC1)`,
    ]);
  });
});

describe("REST Client's rest-client.certificates", () => {
  const read = (certificates: string) => {
    const root = folder({ '.vscode/settings.json': `{ "rest-client.certificates": ${certificates} }` });
    return lines(readVscodeSettingsFile(join(root, '.vscode/settings.json')).diagnostics);
  };
  const label = '"rest-client.certificates" in .vscode/settings.json';

  test('each problem says what was expected', () => {
    expect(read('[]')).toEqual([`error 1:31 ${label} must be an object of hosts, got an array`]);
    expect(read('{ "a.example": "x" }')).toEqual([`error 1:46 ${label}: "a.example" must be { cert, key } or { pfx, passphrase }, got a string ("x")`]);
    expect(read('{ "a.example": { "pfx": 12 } }')).toEqual([`error 1:55 ${label}: "a.example".pfx must be a string, got a number (12)`]);
  });
});

describe("httpyac's .httpyac.json", () => {
  const read = (text: string) => {
    const root = folder({ '.httpyac.json': text });
    return lines(readHttpyacConfigFile(join(root, '.httpyac.json')).diagnostics);
  };

  test('each problem says what was expected', () => {
    expect(read('[]')).toEqual(['error 1:1 the file in .httpyac.json must be a JSON object, got an array']);
    expect(read('{ "environments": 1 }')).toEqual(['error 1:19 "environments" in .httpyac.json must be an object of environments, got a number (1)']);
    expect(read('{ "environments": {} ')[0]).toMatch(/^error 1:\d+ \.httpyac\.json is not valid JSON: /);
  });
});
