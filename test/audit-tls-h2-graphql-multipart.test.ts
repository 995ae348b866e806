// Audit h42: what the README and SPEC promise about TLS, HTTP/2, GraphQL and multipart, tried
// through the real CLI against real local servers (node:http, node:https, node:http2).
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createH2cServer, createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { hasOpenssl, listen, makeCertificates, runCleanups } from './fixtures/execute/harness.js';
import { project, runCli } from './helpers/cli.js';
import { serverPerTest } from './helpers/server.js';

afterEach(runCleanups);
const servers = serverPerTest();

interface ReportRequest {
  name: string;
  outcome: string;
  error: string | null;
}

const requestsOf = (root: string, name = 'r.json'): ReportRequest[] =>
  (JSON.parse(readFileSync(join(root, name), 'utf8')) as { files: { requests: ReportRequest[] }[] }).files.flatMap((file) => file.requests);

describe('GraphQL', () => {
  test('a POST body is GraphQL by the shape of an operation: a form `query=…` or text starting with the word is sent as written', async () => {
    const server = await servers.recording();
    const root = project({
      'g.http': [
        `### form\nPOST ${server.url}/form\n\nquery=hello&limit=10\n`,
        `### text\nPOST ${server.url}/text\n\nquery the users table\n`,
        `### anonymous\nPOST ${server.url}/anonymous\n\nquery { me { id } }\n`,
        `### with variables\nPOST ${server.url}/variables\n\nquery ($id: ID) { user(id: $id) { name } }\n\n{"id": "7"}\n`,
        `### named, with a directive\nPOST ${server.url}/named\nContent-Type: application/json\n\nmutation Save @live {\n  save { id }\n}\n`,
      ].join('\n'),
    });
    const run = await runCli(['g.http'], { cwd: root });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const sent = server.requests.map((request) => [request.url, request.headers['content-type'] ?? null, request.body.toString()]);
    expect(sent).toEqual([
      ['/form', null, 'query=hello&limit=10'],
      ['/text', null, 'query the users table'],
      ['/anonymous', 'application/json', '{"query":"query { me { id } }"}'],
      ['/variables', 'application/json', '{"query":"query ($id: ID) { user(id: $id) { name } }","variables":{"id":"7"}}'],
      ['/named', 'application/json', '{"query":"mutation Save @live {\\n  save { id }\\n}","operationName":"Save"}'],
    ]);
  });

  test('Content-Type: application/graphql means the query text itself: sent as written, not wrapped in JSON under that header', async () => {
    const server = await servers.recording();
    const root = project({ 'g.http': `POST ${server.url}/graphql\nContent-Type: application/graphql\n\nquery Me { me { id } }\n` });
    const run = await runCli(['g.http'], { cwd: root });
    expect(run.code).toBe(0);
    expect(server.requests.map((request) => [request.headers['content-type'], request.body.toString()])).toEqual([
      ['application/graphql', 'query Me { me { id } }'],
    ]);
  });
});

describe('GraphQL variables', () => {
  test('a JSON block below the query that does not parse is an error before sending, not more query text', async () => {
    const server = await servers.recording();
    const file = (name: string) =>
      `@name = ${name}\n\nGRAPHQL ${server.url}/graphql\n\nquery ($n: String) { user(name: $n) { id } }\n\n{"n": "{{name}}"}\n`;
    const bad = await runCli(['g.http', '--no-color'], { cwd: project({ 'g.http': file('O"Brien') }) });
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toContain('g.http:7:1: error: the GraphQL variables below the query are not valid JSON: ');
    expect(bad.stdout + bad.stderr).toContain('[resolve/graphql-variables]');
    expect(server.requests).toEqual([]);

    const good = await runCli(['g.http'], { cwd: project({ 'g.http': file('OBrien') }) });
    expect(good.code).toBe(0);
    expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({ query: 'query ($n: String) { user(name: $n) { id } }', variables: { n: 'OBrien' } });
  });

  test('the JSON reason is one line, though the block spans several (the report\'s error is one line)', async () => {
    const server = await servers.recording();
    const root = project({ 'g.http': `GRAPHQL ${server.url}/graphql\n\nquery ($n: Int) { a(n: $n) }\n\n{\n  "n": @x\n}\n` });
    const run = await runCli(['g.http', '--report-json', 'r.json'], { cwd: root });
    expect(run.code).toBe(2);
    const error = (JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')) as { files: { error: string }[] }).files[0]!.error;
    expect(error).toMatch(/^g\.http:7:1: the GraphQL variables below the query are not valid JSON: Unexpected token '@', "\{ "n": @x \}" is not valid JSON$/);
    expect(server.requests).toEqual([]);
  });

  test('a last block that is a GraphQL selection, not JSON, stays part of the query', async () => {
    const server = await servers.recording();
    const root = project({ 'g.http': `GRAPHQL ${server.url}/graphql\n\nquery {\n  a\n}\n\n{ b }\n` });
    const run = await runCli(['g.http'], { cwd: root });
    expect(run.code).toBe(0);
    expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({ query: 'query {\n  a\n}\n\n{ b }' });
  });
});

describe.skipIf(!hasOpenssl())('TLS and HTTP/2 failures say what is wrong and what gets past it', () => {
  let certs: ReturnType<typeof makeCertificates>;
  beforeAll(() => {
    certs = makeCertificates();
  });

  const answer = (name: string) => (_request: unknown, response: import('node:http').ServerResponse) => response.end(name);

  test('an expired certificate and a hostname mismatch do not send the user to --cacert; a mismatch names the certificate\'s names', async () => {
    const expired = await listen(createHttpsServer(certs.expired, answer('expired')));
    // certs.client is for DNS:client only, signed by the trusted CA.
    const otherName = await listen(createHttpsServer(certs.client, answer('other')));
    const root = project({
      't.http': `### expired\nGET https://127.0.0.1:${expired}/\n\n### mismatch\nGET https://127.0.0.1:${otherName}/\n`,
      'ca.pem': certs.ca.cert,
    });
    const run = await runCli(['t.http', '--cacert', 'ca.pem', '--report-json', 'r.json'], { cwd: root });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 3, stderr: '' });
    expect(requestsOf(root).map((request) => request.error)).toEqual([
      `TLS: certificate expired (CERT_HAS_EXPIRED) for 127.0.0.1:${expired}; only --insecure (or # @insecure) gets past it`,
      `TLS: hostname mismatch (ERR_TLS_CERT_ALTNAME_INVALID) for 127.0.0.1:${otherName} (the certificate is for DNS:client); only --insecure (or # @insecure) gets past it`,
    ]);
  });

  test('--cacert adds to the CAs Node trusts, NODE_EXTRA_CA_CERTS (a company CA) among them, instead of replacing them', async () => {
    const port = await listen(createHttpsServer(certs.localhost, answer('secure')));
    const root = project({ 't.http': `GET https://127.0.0.1:${port}/\n\n?? body == secure\n`, 'company-ca.pem': certs.ca.cert, 'other-ca.pem': certs.selfSigned.cert });
    const env = { NODE_EXTRA_CA_CERTS: join(root, 'company-ca.pem') };
    const alone = await runCli(['t.http'], { cwd: root, env });
    expect({ code: alone.code, stderr: alone.stderr }).toEqual({ code: 0, stderr: '' });
    const withOther = await runCli(['t.http', '--cacert', 'other-ca.pem'], { cwd: root, env });
    expect({ code: withOther.code, stdout: withOther.stdout }).toMatchObject({ code: 0 });
  });

  test('a --cacert file without a PEM certificate is a usage error, not a flag that silently trusts nothing', async () => {
    const root = project({ 't.http': 'GET https://127.0.0.1:9/\n', 'notes.txt': 'not a certificate\n', 'ca.der': Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82]), 'broken.pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' });
    expect(await runCli(['t.http', '--cacert', 'notes.txt'], { cwd: root })).toMatchObject({
      code: 2,
      stderr: 'httprun: --cacert "notes.txt" holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n',
    });
    expect(await runCli(['t.http', '--cacert', 'ca.der'], { cwd: root })).toMatchObject({
      code: 2,
      stderr: 'httprun: --cacert "ca.der" holds no PEM certificate (is it DER? openssl x509 -inform der -in FILE -out FILE.pem converts it)\n',
    });
    expect(await runCli(['t.http', '--cacert', 'broken.pem'], { cwd: root })).toMatchObject({ code: 2, stderr: 'httprun: --cacert "broken.pem" certificate 1 of 1 cannot be read\n' });
  });

  test('a client certificate Node cannot use is named in words (key of another certificate, passphrase), not OpenSSL\'s "bad decrypt"', async () => {
    const port = await listen(createHttpsServer({ ...certs.localhost, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: false }, answer('hi')));
    const encrypted = createPrivateKey(certs.client.key).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
    const yaml = (fields: string) => `clientCertificates:\n  127.0.0.1:\n${fields}`;
    const root = project({ 'c.pem': certs.client.cert, 'other.key': certs.localhost.key, 'enc.key': encrypted, 'ca.pem': certs.ca.cert });
    const cases: [string, string | null][] = [
      ['    cert: c.pem\n    key: other.key\n', 'TLS: the client certificate for 127.0.0.1 cannot be used: the key does not belong to the certificate'],
      ['    cert: c.pem\n    key: enc.key\n', 'TLS: the client certificate for 127.0.0.1 cannot be used: the key is encrypted: give its passphrase (passphrase: ...)'],
      ['    cert: c.pem\n    key: enc.key\n    passphrase: wrong\n', 'TLS: the client certificate for 127.0.0.1 cannot be used: the passphrase does not decrypt the key'],
      ['    cert: c.pem\n    key: enc.key\n    passphrase: secret\n', null],
    ];
    for (const [fields, error] of cases) {
      const folder = project({ 'httprun.yaml': yaml(fields), 'm.http': `GET https://127.0.0.1:${port}/\n`, 'c.pem': certs.client.cert, 'other.key': certs.localhost.key, 'enc.key': encrypted });
      await runCli(['m.http', '--cacert', join(root, 'ca.pem'), '--report-json', 'r.json'], { cwd: folder });
      expect({ fields, error: requestsOf(folder)[0]!.error }).toEqual({ fields, error });
    }
  });

  test('a server that requires a client certificate says so (TLS 1.3 sends its alert after the handshake), not "connection closed"', async () => {
    const port = await listen(
      createHttpsServer({ ...certs.localhost, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: true }, answer('client')),
    );
    const root = project({ 'm.http': `GET https://127.0.0.1:${port}/\n`, 'ca.pem': certs.ca.cert });
    const run = await runCli(['m.http', '--cacert', 'ca.pem', '--report-json', 'r.json'], { cwd: root });
    expect(run.code).toBe(3);
    expect(requestsOf(root)[0]!.error).toBe(
      `TLS: the server requires a client certificate (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED) for 127.0.0.1:${port}; give one in httprun.yaml clientCertificates or the environment's SSLConfiguration`,
    );
  });

  test('OpenSSL alerts in words: an HTTP/2-only server asked for HTTP/1.1, an https:// URL on a plain http port', async () => {
    const h2only = await listen(createSecureServer({ ...certs.localhost, allowHTTP1: false }, answer('h2')));
    const plain = await listen(createHttpServer(answer('plain')));
    const root = project({
      'a.http': `### h1 to h2-only\nGET https://127.0.0.1:${h2only}/\n\n### tls to plain\nGET https://127.0.0.1:${plain}/\n\n### h2 asked\nGET https://127.0.0.1:${h2only}/ HTTP/2\n\n?? body == h2\n`,
      'ca.pem': certs.ca.cert,
    });
    const run = await runCli(['a.http', '--cacert', 'ca.pem', '--report-json', 'r.json'], { cwd: root });
    expect(run.code).toBe(3);
    expect(requestsOf(root).map((request) => [request.outcome, request.error])).toEqual([
      [
        'errored',
        `TLS: no protocol in common (ALPN) (ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL) for 127.0.0.1:${h2only}; the server may speak HTTP/2 only: write HTTP/2 on the request line, or use --http2`,
      ],
      ['errored', `TLS: the server did not answer in TLS (ERR_SSL_WRONG_VERSION_NUMBER) for 127.0.0.1:${plain}; is it an http:// port?`],
      ['passed', null],
    ]);
  });
});

describe('HTTP/2 (Prior Knowledge)', () => {
  test('to a server that speaks HTTP/1.1 only: an error that says h2c is not spoken there, not "Protocol error"', async () => {
    const plain = await listen(createHttpServer((_request, response) => response.end('h1')));
    const h2c = await listen(createH2cServer((request, response) => response.end(`v${request.httpVersion}`)));
    const root = project({
      'p.http': `### h1 server\nGET http://127.0.0.1:${plain}/ HTTP/2 (Prior Knowledge)\n\n### h2c server\nGET http://127.0.0.1:${h2c}/ HTTP/2 (Prior Knowledge)\n\n?? body == v2.0\n`,
    });
    const run = await runCli(['p.http', '--timeout', '10s', '--report-json', 'r.json'], { cwd: root });
    expect(run.code).toBe(3);
    expect(requestsOf(root).map((request) => [request.outcome, request.error])).toEqual([
      [
        'errored',
        `HTTP/2 (Prior Knowledge): the server at 127.0.0.1:${plain} does not speak HTTP/2 over plain http (h2c); without (Prior Knowledge) the request goes as HTTP/1.1`,
      ],
      ['passed', null],
    ]);
  });
});
