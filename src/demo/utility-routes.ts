import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { DemoRequest, DemoResponse, Route } from './demo-route.js';
import { encodeLatin1 } from './latin1.js';
import { replyEmpty, replyJson } from './reply.js';

/*
 * Stateless helpers in the spirit of httpbin, for tests and benchmarks of the client:
 * echo, redirects, content codings, arbitrary statuses, slow and large answers.
 */

const MAX_DELAY_MS = 60_000;
/** Above the client's default 64 MiB body limit, so that limit can be exercised. */
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_REDIRECTS = 100;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const CHUNK = 64 * 1024;

function badRequest(message: string): DemoResponse {
  return replyJson(400, { error: message });
}

function parseInteger(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}

/** Byte i is `i % 256`: easy to check, and a sha256 a test can compute. */
export function demoBytes(length: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= length) {
        this.push(null);
        return;
      }
      const size = Math.min(CHUNK, length - offset);
      const chunk = Buffer.allocUnsafe(size);
      for (let index = 0; index < size; index++) chunk[index] = (offset + index) % 256;
      offset += size;
      this.push(chunk);
    },
  });
}

function echo(request: DemoRequest): DemoResponse {
  const rawHeaders: [string, string][] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    rawHeaders.push([request.rawHeaders[index]!, request.rawHeaders[index + 1]!]);
  }
  return replyJson(200, {
    method: request.method,
    url: `${request.url.pathname}${request.url.search}`,
    query: Object.fromEntries(request.url.searchParams),
    headers: request.headers,
    rawHeaders,
    body: request.body.toString('utf8'),
  });
}

function redirect(request: DemoRequest): DemoResponse {
  const query = request.url.searchParams;
  const to = query.get('to') ?? '/health';
  const status = parseInteger(query.get('status') ?? '302');
  const hops = parseInteger(query.get('n') ?? '1');
  if (status === undefined || !REDIRECT_STATUSES.includes(status)) {
    return badRequest(`status must be one of ${REDIRECT_STATUSES.join(', ')}.`);
  }
  if (hops === undefined || hops < 1 || hops > MAX_REDIRECTS) return badRequest(`n must be 1 to ${MAX_REDIRECTS}.`);
  const next = new URLSearchParams({ to, status: String(status), n: String(hops - 1) });
  return replyEmpty(status, { location: hops > 1 ? `/redirect?${next}` : to });
}

function encoded(coding: 'gzip' | 'deflate' | 'br', encode: (input: Buffer) => Buffer) {
  return (request: DemoRequest): DemoResponse => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': coding, vary: 'accept-encoding' },
    body: encode(Buffer.from(JSON.stringify({ encoding: coding, method: request.method, message: 'decoded fine' }))),
  });
}

function status(request: DemoRequest): DemoResponse {
  const code = parseInteger(request.params['code']);
  if (code === undefined || code < 200 || code > 599) return badRequest('status code must be 200 to 599.');
  // 204 and 304 must not carry a body.
  if (code === 204 || code === 304) return replyEmpty(code);
  return replyJson(code, { status: code });
}

async function delay(request: DemoRequest): Promise<DemoResponse> {
  const ms = parseInteger(request.params['ms']);
  if (ms === undefined || ms > MAX_DELAY_MS) return badRequest(`delay must be 0 to ${MAX_DELAY_MS} ms.`);
  try {
    await sleep(ms, undefined, { signal: request.signal });
  } catch {
    // The client left or the server is closing; nobody reads this answer.
    return replyEmpty(499);
  }
  return replyJson(200, { delayedMs: ms });
}

function bytes(request: DemoRequest): DemoResponse {
  const length = parseInteger(request.params['n']);
  if (length === undefined || length > MAX_BYTES) return badRequest(`n must be 0 to ${MAX_BYTES} bytes.`);
  return {
    status: 200,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
    body: demoBytes(length),
  };
}

function setCookies(request: DemoRequest): DemoResponse {
  const cookies = Object.fromEntries(request.url.searchParams);
  const setCookie = Object.entries(cookies).map(([name, value]) => `${name}=${encodeURIComponent(value)}; Path=/`);
  return replyJson(200, { cookies }, setCookie.length > 0 ? { 'set-cookie': setCookie } : {});
}

function readCookies(request: DemoRequest): DemoResponse {
  const cookies: Record<string, string> = {};
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals > 0) cookies[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return replyJson(200, { cookies });
}

export function createUtilityRoutes(): Route[] {
  return [
    { method: 'GET', path: '/health', handle: () => replyJson(200, { status: 'ok' }) },
    { method: '*', path: '/echo', handle: echo },
    { method: 'GET', path: '/redirect', handle: redirect },
    { method: 'GET', path: '/gzip', handle: encoded('gzip', (input) => gzipSync(input)) },
    { method: 'GET', path: '/deflate', handle: encoded('deflate', (input) => deflateSync(input)) },
    { method: 'GET', path: '/brotli', handle: encoded('br', (input) => brotliCompressSync(input)) },
    { method: '*', path: '/status/:code', handle: status },
    { method: 'GET', path: '/delay/:ms', handle: delay },
    { method: 'GET', path: '/bytes/:n', handle: bytes },
    {
      method: 'GET',
      path: '/latin1',
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'text/plain; charset=iso-8859-1' },
        body: encodeLatin1('café crème\n'),
      }),
    },
    { method: 'GET', path: '/cookies', handle: readCookies },
    { method: 'GET', path: '/cookies/set', handle: setCookies },
  ];
}
