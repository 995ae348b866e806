import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { listen, runCleanups } from './fixtures/execute/harness.js';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

// SPEC §5.5 HTTP behaviour, §7 "Secret host scopes", through the real CLI.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await runCleanups();
});

interface ReportRequest { outcome: string; error: string | null; status: number | null }
const requestsOf = (root: string): ReportRequest[] =>
  (JSON.parse(readFileSync(join(root, 'r.json'), 'utf8')) as { files: { requests: ReportRequest[] }[] }).files.flatMap((f) => f.requests);

describe('auth shortcuts', () => {
  test('Basic `user pass` and `user:pass` are encoded; an encoded value is sent as is', async () => {
    server = await serve((_request, response) => response.end());
    const encoded = Buffer.from('x:y').toString('base64');
    const root = project({
      'b.http': `GET ${server.url}/1\nAuthorization: Basic ada lovelace\n\n###\nGET ${server.url}/2\nAuthorization: Basic ada:lovelace\n\n###\nGET ${server.url}/3\nAuthorization: Basic ${encoded}\n`,
    });
    expect((await runCli(['b.http'], { cwd: root })).code).toBe(0);
    const ada = `Basic ${Buffer.from('ada:lovelace').toString('base64')}`;
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([ada, ada, `Basic ${encoded}`]);
  });

  test('Digest user pass answers the challenge; the server checks the response hash', async () => {
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    server = await serve((request, response) => {
      const header = request.headers.authorization ?? '';
      if (!header.startsWith('Digest ')) {
        return void response.writeHead(401, { 'www-authenticate': 'Digest realm="r", qop="auth", nonce="n0nce", opaque="op"' }).end();
      }
      const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(header)?.[1] ?? '';
      const ha1 = md5(`alice:r:s3cret`);
      const ha2 = md5(`${request.method}:${field('uri')}`);
      const expected = md5(`${ha1}:n0nce:${field('nc')}:${field('cnonce')}:auth:${ha2}`);
      response.writeHead(field('response') === expected ? 200 : 403).end();
    });
    const root = project({ 'd.http': `GET ${server.url}/private?a=1\nAuthorization: Digest alice s3cret\n\n?? status == 200\n` });
    const { code } = await runCli(['d.http'], { cwd: root });
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers.authorization).toMatch(/^Digest username="alice", realm="r", nonce="n0nce", uri="\/private\?a=1"/);
  });

  test('Bearer tokens are sent as written', async () => {
    server = await serve((_request, response) => response.end());
    const root = project({ 't.http': `GET ${server.url}/\nAuthorization: Bearer abc.def\n` });
    expect((await runCli(['t.http'], { cwd: root })).code).toBe(0);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer abc.def');
  });
});

describe('content codings', () => {
  test('gzip, br and deflate bodies are decoded before assertions read them; Accept-Encoding names them', async () => {
    const body = JSON.stringify({ hello: 'wörld' });
    const encoders: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, br: brotliCompressSync, deflate: deflateSync };
    server = await serve((request, response) => {
      const coding = request.url.slice(1);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': coding }).end(encoders[coding]!(Buffer.from(body)));
    });
    const file = Object.keys(encoders).map((coding) => `### ${coding}\nGET ${server!.url}/${coding}\n\n?? body $.hello == wörld\n?? header content-encoding == ${coding}\n`).join('\n');
    const root = project({ 'z.http': file });
    const { code, stdout } = await runCli(['z.http'], { cwd: root });
    expect({ code, stdout }).toMatchObject({ code: 0 });
    for (const request of server.requests) {
      const accepted = String(request.headers['accept-encoding']).split(/,\s*/);
      expect(accepted).toEqual(expect.arrayContaining(['gzip', 'br', 'deflate']));
    }
  });
});

/** A CONNECT proxy that records what it was asked for and tunnels to it. */
async function proxy(): Promise<{ url: string; tunnels: string[]; plain: string[] }> {
  const tunnels: string[] = [];
  const plain: string[] = [];
  const proxyServer = createServer((request, response) => {
    plain.push(request.url ?? '');
    response.writeHead(502).end();
  });
  proxyServer.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.push(request.url!);
    const [host, port] = request.url!.split(':');
    const upstream = connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    // As a real proxy does: a target it cannot reach is a 502 answer to the CONNECT.
    upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n'));
    socket.on('error', () => upstream.destroy());
  });
  const port = await listen(proxyServer);
  return { url: `http://127.0.0.1:${port}`, tunnels, plain };
}

describe('proxies from the environment', () => {
  test('HTTP_PROXY (and http_proxy) carries http requests; NO_PROXY bypasses it', async () => {
    server = await serve((_request, response) => response.end('target'));
    const via = await proxy();
    const host = server.url.slice('http://'.length);
    const root = project({ 'p.http': `GET ${server.url}/via\n\n?? body == target\n` });
    expect((await runCli(['p.http'], { cwd: root, env: { HTTP_PROXY: via.url } })).code).toBe(0);
    expect(via.tunnels.length + via.plain.length).toBe(1);
    expect((await runCli(['p.http'], { cwd: root, env: { http_proxy: via.url } })).code).toBe(0);
    expect(via.tunnels.length + via.plain.length).toBe(2);
    expect([...via.tunnels, ...via.plain].every((target) => target.includes(host))).toBe(true);
    expect((await runCli(['p.http'], { cwd: root, env: { HTTP_PROXY: via.url, NO_PROXY: '127.0.0.1' } })).code).toBe(0);
    expect(via.tunnels.length + via.plain.length).toBe(2);
    expect(server.requests).toHaveLength(3);
  });

  test('HTTPS_PROXY is asked to tunnel https requests (a proxy that refuses makes the request errored, exit 3)', async () => {
    const via = await proxy();
    const root = project({ 's.http': 'GET https://127.0.0.1:9/secure\n', 'p.http': 'GET http://127.0.0.1:9/plain\n' });
    const secure = await runCli(['s.http', '--timeout', '5s', '--report-json', 'r.json'], { cwd: root, env: { HTTPS_PROXY: via.url } });
    expect(secure.code).toBe(3);
    expect(via.tunnels).toEqual(['127.0.0.1:9']);
    expect(requestsOf(root)[0]!.error).toBe('the proxy refused to connect to 127.0.0.1:9: it answered 502');
    expect(secure.stdout).toContain('the proxy refused to connect to 127.0.0.1:9: it answered 502');
    // HTTPS_PROXY alone does not carry plain http.
    const plain = await runCli(['p.http', '--timeout', '5s', '--report-json', 'r.json'], { cwd: root, env: { HTTPS_PROXY: via.url } });
    expect(plain.code).toBe(3);
    expect(requestsOf(root)[0]!.error).toBe('connection refused: 127.0.0.1:9');
    expect(via.tunnels).toEqual(['127.0.0.1:9']);
  });
});

describe('secret host scopes (SPEC §7)', () => {
  test('a scoped secret is sent to its host on any port; another host is refused before sending (errored, exit 3) and the rest runs', async () => {
    server = await serve((_request, response) => response.end('ok'));
    const port = new URL(server.url).port;
    const root = project({
      'httprun.yaml': 'secrets:\n  TOKEN: { hosts: [127.0.0.1] }\n',
      '.env': 'TOKEN=scoped-value-123\n',
      's.http': `### allowed\nGET ${server.url}/a\nX-Token: <<TOKEN>>\n\n### elsewhere\nGET http://localhost:${port}/b\nX-Token: <<TOKEN>>\n\n### plain\nGET http://localhost:${port}/c\n`,
    });
    const { code, stdout } = await runCli(['s.http', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(3);
    expect(server.requests.map((r) => [r.url, r.headers['x-token'] ?? null])).toEqual([['/a', 'scoped-value-123'], ['/c', null]]);
    const [allowed, elsewhere, plain] = requestsOf(root);
    expect(allowed!.outcome).toBe('passed');
    expect(elsewhere!.outcome).toBe('errored');
    expect(elsewhere!.error).toMatch(/TOKEN/);
    expect(elsewhere!.error).toMatch(/localhost/);
    expect(plain!.outcome).toBe('passed');
    expect(stdout).not.toContain('scoped-value-123');
  });
});

describe('redirects and cookies across origins and files (SPEC §5.5)', () => {
  test('a redirect to another origin drops Authorization and Cookie written in the file; the same origin keeps them', async () => {
    server = await serve((request, response) => {
      if (request.url === '/same') return void response.writeHead(302, { location: '/landing' }).end();
      if (request.url === '/cross') return void response.writeHead(302, { location: `http://localhost:${new URL(server!.url).port}/landing` }).end();
      response.end('ok');
    });
    const root = project({
      'r.http': `GET ${server.url}/same\nAuthorization: Bearer t0k\nCookie: a=1\n\n###\nGET ${server.url}/cross\nAuthorization: Bearer t0k\nCookie: a=1\n`,
    });
    expect((await runCli(['r.http'], { cwd: root })).code).toBe(0);
    expect(server.requests.map((r) => [r.headers.host?.split(':')[0], r.url, r.headers.authorization ?? null, r.headers.cookie ?? null])).toEqual([
      ['127.0.0.1', '/same', 'Bearer t0k', 'a=1'],
      ['127.0.0.1', '/landing', 'Bearer t0k', 'a=1'],
      ['127.0.0.1', '/cross', 'Bearer t0k', 'a=1'],
      ['localhost', '/landing', null, null],
    ]);
  });

  test('cookies are kept per file: a later request of the same file sends them, another file and @no-cookie-jar do not', async () => {
    server = await serve((request, response) => {
      if (request.url === '/login') return void response.writeHead(200, { 'set-cookie': 'sid=abc; Path=/' }).end();
      response.end(request.headers.cookie ?? 'none');
    });
    const root = project({
      'a.http': `GET ${server.url}/login\n\n###\nGET ${server.url}/me\n\n?? body == sid=abc\n\n###\n# @no-cookie-jar\nGET ${server.url}/anon\n\n?? body == none\n`,
      'b.http': `GET ${server.url}/other\n\n?? body == none\n`,
    });
    const { code, stdout } = await runCli(['a.http', 'b.http', '--jobs', '1'], { cwd: root });
    expect({ code, stdout }).toMatchObject({ code: 0 });
  });

  test('?? cookie reads the final response: a cookie a redirect set is in the jar, and the failure says where the query looked', async () => {
    server = await serve((request, response) => {
      if (request.url === '/login') return void response.writeHead(302, { location: '/home', 'set-cookie': 'sid=abc; Path=/' }).end();
      response.end(request.headers.cookie ?? 'none');
    });
    const root = project({ 'a.http': `POST ${server.url}/login

?? body == sid=abc
?? cookie sid exists
` });
    const { code, stdout } = await runCli(['a.http', '--no-color'], { cwd: root });
    expect(code).toBe(1);
    expect(stdout).toContain(
      "cookie sid matched nothing (it reads the Set-Cookie headers of the final response, after a redirect; a cookie a redirect's response set is kept and sent on, but not read here (as in Hurl))",
    );
    // The body assertion passed: /home received the cookie from the jar.
    expect(stdout).toContain('1/2 assertions passed');
    expect(stdout).not.toContain('a.http:3');
  });
});
