import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { CookieJar } from 'tough-cookie';
import { afterEach, expect, test } from 'vitest';
import type { PreparedRequest } from '../src/execute/prepared-request.js';
import { sendRequest, type SendResult, type SendSuccess } from '../src/execute/send-request.js';
import { client, listen, runCleanups, sendOptions, serve, tempDir } from './fixtures/execute/harness.js';

afterEach(runCleanups);

function get(url: string, headers: [string, string][] = [], more: Partial<PreparedRequest> = {}): PreparedRequest {
  return { method: 'GET', url, headers, body: null, httpVersion: null, ...more };
}

function ok(result: SendResult): SendSuccess {
  if ('error' in result) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result;
}

/** Answers with what it received: method, url, raw headers (names as sent, repeats kept) and body. */
async function echo(): Promise<string> {
  return serve((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const pairs: [string, string][] = [];
      for (let i = 0; i < request.rawHeaders.length; i += 2) pairs.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ method: request.method, url: request.url, headers: pairs, body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
}

interface Echoed {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

function echoed(result: SendResult): Echoed {
  return JSON.parse(ok(result).exchange.response.body!.toString('utf8')) as Echoed;
}

test('sends exactly the written headers plus Host, Accept, User-Agent and Accept-Encoding', async () => {
  const base = await echo();
  const seen = echoed(await sendRequest(get(`${base}/x`, [['X-Token', 'a'], ['X-Token', 'b']]), sendOptions(), client()));
  const names = seen.headers.map(([name]) => name.toLowerCase());
  expect(names.sort()).toEqual(['accept', 'accept-encoding', 'connection', 'host', 'user-agent', 'x-token', 'x-token']);
  expect(seen.headers.filter(([name]) => name === 'X-Token')).toEqual([['X-Token', 'a'], ['X-Token', 'b']]);
  expect(seen.headers).toContainEqual(['Accept', '*/*']);
  expect(seen.headers).toContainEqual(['User-Agent', 'httprun/test']);
  expect(seen.headers).toContainEqual(['Accept-Encoding', 'gzip, deflate, br']);
});

test('written Accept, User-Agent, Accept-Encoding and Host win; no Content-Type is invented', async () => {
  const base = await echo();
  const headers: [string, string][] = [['Accept', 'application/json'], ['user-agent', 'mine'], ['Accept-Encoding', 'identity'], ['Host', 'example.test']];
  const seen = echoed(await sendRequest(get(`${base}/`, headers, { method: 'POST', body: Buffer.from('{"a":1}') }), sendOptions(), client()));
  const lower = seen.headers.map(([name, value]) => [name.toLowerCase(), value]);
  expect(lower.filter(([name]) => name === 'accept')).toEqual([['accept', 'application/json']]);
  expect(lower.filter(([name]) => name === 'user-agent')).toEqual([['user-agent', 'mine']]);
  expect(lower.filter(([name]) => name === 'accept-encoding')).toEqual([['accept-encoding', 'identity']]);
  expect(lower.filter(([name]) => name === 'host')).toEqual([['host', 'example.test']]);
  expect(lower.find(([name]) => name === 'content-type')).toBeUndefined();
  expect(lower).toContainEqual(['content-length', '7']);
  expect(seen.body).toBe('{"a":1}');
});

test('Connection, Keep-Alive, Transfer-Encoding and Upgrade written by the file are dropped with warnings', async () => {
  const base = await echo();
  const headers: [string, string][] = [['Connection', 'close'], ['Keep-Alive', '5'], ['Transfer-Encoding', 'chunked'], ['Upgrade', 'h2c']];
  const result = ok(await sendRequest(get(`${base}/`, headers), sendOptions(), client()));
  const seen = JSON.parse(result.exchange.response.body!.toString()) as Echoed;
  expect(seen.headers.map(([name]) => name.toLowerCase())).not.toContain('keep-alive');
  expect(seen.headers.map(([name]) => name.toLowerCase())).not.toContain('upgrade');
  expect(result.warnings).toEqual([
    'header Connection dropped: the HTTP client manages it',
    'header Keep-Alive dropped: the HTTP client manages it',
    'header Transfer-Encoding dropped: the HTTP client manages it',
    'header Upgrade dropped: the HTTP client manages it',
  ]);
});

test('a wrong written Content-Length is replaced by the real one with a warning; Expect: 100-continue over HTTP/1.1 warns', async () => {
  const base = await echo();
  const result = ok(
    await sendRequest(get(`${base}/`, [['Content-Length', '99'], ['Expect', '100-continue']], { method: 'PUT', body: Buffer.from('abc') }), sendOptions(), client()),
  );
  const seen = JSON.parse(result.exchange.response.body!.toString()) as Echoed;
  expect(seen.body).toBe('abc');
  expect(result.warnings).toContain('header Content-Length: 99 does not match the body (3 bytes): sent 3');
  expect(result.warnings).toContain('header Expect: 100-continue dropped: undici sends HTTP/1.1 bodies without waiting for 100 Continue');
});

test('records the response: status, status text, raw headers in order, version, final url', async () => {
  const base = await serve((_request, response) => {
    response.writeHead(201, 'Made It', [['X-B', '1'], ['x-a', '2'], ['X-B', '3']] as unknown as Record<string, string>);
    response.end('done');
  });
  const { exchange } = ok(await sendRequest(get(`${base}/a b/ü?q=1 2&p=%41#frag`), sendOptions(), client()));
  expect(exchange.response).toMatchObject({ status: 201, statusText: 'Made It', httpVersion: 'HTTP/1.1', redirects: [] });
  expect(exchange.response.headers.filter(([name]) => name.toLowerCase() !== 'date' && name.toLowerCase() !== 'connection' && name.toLowerCase() !== 'keep-alive' && name.toLowerCase() !== 'transfer-encoding')).toEqual([
    ['X-B', '1'],
    ['x-a', '2'],
    ['X-B', '3'],
  ]);
  expect(exchange.response.url).toBe(`${base}/a%20b/%C3%BC?q=1%202&p=%41`);
  expect(exchange.response.body?.toString()).toBe('done');
  expect(exchange.request.headers[0]).toEqual(['Host', base.slice('http://'.length)]);
});

test('a scheme-less URL is sent over http://', async () => {
  const base = await echo();
  const seen = echoed(await sendRequest(get(`${base.slice('http://'.length)}/plain`), sendOptions(), client()));
  expect(seen.url).toBe('/plain');
});

test('an invalid URL is a protocol error that quotes it', async () => {
  const result = await sendRequest(get('http://exa mple.com:99999/'), sendOptions(), client());
  expect(result).toMatchObject({ error: { kind: 'protocol', message: 'invalid URL: http://exa mple.com:99999/' } });
});

test('Basic shortcuts are encoded (UTF-8), already encoded ones left alone, the base64 returned for masking', async () => {
  const base = await echo();
  const cases: [string, string][] = [
    ['Basic user pass', `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['Basic user:pa ss', `Basic ${Buffer.from('user:pa ss').toString('base64')}`],
    ['Basic jürgen:pässword', `Basic ${Buffer.from('jürgen:pässword', 'utf8').toString('base64')}`],
    ['Basic dXNlcjpwYXNz', 'Basic dXNlcjpwYXNz'],
    ['Bearer abc.def', 'Bearer abc.def'],
  ];
  for (const [written, expected] of cases) {
    const result = ok(await sendRequest(get(`${base}/`, [['Authorization', written]]), sendOptions(), client()));
    const seen = JSON.parse(result.exchange.response.body!.toString()) as Echoed;
    expect(seen.headers.find(([name]) => name === 'Authorization')?.[1]).toBe(expected);
    expect(result.derivedSecrets).toEqual(written === expected ? [] : [expected.slice('Basic '.length)]);
  }
});

test('Digest credentials answer the challenge (MD5, qop=auth) and the final exchange is the answered one', async () => {
  const { createHash } = await import('node:crypto');
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const attempts: (string | undefined)[] = [];
  const base = await serve((request, response) => {
    const authorization = request.headers.authorization;
    attempts.push(authorization);
    if (authorization === undefined) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x", Digest realm="test@host", qop="auth,auth-int", nonce="abc123", opaque="op"' });
      return response.end('no');
    }
    const params = Object.fromEntries([...authorization.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)].map((m) => [m[1], m[2] ?? m[3]]));
    const ha1 = md5(`alice:test@host:s3cret`);
    const ha2 = md5(`${request.method}:${params.uri}`);
    const expected = md5(`${ha1}:abc123:${params.nc}:${params.cnonce}:auth:${ha2}`);
    const good = params.response === expected && params.opaque === 'op' && params.uri === '/private?x=1';
    response.writeHead(good ? 200 : 403).end(good ? 'welcome' : 'bad');
  });
  const { exchange } = ok(await sendRequest(get(`${base}/private?x=1`, [['Authorization', 'Digest alice s3cret']]), sendOptions(), client()));
  expect(exchange.response.status).toBe(200);
  expect(exchange.response.body?.toString()).toBe('welcome');
  expect(attempts).toHaveLength(2);
  expect(attempts[0]).toBeUndefined();
  expect(exchange.request.headers.find(([name]) => name === 'Authorization')?.[1]).toMatch(/^Digest username="alice", realm="test@host", nonce="abc123", uri="\/private\?x=1", algorithm=MD5, qop=auth, nc=00000001, cnonce="[0-9a-f]+", response="[0-9a-f]{32}", opaque="op"$/);
});

test('Digest with SHA-256 and MD5-sess, and a 401 without a Digest challenge is the final answer', async () => {
  const { createHash } = await import('node:crypto');
  const hash = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');
  let algorithm = 'SHA-256';
  const base = await serve((request, response) => {
    const authorization = request.headers.authorization;
    if (request.url === '/plain') return response.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
    if (authorization === undefined) {
      response.writeHead(401, { 'WWW-Authenticate': `Digest realm="r", nonce="n1", algorithm=${algorithm}, qop="auth"` });
      return response.end();
    }
    const p = Object.fromEntries([...authorization.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)].map((m) => [m[1], m[2] ?? m[3]]));
    const name = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
    let ha1 = hash(name, 'bob:r:pw');
    if (algorithm.endsWith('-sess')) ha1 = hash(name, `${ha1}:n1:${p.cnonce}`);
    const expected = hash(name, `${ha1}:n1:${p.nc}:${p.cnonce}:auth:${hash(name, `POST:${p.uri}`)}`);
    response.writeHead(p.response === expected && p.algorithm === algorithm ? 200 : 403).end();
  });
  const http = client();
  const post = (path: string) => get(`${base}${path}`, [['Authorization', 'Digest bob pw']], { method: 'POST', body: Buffer.from('x') });
  expect(ok(await sendRequest(post('/a'), sendOptions(), http)).exchange.response.status).toBe(200);
  algorithm = 'MD5-sess';
  expect(ok(await sendRequest(post('/b'), sendOptions(), http)).exchange.response.status).toBe(200);
  expect(ok(await sendRequest(post('/plain'), sendOptions(), http)).exchange.response.status).toBe(401);
});

test('redirects: 302 turns POST into GET without body, 307 keeps method and body, HEAD stays HEAD, each hop recorded', async () => {
  const base = await serve((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/302') return response.writeHead(302, { Location: '/final' }).end();
      if (request.url === '/307') return response.writeHead(307, { Location: `/final` }).end();
      if (request.url === '/chain') return response.writeHead(301, { Location: '/302' }).end();
      response.setHeader('x-method', request.method!);
      response.setHeader('x-content-type', String(request.headers['content-type']));
      response.end(Buffer.concat(chunks));
    });
  });
  const http = client();
  const post = (path: string, method = 'POST') => get(`${base}${path}`, [['Content-Type', 'text/plain']], { method, body: Buffer.from('payload') });
  const moved = ok(await sendRequest(post('/302'), sendOptions(), http)).exchange;
  expect(moved.response.headers).toContainEqual(['x-method', 'GET']);
  expect(moved.response.headers).toContainEqual(['x-content-type', 'undefined']);
  expect(moved.response.body?.toString()).toBe('');
  expect(moved.request).toMatchObject({ method: 'GET', body: null, url: `${base}/final` });
  expect(moved.response).toMatchObject({ url: `${base}/final`, redirects: [`${base}/302`] });

  const kept = ok(await sendRequest(post('/307', 'PUT'), sendOptions(), http)).exchange;
  expect(kept.response.headers).toContainEqual(['x-method', 'PUT']);
  expect(kept.response.body?.toString()).toBe('payload');

  const head = ok(await sendRequest(get(`${base}/302`, [], { method: 'HEAD' }), sendOptions(), http)).exchange;
  expect(head.response.headers).toContainEqual(['x-method', 'HEAD']);

  const chain = ok(await sendRequest(get(`${base}/chain`), sendOptions(), http)).exchange;
  expect(chain.response.redirects).toEqual([`${base}/chain`, `${base}/302`]);

  const stopped = ok(await sendRequest(get(`${base}/302`), sendOptions({ followRedirects: false }), http)).exchange;
  expect(stopped.response).toMatchObject({ status: 302, url: `${base}/302`, redirects: [] });
});

test('more redirects than the limit is a protocol error', async () => {
  const base = await serve((request, response) => {
    const n = Number(request.url!.slice(1));
    response.writeHead(302, { Location: `/${n + 1}` }).end();
  });
  const result = await sendRequest(get(`${base}/0`), sendOptions(), client());
  expect(result).toMatchObject({
    error: { kind: 'protocol', message: `too many redirects (21): the limit is 20 (--max-redirects); last Location: ${base}/21` },
  });
  const small = await sendRequest(get(`${base}/0`), sendOptions({ maxRedirects: 2 }), client());
  expect('error' in small && small.error.message).toBe(`too many redirects (3): the limit is 2 (--max-redirects); last Location: ${base}/3`);
});

test('a cross-origin redirect drops Authorization, Cookie and headers holding a secret; same-origin keeps them', async () => {
  const other = await echo();
  const otherOrigin = other.replace('127.0.0.1', 'localhost');
  const first = await serve((request, response) => {
    if (request.url === '/same') return response.writeHead(302, { Location: '/echo' }).end();
    if (request.url === '/echo') return response.end(JSON.stringify(request.headers));
    response.writeHead(302, { Location: `${otherOrigin}/landed` }).end();
  });
  const headers: [string, string][] = [['Authorization', 'Bearer t0ken'], ['Cookie', 'a=1'], ['X-Api', 'key-SECRET-value'], ['X-Plain', 'fine']];
  const secrets = [{ name: 'API', value: 'SECRET', hosts: null }];
  const result = ok(await sendRequest(get(`${first}/away`, headers), sendOptions({ secrets }), client()));
  const seen = JSON.parse(result.exchange.response.body!.toString()) as Echoed;
  const names = seen.headers.map(([name]) => name.toLowerCase());
  expect(names).not.toContain('authorization');
  expect(names).not.toContain('cookie');
  expect(names).not.toContain('x-api');
  expect(seen.headers).toContainEqual(['X-Plain', 'fine']);
  expect(result.exchange.response.url).toBe(`${otherOrigin}/landed`);

  const same = JSON.parse(ok(await sendRequest(get(`${first}/same`, headers), sendOptions({ secrets }), client())).exchange.response.body!.toString());
  expect(same).toMatchObject({ authorization: 'Bearer t0ken', cookie: 'a=1', 'x-api': 'key-SECRET-value' });
});

test('a host-scoped secret is never sent outside its hosts: before the first send and on a redirect', async () => {
  let hits = 0;
  const target = await serve((_request, response) => {
    hits++;
    response.end('leaked');
  });
  const targetLocalhost = target.replace('127.0.0.1', 'localhost');
  const secrets = [{ name: 'API_TOKEN', value: 'tok-123', hosts: ['127.0.0.1'] }];

  const before = await sendRequest(get(`${targetLocalhost}/?t=tok-123`), sendOptions({ secrets }), client());
  expect(before).toMatchObject({ error: { kind: 'policy', message: `secret API_TOKEN may only be sent to 127.0.0.1; refusing to send it to ${targetLocalhost.slice(7)}` } });
  expect(JSON.stringify(before)).not.toContain('tok-123');
  expect(hits).toBe(0);

  const inBody = await sendRequest(get(`${targetLocalhost}/`, [], { method: 'POST', body: Buffer.from('{"t":"tok-123"}') }), sendOptions({ secrets }), client());
  expect('error' in inBody && inBody.error.kind).toBe('policy');
  const inBasic = await sendRequest(get(`${targetLocalhost}/`, [['Authorization', 'Basic me tok-123']]), sendOptions({ secrets }), client());
  expect('error' in inBasic && inBasic.error.kind).toBe('policy');
  expect(hits).toBe(0);

  const redirector = await serve((_request, response) => response.writeHead(307, { Location: `${targetLocalhost}/next` }).end());
  const hop = await sendRequest(get(`${redirector}/start`, [], { method: 'POST', body: Buffer.from('tok-123') }), sendOptions({ secrets }), client());
  expect(hop).toMatchObject({ error: { kind: 'policy', message: expect.stringContaining('secret API_TOKEN may only be sent to 127.0.0.1; refusing to send it to localhost:') } });
  expect(hits).toBe(0);

  const allowed = await sendRequest(get(`${target}/?t=tok-123`), sendOptions({ secrets }), client());
  expect(ok(allowed).exchange.response.status).toBe(200);
  const portScoped = await sendRequest(get(`${target}/?t=tok-123`), sendOptions({ secrets: [{ name: 'P', value: 'tok-123', hosts: ['127.0.0.1:1'] }] }), client());
  expect('error' in portScoped && portScoped.error.kind).toBe('policy');
});

test('cookies: Set-Cookie is stored per origin and sent back; a written Cookie header is merged, the file winning per name', async () => {
  const base = await serve((request, response) => {
    if (request.url === '/login') {
      response.setHeader('Set-Cookie', ['session=abc; Path=/', 'theme=dark; Path=/']);
      return response.writeHead(302, { Location: '/me' }).end();
    }
    response.end(String(request.headers.cookie));
  });
  const jar = new CookieJar();
  const http = client();
  const first = ok(await sendRequest(get(`${base}/login`), sendOptions({ cookieJar: jar }), http));
  expect(first.exchange.response.body?.toString()).toBe('session=abc; theme=dark');
  const merged = ok(await sendRequest(get(`${base}/me`, [['Cookie', 'theme=light; extra=1']]), sendOptions({ cookieJar: jar }), http));
  expect(merged.exchange.response.body?.toString()).toBe('theme=light; extra=1; session=abc');
  const noJar = ok(await sendRequest(get(`${base}/me`), sendOptions(), http));
  expect(noJar.exchange.response.body?.toString()).toBe('undefined');
});

test('decodes gzip, x-gzip, deflate (zlib and raw), br and chained codings', async () => {
  const text = 'hello '.repeat(1000);
  const bodies: Record<string, [string, Buffer]> = {
    '/gzip': ['gzip', gzipSync(text)],
    '/x-gzip': ['x-gzip', gzipSync(text)],
    '/deflate': ['deflate', deflateSync(text)],
    '/raw': ['deflate', deflateRawSync(text)],
    '/br': ['br', brotliCompressSync(text)],
    '/chain': ['deflate, gzip', gzipSync(deflateSync(text))],
    '/none': ['identity', Buffer.from(text)],
  };
  const base = await serve((request, response) => {
    const [coding, body] = bodies[request.url!]!;
    response.writeHead(200, { 'Content-Encoding': coding }).end(body);
  });
  const http = client();
  for (const path of Object.keys(bodies)) {
    const { exchange } = ok(await sendRequest(get(`${base}${path}`), sendOptions(), http));
    expect(exchange.response.body?.toString(), path).toBe(text);
  }
});

test('invalid compressed data is a protocol error naming the coding; an unknown coding keeps the body with a warning', async () => {
  const base = await serve((request, response) => {
    const coding = request.url === '/bad-gzip' ? 'gzip' : request.url === '/bad-br' ? 'br' : 'snappy';
    response.writeHead(200, { 'Content-Encoding': coding }).end('not compressed at all');
  });
  const http = client();
  expect(await sendRequest(get(`${base}/bad-gzip`), sendOptions(), http)).toMatchObject({ error: { kind: 'protocol', message: 'invalid gzip data: incorrect header check' } });
  expect(await sendRequest(get(`${base}/bad-br`), sendOptions(), http)).toMatchObject({ error: { kind: 'protocol', message: 'invalid br data: Decompression failed' } });
  const unknown = ok(await sendRequest(get(`${base}/snappy`), sendOptions(), http));
  expect(unknown.exchange.response.body?.toString()).toBe('not compressed at all');
  expect(unknown.warnings).toEqual(['unknown Content-Encoding snappy: body kept as received']);
});

test('a gzip bomb stops at the decoded limit with a body-limit error; a large plain body too', async () => {
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
  const base = await serve((request, response) => {
    if (request.url === '/bomb') return response.writeHead(200, { 'Content-Encoding': 'gzip' }).end(bomb);
    response.end(Buffer.alloc(4096));
  });
  const before = process.memoryUsage().rss;
  const result = await sendRequest(get(`${base}/bomb`), sendOptions({ maxBodyBytes: 1024 * 1024 }), client());
  expect(result).toMatchObject({
    error: { kind: 'body-limit', message: 'response body is larger than the limit of 1 MiB after decoding (raise it with --max-body)' },
    exchange: { response: { status: 200, body: null } },
  });
  expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  const plain = await sendRequest(get(`${base}/plain`), sendOptions({ maxBodyBytes: 1000 }), client());
  expect(plain).toMatchObject({ error: { kind: 'body-limit', message: 'response body is larger than the limit of 1000 bytes after decoding (raise it with --max-body)' } });
  const unread = await sendRequest(get(`${base}/bomb`), sendOptions({ maxBodyBytes: 1000, readBody: false }), client());
  expect(ok(unread).exchange.response.body).toBeNull();
});

test('readBody false drains a large streamed body without keeping it', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 97);
  const base = await serve((_request, response) => {
    let sent = 0;
    const write = () => {
      while (sent < 200) {
        sent++;
        if (!response.write(chunk)) return response.once('drain', write);
      }
      response.end();
    };
    write();
  });
  const before = process.memoryUsage().rss;
  const { exchange } = ok(await sendRequest(get(`${base}/big`), sendOptions({ readBody: false, maxBodyBytes: 10 }), client()));
  expect(exchange.response.body).toBeNull();
  expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
});

test('a file body is streamed with its size as Content-Length; a missing file is an io error', async () => {
  const dir = tempDir();
  const path = join(dir, 'body.bin');
  writeFileSync(path, Buffer.alloc(300_000, 120));
  const base = await serve((request, response) => {
    let size = 0;
    request.on('data', (chunk: Buffer) => (size += chunk.length));
    request.on('end', () => response.end(`${request.headers['content-length']} ${request.headers['transfer-encoding']} ${size}`));
  });
  const { exchange } = ok(await sendRequest(get(`${base}/`, [], { method: 'POST', body: { path } }), sendOptions(), client()));
  expect(exchange.response.body?.toString()).toBe('300000 undefined 300000');
  expect(exchange.request.body).toBeNull();
  const missing = await sendRequest(get(`${base}/`, [], { method: 'POST', body: { path: join(dir, 'nope.json') } }), sendOptions(), client());
  expect(missing).toMatchObject({ error: { kind: 'io', message: `cannot read the body file ${join(dir, 'nope.json')}: ENOENT` } });
});

test('>> file saves the decoded body and picks name-1 when the file exists; >>! overwrites', async () => {
  const dir = tempDir();
  const base = await serve((_request, response) => response.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync('saved body')));
  const path = join(dir, 'out', 'response.json');
  const http = client();
  const first = ok(await sendRequest(get(`${base}/`), sendOptions({ readBody: false, saveTo: { path, overwrite: false } }), http));
  expect(first.savedTo).toBe(path);
  expect(first.exchange.response.body).toBeNull();
  const second = ok(await sendRequest(get(`${base}/`), sendOptions({ saveTo: { path, overwrite: false } }), http));
  expect(second.savedTo).toBe(join(dir, 'out', 'response-1.json'));
  expect(second.exchange.response.body?.toString()).toBe('saved body');
  writeFileSync(path, 'old');
  const third = ok(await sendRequest(get(`${base}/`), sendOptions({ saveTo: { path, overwrite: true } }), http));
  expect(third.savedTo).toBe(path);
  expect(readFileSync(path, 'utf8')).toBe('saved body');
  expect(readFileSync(join(dir, 'out', 'response-1.json'), 'utf8')).toBe('saved body');
  expect(existsSync(join(dir, 'out', 'response-2.json'))).toBe(false);
});

test('the whole-request timeout is an error that says how long it waited', async () => {
  const base = await serve((request, response) => {
    if (request.url === '/slow-body') {
      response.write('partial');
      return;
    }
  });
  const started = Date.now();
  expect(await sendRequest(get(`${base}/hang`), sendOptions({ timeoutMs: 300 }), client())).toMatchObject({ error: { kind: 'timeout', message: 'timed out after 300 ms' } });
  expect(Date.now() - started).toBeLessThan(2000);
  expect(await sendRequest(get(`${base}/slow-body`), sendOptions({ timeoutMs: 1500 }), client())).toMatchObject({ error: { kind: 'timeout', message: 'timed out after 1.5 s' } });
});

test('a connection that never completes its TLS handshake hits the connection timeout', async () => {
  const port = await listen(createNetServer(() => {}));
  const result = await sendRequest(get(`https://127.0.0.1:${port}/`), sendOptions({ connectionTimeoutMs: 300 }), client());
  expect(result).toMatchObject({ error: { kind: 'timeout', message: 'could not connect within 300 ms' } });
});

test('cancellation through the signal ends the request', async () => {
  const base = await serve(() => {});
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  expect(await sendRequest(get(`${base}/`), sendOptions({ signal: controller.signal }), client())).toMatchObject({ error: { kind: 'io', message: 'cancelled' } });
});

test('connection refused, DNS failure, reset mid-body and a malformed response are one-line errors', async () => {
  const refused = await sendRequest(get('http://127.0.0.1:9/'), sendOptions(), client());
  expect(refused).toMatchObject({ error: { kind: 'connect', message: 'connection refused: 127.0.0.1:9' } });

  const dns = await sendRequest(get('http://nohost.invalid/'), sendOptions(), client());
  expect(dns).toMatchObject({ error: { kind: 'dns', message: 'could not resolve host nohost.invalid' } });

  const resetPort = await listen(
    createNetServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial');
      setTimeout(() => socket.resetAndDestroy(), 50);
    }),
  );
  const reset = await sendRequest(get(`http://127.0.0.1:${resetPort}/`), sendOptions(), client());
  expect(reset).toMatchObject({ error: { kind: 'connect', message: 'connection reset by the server while reading the body' }, exchange: { response: { status: 200 } } });

  const garbagePort = await listen(createNetServer((socket) => socket.end('NOT HTTP AT ALL\r\n\r\n')));
  const garbage = await sendRequest(get(`http://127.0.0.1:${garbagePort}/`), sendOptions(), client());
  expect(garbage).toMatchObject({ error: { kind: 'protocol', message: expect.stringMatching(/^malformed response: /) } });
  expect('error' in garbage && garbage.error.message).not.toContain('\n');

  const closedPort = await listen(createNetServer((socket) => socket.destroy()));
  const closed = await sendRequest(get(`http://127.0.0.1:${closedPort}/`), sendOptions(), client());
  expect(closed).toMatchObject({ error: { kind: 'connect', message: `connection closed by the server before a response (127.0.0.1:${closedPort})` } });
});

test('keep-alive: sequential requests reuse pooled connections (undici alternates between two, as its own request() does)', async () => {
  const sockets = new Set<unknown>();
  const base = await serve((request, response) => {
    sockets.add(request.socket.remotePort);
    response.end('x');
  });
  const http = client();
  for (let i = 0; i < 10; i++) ok(await sendRequest(get(`${base}/${i}`), sendOptions(), http));
  expect(sockets.size).toBeLessThanOrEqual(2);
});

test('durationMs covers the whole exchange including redirects and the body', async () => {
  const base = await serve((request, response) => {
    if (request.url === '/r') return setTimeout(() => response.writeHead(302, { Location: '/b' }).end(), 100);
    response.write('a');
    setTimeout(() => response.end('b'), 100);
  });
  const { exchange } = ok(await sendRequest(get(`${base}/r`), sendOptions(), client()));
  expect(exchange.response.durationMs).toBeGreaterThanOrEqual(190);
  void createReadStream;
});
