import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { sendRequest, type SendResult, type SendSuccess } from '../src/execute/send-request.js';
import { client, hasOpenssl, listen, makeCertificates, runCleanups, sendOptions } from './fixtures/execute/harness.js';

afterEach(runCleanups);

function ok(result: SendResult): SendSuccess {
  if ('error' in result) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result;
}

const get = (url: string, httpVersion: string | null = null) => ({ method: 'GET', url, headers: [] as [string, string][], body: null, httpVersion });

// openssl makes the certificates at test time; without it these tests cannot run.
describe.skipIf(!hasOpenssl())('TLS, client certificates and HTTP/2', () => {
  let certs: ReturnType<typeof makeCertificates>;
  beforeAll(() => {
    certs = makeCertificates();
  });

  async function https(cert: { key: string; cert: string }, options: object = {}): Promise<number> {
    return listen(createHttpsServer({ ...cert, ...options }, (request, response) => response.end(`tls ${request.httpVersion}`)));
  }

  test('verification is on: self-signed, unknown CA, expired and hostname mismatch are named tls errors', async () => {
    const self = await https(certs.selfSigned);
    expect(await sendRequest(get(`https://127.0.0.1:${self}/`), sendOptions(), client())).toMatchObject({
      error: { kind: 'tls', message: `TLS: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) for 127.0.0.1:${self}; trust it with --cacert FILE or skip checks with --insecure` },
    });
    const signed = await https(certs.localhost);
    expect(await sendRequest(get(`https://127.0.0.1:${signed}/`), sendOptions(), client())).toMatchObject({
      error: { kind: 'tls', message: expect.stringMatching(/^TLS: unknown certificate authority \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/) },
    });
    const expired = await https(certs.expired);
    expect(await sendRequest(get(`https://127.0.0.1:${expired}/`), sendOptions(), client({ caCert: certs.ca.cert }))).toMatchObject({
      error: { kind: 'tls', message: expect.stringMatching(/^TLS: certificate expired \(CERT_HAS_EXPIRED\)/) },
    });
    const otherName = await https(certs.client);
    expect(await sendRequest(get(`https://127.0.0.1:${otherName}/`), sendOptions(), client({ caCert: certs.ca.cert }))).toMatchObject({
      error: { kind: 'tls', message: expect.stringMatching(/^TLS: hostname mismatch \(ERR_TLS_CERT_ALTNAME_INVALID\)/) },
    });
  });

  test('--cacert adds to the trust store; --insecure and @insecure skip verification', async () => {
    const signed = await https(certs.localhost);
    expect(ok(await sendRequest(get(`https://127.0.0.1:${signed}/`), sendOptions(), client({ caCert: certs.ca.cert }))).exchange.response.body?.toString()).toBe('tls 1.1');
    expect(ok(await sendRequest(get(`https://localhost:${signed}/`), sendOptions(), client({ caCert: certs.ca.cert }))).exchange.response.status).toBe(200);
    const self = await https(certs.selfSigned);
    expect(ok(await sendRequest(get(`https://127.0.0.1:${self}/`), sendOptions(), client({ insecure: true }))).exchange.response.status).toBe(200);
    expect(ok(await sendRequest(get(`https://127.0.0.1:${self}/`), sendOptions({ insecure: true }), client())).exchange.response.status).toBe(200);
  });

  test('client certificates are presented per host', async () => {
    const port = await listen(
      createHttpsServer({ ...certs.localhost, ca: certs.ca.cert, requestCert: true, rejectUnauthorized: false }, (request, response) => {
        const socket = request.socket as import('node:tls').TLSSocket;
        response.end(socket.authorized ? `hello ${socket.getPeerCertificate().subject.CN}` : 'anonymous');
      }),
    );
    const withCert = client({ caCert: certs.ca.cert, clientCertificates: { '127.0.0.1': { cert: certs.client.cert, key: certs.client.key } } });
    expect(ok(await sendRequest(get(`https://127.0.0.1:${port}/`), sendOptions(), withCert)).exchange.response.body?.toString()).toBe('hello client');
    const elsewhere = client({ caCert: certs.ca.cert, clientCertificates: { 'localhost:1': { cert: certs.client.cert, key: certs.client.key } } });
    expect(ok(await sendRequest(get(`https://localhost:${port}/`), sendOptions(), elsewhere)).exchange.response.body?.toString()).toBe('anonymous');
  });

  test('HTTP/2 when the request line asks for it or the client option says so; HTTP/1.1 otherwise', async () => {
    const port = await listen(
      createSecureServer({ ...certs.localhost, allowHTTP1: true }, (request, response) => {
        response.setHeader('x-version', request.httpVersion);
        response.end(`h${request.httpVersion}`);
      }),
    );
    const http = client({ caCert: certs.ca.cert });
    const h2 = ok(await sendRequest(get(`https://127.0.0.1:${port}/`, 'HTTP/2'), sendOptions(), http)).exchange;
    expect(h2.response).toMatchObject({ httpVersion: 'HTTP/2', status: 200, statusText: '' });
    expect(h2.response.body?.toString()).toBe('h2.0');
    const h1 = ok(await sendRequest(get(`https://127.0.0.1:${port}/`), sendOptions(), http)).exchange;
    expect(h1.response).toMatchObject({ httpVersion: 'HTTP/1.1', statusText: 'OK' });
    expect(h1.response.body?.toString()).toBe('h1.1');
    const forced = ok(await sendRequest(get(`https://127.0.0.1:${port}/`), sendOptions(), client({ caCert: certs.ca.cert, http2: true }))).exchange;
    expect(forced.response.httpVersion).toBe('HTTP/2');
  });

  test('Expect: 100-continue is honoured over HTTP/2', async () => {
    const port = await listen(
      createSecureServer({ ...certs.localhost }, (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => response.end(`${request.headers.expect} ${Buffer.concat(chunks).toString()}`));
      }),
    );
    const request = { method: 'POST', url: `https://127.0.0.1:${port}/`, headers: [['Expect', '100-continue']] as [string, string][], body: Buffer.from('payload'), httpVersion: 'HTTP/2' };
    const result = ok(await sendRequest(request, sendOptions(), client({ caCert: certs.ca.cert })));
    expect(result.exchange.response.body?.toString()).toBe('100-continue payload');
    expect(result.warnings).toEqual([]);
  });
});
