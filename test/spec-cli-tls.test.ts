import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { hasOpenssl, listen, makeCertificates, runCleanups } from './fixtures/execute/harness.js';
import { project, runCli } from './helpers/cli.js';

// SPEC §5.3 / §7 "Defaults and limits": --cacert, --insecure (-k), --http2, --connection-timeout, through the real CLI.

afterEach(runCleanups);

interface ReportRequest { outcome: string; error: string | null; status: number | null }

/** An https server that asks for a client certificate and answers `hello <CN>` for a trusted one, else `anonymous`. */
function greetClient(certs: ReturnType<typeof makeCertificates>): Promise<number> {
  return listen(
    createHttpsServer({ ...certs.localhost, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: false }, (request, response) => {
      const socket = request.socket as import('node:tls').TLSSocket;
      response.end(socket.authorized ? `hello ${String(socket.getPeerCertificate().subject.CN)}` : 'anonymous');
    }),
  );
}

const requestsOf = (root: string, name = 'r.json'): ReportRequest[] =>
  (JSON.parse(readFileSync(join(root, name), 'utf8')) as { files: { requests: ReportRequest[] }[] }).files.flatMap((f) => f.requests);

test('--connection-timeout bounds connecting (a TLS handshake that never completes), not the whole request', async () => {
  // Accepts TCP and never answers the TLS ClientHello.
  const port = await listen(createTcpServer(() => undefined));
  const root = project({ 'c.http': `GET https://127.0.0.1:${port}/\n` });
  const started = Date.now();
  const { code, stdout } = await runCli(['c.http', '--connection-timeout', '300ms', '--timeout', '20s', '--report-json', 'r.json'], { cwd: root });
  expect(code).toBe(3);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(requestsOf(root)[0]!.error).toBe('could not connect within 300 ms');
  expect(stdout).toContain('could not connect within 300 ms');
});

describe.skipIf(!hasOpenssl())('TLS and HTTP/2 through the CLI', () => {
  let certs: ReturnType<typeof makeCertificates>;
  beforeAll(() => {
    certs = makeCertificates();
  });

  test('a certificate from an unknown CA fails verification; --cacert FILE makes it pass; -k skips verification', async () => {
    const port = await listen(createHttpsServer(certs.localhost, (_request, response) => response.end('secure')));
    const root = project({ 't.http': `GET https://127.0.0.1:${port}/\n\n?? body == secure\n`, 'certs/ca.pem': certs.ca.cert });
    const unknown = await runCli(['t.http', '--report-json', 'r.json'], { cwd: root });
    expect(unknown.code).toBe(3);
    expect(requestsOf(root)[0]!.error).toMatch(/^TLS: unknown certificate authority \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\) for 127\.0\.0\.1:\d+; trust it with --cacert FILE or skip checks with --insecure$/);
    expect((await runCli(['t.http', '--cacert', 'certs/ca.pem'], { cwd: root })).code).toBe(0);
    expect((await runCli(['t.http', '-k'], { cwd: root })).code).toBe(0);
    expect((await runCli(['t.http', '--insecure'], { cwd: root })).code).toBe(0);
  });

  test('a --cacert file that cannot be read is a usage error (exit 2), not a crash', async () => {
    const root = project({ 't.http': 'GET https://127.0.0.1:9/\n' });
    const missing = await runCli(['t.http', '--cacert', 'nope.pem'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('httprun: --cacert cannot read "nope.pem": no such file\n');
    const folder = await runCli(['t.http', '--cacert', '.'], { cwd: root });
    expect(folder).toMatchObject({ code: 2, stderr: 'httprun: --cacert cannot read ".": it is a directory\n' });
  });

  test('--http2 uses HTTP/2 for every request; without it HTTP/1.1; the request line HTTP/2 asks for one request', async () => {
    const port = await listen(
      createSecureServer({ ...certs.localhost, allowHTTP1: true }, (request, response) => response.end(`v${request.httpVersion}`)),
    );
    const url = `https://127.0.0.1:${port}`;
    const root = project({
      'h.http': `### plain\nGET ${url}/a\n\n?? body == {{want}}\n\n### asked\nGET ${url}/b HTTP/2\n\n?? body == v2.0\n?? version == 2\n`,
      'ca.pem': certs.ca.cert,
    });
    const one = await runCli(['h.http', '--cacert', 'ca.pem', '--var', 'want=v1.1'], { cwd: root });
    expect({ code: one.code, stdout: one.stdout }).toMatchObject({ code: 0 });
    const two = await runCli(['h.http', '--cacert', 'ca.pem', '--var', 'want=v2.0', '--http2'], { cwd: root });
    expect({ code: two.code, stdout: two.stdout }).toMatchObject({ code: 0 });
  });

  test("JetBrains' SSLConfiguration in the private env file: a client certificate (PEM or DER, relative to the env file) for every host", async () => {
    const port = await greetClient(certs);
    const der = new X509Certificate(certs.client.cert).raw;
    const derKey = createPrivateKey(certs.client.key).export({ format: 'der', type: 'pkcs8' });
    const root = project({
      'env/http-client.private.env.json': JSON.stringify({
        pem: { SSLConfiguration: { clientCertificate: 'tls/client.pem', clientCertificateKey: 'tls/client.key' } },
        der: { SSLConfiguration: { clientCertificate: { path: 'tls/client.der', format: 'DER' }, clientCertificateKey: { path: 'tls/key.der', format: 'DER' } } },
        none: { x: '1' },
      }),
      'env/tls/client.pem': certs.client.cert,
      'env/tls/client.key': certs.client.key,
      'env/tls/client.der': der,
      'env/tls/key.der': derKey,
      'ca.pem': certs.ca.cert,
      'env/m.http': `GET https://localhost:${port}/\n\n?? body == {{expected}}\n`,
    });
    for (const [env, expected] of [['pem', 'hello client'], ['der', 'hello client'], ['none', 'anonymous']]) {
      const run = await runCli(['env/m.http', '--cacert', 'ca.pem', '-e', env!, '--var', `expected=${expected!}`], { cwd: root });
      expect({ env, code: run.code, stdout: run.stdout }).toMatchObject({ env, code: 0 });
    }
  });

  test("JetBrains' SSLConfiguration verifyHostCertificate: false skips verification in that environment only", async () => {
    const port = await listen(createHttpsServer(certs.selfSigned, (_request, response) => response.end('dev')));
    const root = project({
      'http-client.private.env.json': JSON.stringify({ dev: { SSLConfiguration: { verifyHostCertificate: false } }, prod: { SSLConfiguration: { verifyHostCertificate: true } } }),
      's.http': `GET https://127.0.0.1:${port}/\n\n?? body == dev\n`,
    });
    expect((await runCli(['s.http', '-e', 'dev'], { cwd: root })).code).toBe(0);
    expect((await runCli(['s.http', '-e', 'prod'], { cwd: root })).code).toBe(3);
  });

  test('SSLConfiguration problems are located: an unreadable file, a passphrase to ask for, an unknown key', async () => {
    const root = project({
      'http-client.private.env.json': '{\n  "dev": {\n    "SSLConfiguration": {\n      "clientCertificate": "missing.pem",\n      "hasCertificatePassphrase": true,\n      "verifyHost": false\n    }\n  }\n}\n',
      'c.http': 'GET https://127.0.0.1:9/\n',
    });
    const check = await runCli(['check', 'c.http', '-e', 'dev'], { cwd: root });
    expect(check.code).toBe(2);
    const out = check.stdout + check.stderr;
    expect(out).toContain('http-client.private.env.json:4:28: error: SSLConfiguration of environment "dev" in http-client.private.env.json: clientCertificate: cannot read missing.pem: no such file');
    expect(out).toContain('http-client.private.env.json:5:35: error: SSLConfiguration of environment "dev" in http-client.private.env.json: hasCertificatePassphrase: httprun cannot ask for the passphrase; give the certificate in httprun.yaml under clientCertificates with passphrase: ...');
    expect(out).toContain('http-client.private.env.json:6:7: warning: SSLConfiguration of environment "dev" in http-client.private.env.json: unknown key "verifyHost" (known: clientCertificate, clientCertificateKey, hasCertificatePassphrase, verifyHostCertificate); it is ignored');
  });

  test("REST Client's rest-client.certificates in .vscode/settings.json: paths relative to the workspace folder, per host; problems located", async () => {
    const port = await greetClient(certs);
    const root = project({
      '.vscode/settings.json': `{\n  // REST Client\n  "rest-client.certificates": { "127.0.0.1:${port}": { "cert": "tls/client.pem", "key": "tls/client.key" } },\n}\n`,
      'tls/client.pem': certs.client.cert,
      'tls/client.key': certs.client.key,
      'ca.pem': certs.ca.cert,
      'api/m.http': `GET https://127.0.0.1:${port}/\n\n?? body == hello client\n\n###\nGET https://localhost:${port}/\n\n?? body == anonymous\n`,
    });
    const run = await runCli(['api/m.http', '--cacert', 'ca.pem'], { cwd: root });
    expect({ code: run.code, stdout: run.stdout }).toMatchObject({ code: 0 });
    const broken = project({
      '.vscode/settings.json': '{\n  "rest-client.certificates": {\n    "a.example": { "cert": "missing.pem", "key": "k.pem" },\n    "b.example": { "cert": "k.pem" }\n  }\n}\n',
      'k.pem': 'KEY',
      'c.http': 'GET https://a.example/\n',
    });
    const check = await runCli(['check', 'c.http'], { cwd: broken });
    expect(check.code).toBe(2);
    expect(check.stdout).toContain('.vscode/settings.json:3:28: error: "rest-client.certificates" in .vscode/settings.json: "a.example".cert: cannot read missing.pem: no such file [config/unreadable-file]');
    expect(check.stdout).toContain('.vscode/settings.json:4:5: error: "rest-client.certificates" in .vscode/settings.json: "b.example" needs cert and key, or pfx [config/invalid-type]');
  });

  test('OPTIONS * over https uses the same trust (--cacert) and client certificates as every request', async () => {
    const port = await listen(
      createHttpsServer({ ...certs.localhost, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: false }, (request, response) => {
        const socket = request.socket as import('node:tls').TLSSocket;
        response.end(`${request.method} ${request.url} ${socket.authorized ? 'client' : 'anonymous'}`);
      }),
    );
    const root = project({
      'httprun.yaml': 'clientCertificates:\n  localhost:\n    cert: client.pem\n    key: client.key\n',
      'client.pem': certs.client.cert,
      'client.key': certs.client.key,
      'ca.pem': certs.ca.cert,
      'o.http': `OPTIONS * HTTP/1.1\nHost: https://localhost:${port}\n\n?? body == OPTIONS * client\n`,
    });
    const run = await runCli(['o.http', '--cacert', 'ca.pem'], { cwd: root });
    expect({ code: run.code, stdout: run.stdout }).toMatchObject({ code: 0 });
    expect((await runCli(['o.http'], { cwd: root })).code).toBe(3);
  });

  test('httprun.yaml clientCertificates: the certificate files (relative to httprun.yaml) are presented to that host only', async () => {
    const port = await greetClient(certs);
    const root = project({
      'httprun.yaml': 'clientCertificates:\n  127.0.0.1:\n    cert: tls/client.pem\n    key: tls/client.key\n',
      'tls/client.pem': certs.client.cert,
      'tls/client.key': certs.client.key,
      'ca.pem': certs.ca.cert,
      'm.http': `GET https://127.0.0.1:${port}/\n\n?? body == hello client\n\n###\nGET https://localhost:${port}/\n\n?? body == anonymous\n`,
    });
    const run = await runCli(['m.http', '--cacert', 'ca.pem'], { cwd: root });
    expect({ code: run.code, stdout: run.stdout }).toMatchObject({ code: 0 });
  });
});
