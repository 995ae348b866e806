import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parseAssertion } from '../src/assert/parse-assertion.js';
import { certificateDate, distinguishedName, serialNumberText } from '../src/execute/peer-certificate.js';
import { run } from '../src/run/run.js';
import type { RequestResult } from '../src/run/result.js';
import { connectProxy, hasOpenssl, listen, makeCertificates, runCleanups, tempDir } from './fixtures/execute/harness.js';

afterEach(runCleanups);

/** Runs one file and returns its requests; `assertions` as [text, passed, message]. */
async function runText(text: string, options: Parameters<typeof run>[1] = {}): Promise<RequestResult[]> {
  const result = await run({ file: 't.http', text }, { processEnv: {}, ...options });
  const file = result.files[0]!;
  expect(file.error).toBeNull();
  return file.requests;
}


function verdicts(request: RequestResult): [string, boolean, string | undefined][] {
  return request.assertions.map((assertion) => [assertion.text, assertion.passed, assertion.message]);
}

describe('ip', () => {
  test('is the address of the server the request reached, as text', async () => {
    const port = await listen(createHttpServer((_request, response) => response.end('ok')));
    const [request] = await runText(
      [`GET http://127.0.0.1:${port}/`, '', '?? ip == 127.0.0.1', '?? ip == "127.0.0.1"', '?? ip isIpv4', '?? ip not isIpv6', '?? ip isString', '?? ip startsWith 127.', ''].join('\n'),
    );
    expect(verdicts(request!).filter(([, passed]) => !passed)).toEqual([]);
    expect(request!.assertions).toHaveLength(6);
  });

  test('a wrong address fails with both values in the message', async () => {
    const port = await listen(createHttpServer((_request, response) => response.end('ok')));
    const [request] = await runText(`GET http://127.0.0.1:${port}/\n\n?? ip == 10.0.0.1\n?? ip isIpv6\n`);
    expect(verdicts(request!)).toEqual([
      ['?? ip == 10.0.0.1', false, 'expected the string "10.0.0.1" but got the string "127.0.0.1"'],
      ['?? ip isIpv6', false, expect.stringContaining('"127.0.0.1"')],
    ]);
  });

  test('through a proxy it is the address of the proxy, the peer of the connection (both are 127.0.0.1 here)', async () => {
    const port = await listen(createHttpServer((_request, response) => response.end('ok')));
    const { url, tunnels } = await connectProxy();
    const [request] = await runText(`GET http://127.0.0.1:${port}/\n\n?? ip == 127.0.0.1\n`, { processEnv: { HTTP_PROXY: url } });
    expect(verdicts(request!)).toEqual([['?? ip == 127.0.0.1', true, undefined]]);
    expect(tunnels).toEqual([`127.0.0.1:${port}`]);
  });

  test('after a redirect it is the final hop\'s; a keep-alive connection answers for every request it carries', async () => {
    const target = await listen(createHttpServer((_request, response) => response.end('target')));
    const start = await listen(createHttpServer((_request, response) => response.writeHead(302, { location: `http://localhost:${target}/` }).end()));
    const requests = await runText(
      [`GET http://127.0.0.1:${start}/`, '', '?? ip isIpv4', '?? url == http://localhost:' + target + '/', '', '###', '', `GET http://127.0.0.1:${start}/`, '', '?? ip == 127.0.0.1', ''].join('\n'),
    );
    expect(requests.flatMap((request) => verdicts(request)).filter(([, passed]) => !passed)).toEqual([]);
  });
});

// openssl makes the certificates at test time; without it these tests cannot run.
describe.skipIf(!hasOpenssl())('certificate', () => {
  let certs: ReturnType<typeof makeCertificates>;
  let caFile: string;
  /** A self-signed certificate with a many-part subject, as in Hurl's tests. */
  let named: { key: string; cert: string };
  const openssl = (file: string, ...args: string[]) => execFileSync('openssl', ['x509', '-in', file, '-noout', ...args], { encoding: 'utf8' }).trim();

  beforeAll(() => {
    certs = makeCertificates();
    caFile = join(certs.dir, 'ca.pem');
    const dir = tempDir();
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'named.key', '-out', 'named.pem', '-days', '40', '-subj', '/C=US/ST=Denial/L=Springfield/O=Dis/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
      { cwd: dir, stdio: 'pipe' },
    );
    named = { key: readFileSync(join(dir, 'named.key'), 'utf8'), cert: readFileSync(join(dir, 'named.pem'), 'utf8') };
    writeFileSync(join(dir, 'named-path'), join(dir, 'named.pem'));
  });

  async function https(cert: { key: string; cert: string }, handler = (_request: unknown, response: import('node:http').ServerResponse) => response.end('tls')) {
    const server = createHttpsServer(cert, handler);
    let connections = 0;
    server.on('secureConnection', () => (connections += 1));
    const port = await listen(server);
    return { port, connections: () => connections };
  }

  /** openssl's own reading of a PEM file: the serial as Hurl writes it, and the dates. */
  function facts(pemFile: string) {
    const serial = openssl(pemFile, '-serial').replace(/^serial=/, '').toLowerCase();
    return {
      serial: (serial.length % 2 === 1 ? `0${serial}` : serial).match(/../g)!.join(':'),
      notBefore: new Date(openssl(pemFile, '-startdate').replace(/^notBefore=/, '')),
      notAfter: new Date(openssl(pemFile, '-enddate').replace(/^notAfter=/, '')),
    };
  }

  test('each attribute of a CA-signed certificate, in Hurl\'s formats', async () => {
    const { port } = await https(certs.localhost);
    const leaf = facts(join(certs.dir, 'localhost.pem'));
    expect(leaf.serial).toMatch(/^([\da-f]{2}:)+[\da-f]{2}$/);
    const [request] = await runText(
      [
        `GET https://127.0.0.1:${port}/`,
        '',
        '?? certificate "Subject" == "CN=localhost"',
        '?? certificate "Issuer" == "CN=httprun test CA"',
        `?? certificate "Serial-Number" == "${leaf.serial}"`,
        '?? certificate "Serial-Number" matches /^([\\da-f]{2}:)+[\\da-f]{2}$/',
        '?? certificate "Subject-Alt-Name" == "DNS:localhost, IP Address:127.0.0.1"',
        '?? certificate "Value" startsWith "-----BEGIN CERTIFICATE-----"',
        `?? certificate "Start-Date" == ${leaf.notBefore.toISOString()}`,
        `?? certificate "Expire-Date" == ${leaf.notAfter.toISOString()}`,
        '?? certificate "Start-Date" isDate',
        '?? certificate "Expire-Date" isDate',
        '?? certificate Subject contains localhost',
        '?? certificate "subject" exists',
        '',
      ].join('\n'),
      { caCert: caFile },
    );
    expect(verdicts(request!).filter(([, passed]) => !passed)).toEqual([]);
    expect(request!.assertions).toHaveLength(12);
    // The PEM is the certificate the server was given, byte for byte apart from line endings.
    const value = await runText(`GET https://127.0.0.1:${port}/\n\n?? certificate "Value" == ${JSON.stringify(certs.localhost.cert.trim() + '\n')}\n`, { caCert: caFile });
    expect(verdicts(value[0]!)).toEqual([[expect.any(String), true, undefined]]);
  });

  test('a many-part subject reads C=US, ST=..., CN=... in certificate order, as Hurl\'s documentation writes it', async () => {
    const { port } = await https(named);
    const [request] = await runText(
      [
        `GET https://127.0.0.1:${port}/`,
        '',
        '?? certificate "Subject" == "C=US, ST=Denial, L=Springfield, O=Dis, CN=localhost"',
        '?? certificate "Issuer" == "C=US, ST=Denial, L=Springfield, O=Dis, CN=localhost"',
        '?? certificate "Subject" split ", " count == 5',
        '',
      ].join('\n'),
      { insecure: true },
    );
    expect(verdicts(request!).filter(([, passed]) => !passed)).toEqual([]);
  });

  test('Expire-Date takes the date filters: daysAfterNow catches a certificate about to expire', async () => {
    // The leaf is valid for 2 days, the named certificate for 40.
    const { port } = await https(certs.localhost);
    const [short] = await runText(
      [
        `GET https://127.0.0.1:${port}/`,
        '',
        '?? certificate "Expire-Date" daysAfterNow >= 1',
        '?? certificate "Expire-Date" daysAfterNow <= 2',
        '?? certificate "Start-Date" daysBeforeNow == 0',
        `?? certificate "Expire-Date" dateFormat "%Y-%m-%d" == ${facts(join(certs.dir, 'localhost.pem')).notAfter.toISOString().slice(0, 10)}`,
        '?? certificate "Expire-Date" daysAfterNow > 30',
        '',
      ].join('\n'),
      { caCert: caFile },
    );
    const results = verdicts(short!);
    expect(results.slice(0, 4).filter(([, passed]) => !passed)).toEqual([]);
    expect(results[4]).toEqual(['?? certificate "Expire-Date" daysAfterNow > 30', false, expect.stringMatching(/^expected the number [12] to be > 30$/)]);

    const long = await https(named);
    const [ok] = await runText(`GET https://127.0.0.1:${long.port}/\n\n?? certificate "Expire-Date" daysAfterNow > 30\n`, { insecure: true });
    expect(verdicts(ok!)).toEqual([['?? certificate "Expire-Date" daysAfterNow > 30', true, undefined]]);
  });

  test('not', async () => {
    const { port } = await https(certs.localhost);
    const [request] = await runText(
      [
        `GET https://127.0.0.1:${port}/`,
        '',
        '?? certificate "Subject" not contains example.org',
        '?? certificate "Issuer" not == "CN=localhost"',
        '?? certificate "Expire-Date" daysAfterNow not > 30',
        '?? certificate "Subject" not exists',
        '',
      ].join('\n'),
      { caCert: caFile },
    );
    expect(verdicts(request!).map(([text, passed]) => [text, passed])).toEqual([
      ['?? certificate "Subject" not contains example.org', true],
      ['?? certificate "Issuer" not == "CN=localhost"', true],
      ['?? certificate "Expire-Date" daysAfterNow not > 30', true],
      ['?? certificate "Subject" not exists', false],
    ]);
  });

  test('http:// has no certificate: it matches nothing and the message says why', async () => {
    const port = await listen(createHttpServer((_request, response) => response.end('plain')));
    const url = `http://127.0.0.1:${port}/`;
    const [request] = await runText(
      [`GET ${url}`, '', '?? certificate "Subject" exists', '?? certificate "Expire-Date" daysAfterNow > 30', '?? certificate "Subject" not exists', ''].join('\n'),
    );
    expect(verdicts(request!)).toEqual([
      ['?? certificate "Subject" exists', false, `certificate "Subject" matched nothing (${url} was not fetched over TLS, so there is no certificate)`],
      [
        '?? certificate "Expire-Date" daysAfterNow > 30',
        false,
        `certificate "Expire-Date" daysAfterNow matched nothing (${url} was not fetched over TLS, so there is no certificate), so there is no value to check against "> 30"`,
      ],
      ['?? certificate "Subject" not exists', true, undefined],
    ]);
  });

  test('an unknown attribute is a located error found before anything is sent, with the list of attributes', async () => {
    expect(parseAssertion('certificate "Expiry" daysAfterNow > 30')).toEqual({
      error: 'unknown certificate attribute "Expiry": expected Subject, Issuer, Start-Date, Expire-Date, Serial-Number, Subject-Alt-Name, Value',
      column: 13,
    });
    expect(parseAssertion('certificate == x')).toEqual({
      error: '"certificate" needs an attribute (one of Subject, Issuer, Start-Date, Expire-Date, Serial-Number, Subject-Alt-Name, Value; e.g. certificate "Expire-Date" daysAfterNow > 30) before the predicate',
      column: 12,
    });
    expect(parseAssertion('ip 127.0.0.1')).toEqual({ error: 'expected a predicate such as == after "ip", found "127.0.0.1" (did you mean "ip == 127.0.0.1"?)', column: 4 });
    expect(parseAssertion('address == 1')).toMatchObject({ error: expect.stringContaining('version, redirects, certificate or ip') });

    let hits = 0;
    const port = await listen(createHttpServer((_request, response) => (hits += 1, response.end('ok'))));
    const result = await run({ file: 't.http', text: `GET http://127.0.0.1:${port}/\n\n?? certificate "Expiry" daysAfterNow > 30\n` }, { processEnv: {} });
    expect(hits).toBe(0);
    expect(JSON.stringify(result.files[0])).toContain('t.http:3:16');
    expect(JSON.stringify(result.files[0])).toContain('unknown certificate attribute \\"Expiry\\": expected Subject, Issuer, Start-Date, Expire-Date, Serial-Number, Subject-Alt-Name, Value');
  });

  test('keep-alive: a later request on the same connection still has its certificate', async () => {
    // Requests per connection, counted by the server: reuse must have happened for the test to mean anything.
    const perSocket = new Map<object, number>();
    const server = await https(certs.localhost, (request, response) => {
      const socket = (request as import('node:http').IncomingMessage).socket;
      perSocket.set(socket, (perSocket.get(socket) ?? 0) + 1);
      response.end('again');
    });
    const leaf = facts(join(certs.dir, 'localhost.pem'));
    const block = `GET https://127.0.0.1:${server.port}/\n\n?? certificate "Serial-Number" == "${leaf.serial}"\n?? certificate "Subject" == "CN=localhost"\n?? ip == 127.0.0.1\n`;
    const requests = await runText([block, block, block, block].join('\n###\n\n'), { caCert: caFile });
    expect(requests).toHaveLength(4);
    expect(requests.flatMap((request) => verdicts(request)).filter(([, passed]) => !passed)).toEqual([]);
    expect(Math.max(...perSocket.values())).toBeGreaterThanOrEqual(2);
    expect(server.connections()).toBe(perSocket.size);
  });

  test('a server that closes each connection: every response keeps the certificate it came with', async () => {
    const server = await https(certs.localhost, (_request, response) => response.writeHead(200, { connection: 'close' }).end('bye'));
    const block = `GET https://127.0.0.1:${server.port}/\n\n?? certificate "Issuer" == "CN=httprun test CA"\n`;
    const requests = await runText([block, block].join('\n###\n\n'), { caCert: caFile });
    expect(requests.flatMap((request) => verdicts(request)).filter(([, passed]) => !passed)).toEqual([]);
    expect(server.connections()).toBe(2);
  });

  test('a redirect to another host: the certificate is the final server\'s', async () => {
    const final = await https(named);
    const first = await https(certs.localhost, (_request, response) => response.writeHead(302, { location: `https://localhost:${final.port}/` }).end());
    const [request] = await runText(
      [
        `GET https://127.0.0.1:${first.port}/`,
        '',
        `?? url == https://localhost:${final.port}/`,
        '?? certificate "Issuer" == "C=US, ST=Denial, L=Springfield, O=Dis, CN=localhost"',
        '?? certificate "Issuer" != "CN=httprun test CA"',
        '?? certificate "Expire-Date" daysAfterNow > 30',
        '',
      ].join('\n'),
      { insecure: true },
    );
    expect(verdicts(request!).filter(([, passed]) => !passed)).toEqual([]);
    expect(request!.assertions).toHaveLength(4);
  });

  test('through a proxy the certificate is the server\'s, read on the TLS connection inside the tunnel', async () => {
    const { port } = await https(certs.localhost);
    const { url, tunnels } = await connectProxy();
    const block = `GET https://127.0.0.1:${port}/\n\n?? certificate "Subject" == "CN=localhost"\n?? certificate "Issuer" == "CN=httprun test CA"\n?? ip isIpv4\n`;
    const requests = await runText([block, block].join('\n###\n\n'), { caCert: caFile, processEnv: { HTTPS_PROXY: url } });
    expect(requests.flatMap((request) => verdicts(request)).filter(([, passed]) => !passed)).toEqual([]);
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${port}`]));
  });

  test('a certificate without subject alternative names: Subject-Alt-Name matches nothing and says why', async () => {
    // The test CA's own certificate (openssl req -x509) has no subjectAltName extension.
    const { port } = await https(certs.ca);
    const [request] = await runText(
      `GET https://127.0.0.1:${port}/\n\n?? certificate "Subject-Alt-Name" not exists\n?? certificate "Subject-Alt-Name" contains DNS:\n?? certificate "Subject" == "CN=httprun test CA"\n`,
      { insecure: true },
    );
    expect(verdicts(request!)).toEqual([
      ['?? certificate "Subject-Alt-Name" not exists', true, undefined],
      [
        '?? certificate "Subject-Alt-Name" contains DNS:',
        false,
        'certificate "Subject-Alt-Name" matched nothing (the certificate has no subject alternative name), so there is no value to check against "contains DNS:"',
      ],
      ['?? certificate "Subject" == "CN=httprun test CA"', true, undefined],
    ]);
  });

  test('HTTP/2: streams multiplexed on one session each carry the certificate', async () => {
    const server = createSecureServer({ ...certs.localhost, allowHTTP1: true }, (request, response) => response.end(`h${request.httpVersion}`));
    let sessions = 0;
    server.on('secureConnection', () => (sessions += 1));
    const port = await listen(server);
    const block = `GET https://127.0.0.1:${port}/ HTTP/2\n\n?? version == 2\n?? certificate "Subject" == "CN=localhost"\n?? ip == 127.0.0.1\n`;
    const requests = await runText([block, block].join('\n###\n\n'), { caCert: caFile });
    expect(requests.flatMap((request) => verdicts(request)).filter(([, passed]) => !passed)).toEqual([]);
    expect(sessions).toBe(1);
  });
});

describe('certificate formats', () => {
  test('a name is its parts in order, joined as Hurl documents it', () => {
    expect(distinguishedName('C=US\nO=Let\'s Encrypt\nCN=R3')).toBe("C=US, O=Let's Encrypt, CN=R3");
    expect(distinguishedName('CN=example.org')).toBe('CN=example.org');
  });

  test('a serial number is lowercase hex byte pairs joined by colons; an odd digit count gets its leading zero', () => {
    expect(serialNumberText('1EE8B17F1B64D8D6B3DE870103D2A4F533535AB0')).toBe('1e:e8:b1:7f:1b:64:d8:d6:b3:de:87:01:03:d2:a4:f5:33:53:5a:b0');
    expect(serialNumberText('ABC')).toBe('0a:bc');
    expect(serialNumberText('01')).toBe('01');
  });

  test('OpenSSL\'s date text is read as UTC, also with a day padded by a space', () => {
    expect(certificateDate('Mar 15 10:48:00 2025 GMT').toISOString()).toBe('2025-03-15T10:48:00.000Z');
    expect(certificateDate('Jan  5 08:29:52 2023 GMT').toISOString()).toBe('2023-01-05T08:29:52.000Z');
  });
});
