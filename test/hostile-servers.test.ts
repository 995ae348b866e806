import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { run, type RequestResult } from '../src/index.js';
import { listen, runCleanups } from './fixtures/execute/harness.js';
import { project, runCli } from './helpers/cli.js';

/**
 * Hostile servers (issue 11): each misbehaves in one way. Every request file sends one request to
 * the hostile path and then `GET /ok` to the same server, which answers properly: the first must end
 * errored (or fail its assertions) with a one-line reason, in bounded time, and the second must pass.
 */

afterEach(runCleanups);

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/**
 * A node:net server that answers `/ok` properly (keep-alive) and hands any other request to
 * `hostile`, which writes whatever bytes it likes and may never answer.
 */
async function rawServer(hostile: (socket: Socket, path: string) => void): Promise<string> {
  const server = createNetServer((socket) => {
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const path = pending.slice(0, end).split(' ')[1] ?? '/';
        pending = pending.slice(end + 4);
        if (path === '/ok') socket.write(OK);
        else hostile(socket, path);
      }
    });
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

/** A node:http server for misbehaviour that stays within HTTP; `/ok` answers properly. */
async function httpServer(hostile: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer((request, response) => {
    if (request.url === '/ok') response.end('ok');
    else hostile(request, response);
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

/** Writes `text` a byte a second until the socket closes. */
function drip(socket: Socket, text: string): void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= text.length) clearInterval(timer);
    else socket.write(text[index++]!);
  }, 1000);
  socket.on('close', () => clearInterval(timer));
}

// 16 gzip members of 64 MiB of zeros each: gunzip reads them as one 1 GiB stream, sent as ~1 MiB.
let bomb: Buffer;
beforeAll(() => {
  const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  bomb = Buffer.concat(Array.from({ length: 16 }, () => member));
});

const binary = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0x61, 0x22, 0x3a, 0xc3, 0x28, 0x80, 0x7d, 0x0a, 0xe2, 0x82]);

interface HostileCase {
  name: string;
  start: () => Promise<string>;
  /** Lines after the hostile request (assertions). */
  tail?: string;
  method?: string;
  outcome: RequestResult['outcome'];
  error?: RegExp;
  status?: number | null;
  /** Checks on the hostile request's result beyond outcome and error. */
  more?: (result: RequestResult) => void;
}

const cases: HostileCase[] = [
  {
    name: 'reset during the headers',
    start: () => rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: te');
      setTimeout(() => socket.resetAndDestroy(), 20);
    }),
    outcome: 'errored',
    error: /^connection closed by the server before a response \(127\.0\.0\.1:\d+\)$/,
    status: null,
  },
  {
    name: 'reset mid-body (nothing reads it)',
    start: () => rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial');
      setTimeout(() => socket.resetAndDestroy(), 20);
    }),
    outcome: 'errored',
    error: /^connection reset by the server while reading the body$/,
    status: 200,
  },
  {
    name: 'reset mid-body (an assertion reads it)',
    start: () => rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial');
      setTimeout(() => socket.resetAndDestroy(), 20);
    }),
    tail: '?? body contains partial',
    outcome: 'errored',
    error: /^connection reset by the server while reading the body$/,
    status: 200,
  },
  {
    name: 'accepts and never answers',
    start: () => rawServer(() => {}),
    outcome: 'errored',
    error: /^timed out after 2 s$/,
  },
  {
    name: 'drips the status line a byte a second',
    start: () => rawServer((socket) => drip(socket, OK)),
    outcome: 'errored',
    error: /^timed out after 2 s$/,
  },
  {
    name: 'drips the body a byte a second',
    start: () => rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n');
      drip(socket, 'abcdefghijklmnopqrst');
    }),
    tail: '?? body == abcdefghijklmnopqrst',
    outcome: 'errored',
    error: /^timed out after 2 s$/,
  },
  {
    name: 'garbage instead of HTTP',
    start: () => rawServer((socket) => socket.end(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x41]))),
    outcome: 'errored',
    error: /^malformed response: the reply is not HTTP; it starts with "\\x16\\x03\\x01\\x00\\ufffd\\x00\\r\\nA"$/,
    status: null,
  },
  {
    name: 'another protocol answers (an SSH banner)',
    start: () => rawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6p1 Debian-3\r\n')),
    outcome: 'errored',
    error: /^malformed response: the reply is not HTTP; it starts with "SSH-2\.0-OpenSSH_9\.6p1 Debian-3\\r\\n"$/,
  },
  {
    name: 'invalid status line (letters in the code)',
    start: () => rawServer((socket) => socket.end('HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n')),
    outcome: 'errored',
    error: /^malformed response: invalid status code$/,
  },
  {
    name: 'invalid status line (a four-digit code)',
    start: () => rawServer((socket) => socket.end('HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n')),
    outcome: 'errored',
    error: /^malformed response: invalid response status$/,
  },
  {
    name: 'invalid chunked encoding',
    start: () => rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n')),
    outcome: 'errored',
    error: /^malformed response: invalid character in chunk size$/,
    status: 200,
  },
  {
    name: 'Content-Length longer than the body',
    start: () => rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello')),
    outcome: 'errored',
    error: /^connection closed by the server after 5 of the 100 body bytes its Content-Length announced$/,
    status: 200,
  },
  {
    // The extra bytes cannot be told from the start of a next response: the body is cut at the
    // announced length, the assertion shows it, and the pool drops the connection they poisoned.
    name: 'Content-Length shorter than the body',
    start: () => rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhello world')),
    tail: '?? body == hello world',
    outcome: 'failed',
    status: 200,
    more: (result) => expect(result.assertions[0]).toMatchObject({ passed: false, actual: 'he' }),
  },
  {
    name: 'a gzip bomb that an assertion reads',
    start: () => httpServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb)),
    tail: '?? body contains x',
    outcome: 'errored',
    error: /^response body is larger than the limit of 8 MiB after decoding \(raise it with --max-body\)$/,
    status: 200,
  },
  {
    name: 'a gzip bomb that nothing reads (drained, not decoded)',
    start: () => httpServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb)),
    tail: '?? status == 200',
    outcome: 'passed',
    status: 200,
  },
  {
    name: 'invalid gzip data',
    start: () => httpServer((_request, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end('this is not gzip')),
    tail: '?? body contains gzip',
    outcome: 'errored',
    error: /^invalid gzip data: incorrect header check$/,
    status: 200,
  },
  {
    name: 'invalid brotli data',
    start: () => httpServer((_request, response) => response.writeHead(200, { 'content-encoding': 'br' }).end(Buffer.alloc(64, 0xff))),
    tail: '?? body contains x',
    outcome: 'errored',
    error: /^invalid br data: /,
  },
  {
    name: 'megabytes of headers',
    start: () => rawServer((socket) => socket.end(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(3 * 1024 * 1024)}\r\nContent-Length: 0\r\n\r\n`)),
    outcome: 'errored',
    error: /^malformed response: headers larger than 16 KiB \(the HTTP client's limit\)$/,
  },
  {
    name: 'tens of thousands of headers',
    start: () => rawServer((socket) => socket.end(`HTTP/1.1 200 OK\r\n${Array.from({ length: 30_000 }, (_, i) => `X-${i}: v`).join('\r\n')}\r\nContent-Length: 0\r\n\r\n`)),
    outcome: 'errored',
    error: /^malformed response: headers larger than 16 KiB \(the HTTP client's limit\)$/,
  },
  {
    name: 'a redirect loop',
    start: () => httpServer((request, response) => response.writeHead(302, { location: request.url === '/a' ? '/b' : '/a' }).end()),
    outcome: 'errored',
    error: /^too many redirects \(21\): the limit is 20 \(--max-redirects\); last Location: http:\/\/127\.0\.0\.1:\d+\/b$/,
  },
  {
    name: 'invalid UTF-8 and binary bytes under every kind of assertion',
    start: () => httpServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(binary)),
    tail: [
      '?? body contains zzz',
      '?? body $.a == 1',
      '?? regex "a"(.) == x',
      '?? xpath /a == 1',
      '?? body == x',
      '?? body isEmpty',
      `?? sha256 == ${createHash('sha256').update(binary).digest('hex')}`,
      `?? bytes == ${binary.length}`,
      '?? header content-type includes json',
    ].join('\n'),
    outcome: 'failed',
    status: 200,
    more: (result) => {
      expect(result.assertions.map((a) => a.passed)).toEqual([false, false, false, false, false, false, true, true, true]);
      for (const assertion of result.assertions.filter((a) => !a.passed)) expect(assertion.message).toEqual(expect.any(String));
      expect(result.assertions[1]?.message).toMatch(/the body is not JSON/);
    },
  },
  {
    name: 'a binary body with a text assertion and no charset',
    start: () => httpServer((_request, response) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(Array.from({ length: 256 }, (_, i) => i)))),
    tail: '?? body contains needle\n?? bytes == 256',
    outcome: 'failed',
    more: (result) => expect(result.assertions.map((a) => a.passed)).toEqual([false, true]),
  },
  {
    name: '204 with a stray body and Content-Length',
    start: () => rawServer((socket) => socket.write('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello')),
    tail: '?? status == 204\n?? body isEmpty',
    outcome: 'passed',
    status: 204,
  },
  {
    name: '304 with a Content-Length and stray bytes',
    start: () => rawServer((socket) => socket.write('HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\nETag: "x"\r\n\r\nstray bytes')),
    tail: '?? status == 304',
    outcome: 'passed',
    status: 304,
  },
];

function requestFile(base: string, hostile: HostileCase): string {
  return `### hostile\n${hostile.method ?? 'GET'} ${base}/a\n\n${hostile.tail ?? ''}\n\n### after\nGET ${base}/ok\n\n?? body == ok\n`;
}

function expectHostile(hostile: HostileCase, requests: RequestResult[]): void {
  const [first, after] = requests;
  expect(first, hostile.name).toBeDefined();
  expect({ outcome: first!.outcome, error: first!.error }).toEqual({
    outcome: hostile.outcome,
    error: hostile.error ? expect.stringMatching(hostile.error) : null,
  });
  if (first!.error !== null) expect(first!.error).not.toMatch(/\n/);
  if (hostile.status !== undefined) expect(first!.status).toBe(hostile.status);
  hostile.more?.(first!);
  expect({ outcome: after?.outcome, error: after?.error }).toEqual({ outcome: 'passed', error: null });
}

describe('hostile servers through run(): a one-line reason in bounded time, and the run goes on', () => {
  for (const hostile of cases) {
    test(hostile.name, async () => {
      const base = await hostile.start();
      const started = performance.now();
      const result = await run([{ file: 'hostile.http', text: requestFile(base, hostile) }], {
        cwd: process.cwd(),
        timeout: 2000,
        connectionTimeout: 1000,
        maxBody: 8 * 1024 * 1024,
      });
      expect(performance.now() - started).toBeLessThan(6000);
      expect(result.files[0]?.error).toBeNull();
      expectHostile(hostile, result.files[0]!.requests);
    });
  }
});

describe('captures and scripts on a binary body', () => {
  test('a script reads it, captures from it end the dependant errored on one line, and nothing crashes', async () => {
    const base = await httpServer((request, response) => {
      response.writeHead(200, { 'content-type': request.url === '/xml' ? 'application/xml' : 'application/json' }).end(binary);
    });
    const text = [
      '### bin\n# @name bin',
      `GET ${base}/json`,
      '',
      '> {%',
      '  client.test("reads the body", () => client.assert(response.body !== undefined, "no body"));',
      '%}',
      '',
      '### xml\n# @name xml',
      `GET ${base}/xml`,
      '',
      '### json capture',
      `GET ${base}/ok`,
      'X-Id: {{bin.response.body.$.a}}',
      '',
      '### xml capture',
      `GET ${base}/ok`,
      'X-Id: {{xml.response.body.//a}}',
      '',
      '### after',
      `GET ${base}/ok`,
      '',
    ].join('\n');
    const result = await run([{ file: 'binary.http', text }], { cwd: process.cwd(), timeout: 5000 });
    const requests = result.files[0]!.requests;
    expect(requests.map((r) => [r.name, r.outcome])).toEqual([
      ['bin', 'passed'],
      ['xml', 'passed'],
      ['json capture', 'errored'],
      ['xml capture', 'errored'],
      ['after', 'passed'],
    ]);
    expect(requests[2]!.error).toMatch(/^\{\{bin\.response\.body\.\$\.a\}\}: the body is not JSON \(/);
    expect(requests[3]!.error).toMatch(/^\{\{xml\.response\.body\.\/\/a\}\}: .*XML/);
    for (const request of requests) expect(request.error ?? '').not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('redirects to another origin', () => {
  test('Authorization and the written Cookie are not forwarded to another port; the same origin keeps them', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const other = await httpServer((request, response) => {
      seen.push(request.headers);
      response.end('other');
    });
    const first = await httpServer((request, response) => {
      seen.push(request.headers);
      if (request.url === '/cross') response.writeHead(302, { location: `${other}/landing`, 'set-cookie': 'session=jar-value; Path=/' }).end();
      else if (request.url === '/same') response.writeHead(302, { location: '/here' }).end();
      else response.end('here');
    });
    const headers = 'Authorization: Bearer written-token\nCookie: written=cookie-value\nX-Trace: kept';
    const text = `### cross\nGET ${first}/cross\n${headers}\n\n?? status == 200\n?? body == other\n\n### same\nGET ${first}/same\n${headers}\n\n?? body == here\n`;
    const result = await run([{ file: 'redirect.http', text }], { cwd: process.cwd(), timeout: 5000 });

    expect(result.files[0]?.requests.map((r) => [r.outcome, r.url])).toEqual([
      ['passed', `${other}/landing`],
      ['passed', `${first}/here`],
    ]);
    const [crossFirst, crossLanding, sameFirst, sameLanding] = seen;
    expect(crossFirst).toMatchObject({ authorization: 'Bearer written-token', cookie: 'written=cookie-value' });
    expect(crossLanding).not.toHaveProperty('authorization');
    // The written Cookie header stays behind; the jar's cookie follows RFC 6265, where a cookie belongs
    // to a host whatever its port (as in browsers and curl), so only the written one is checked here.
    expect(crossLanding?.cookie ?? '').not.toContain('written=cookie-value');
    expect(crossLanding).toMatchObject({ 'x-trace': 'kept' });
    expect(sameFirst?.cookie).toContain('session=jar-value');
    expect(sameLanding).toMatchObject({ authorization: 'Bearer written-token' });
    expect(sameLanding?.cookie).toContain('written=cookie-value');
  });
});

describe('hostile servers through the CLI', () => {
  test('one run over every hostile server: exit 3, no stack trace, every reason in the reports, the other requests pass', async () => {
    const files: Record<string, string> = {};
    const names: string[] = [];
    for (const [index, hostile] of cases.entries()) {
      const name = `h${String(index).padStart(2, '0')}.http`;
      names.push(name);
      files[name] = requestFile(await hostile.start(), hostile);
    }
    const cwd = project(files);
    const started = performance.now();
    const cli = await runCli(
      ['run', '--timeout', '2s', '--connection-timeout', '1s', '--max-body', '8MiB', '--jobs', '4', '--report-json', 'out/report.json', '--report-junit', 'out/junit.xml', '--report-tap', 'out/report.tap', '--report-html', 'out/report.html'],
      { cwd, timeoutMs: 60_000 },
    );
    const elapsed = performance.now() - started;

    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 3, stderr: '' });
    expect(cli.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(cli.stdout).not.toMatch(/internal error|TypeError|RangeError/);
    // Every hostile reason reaches the console on one line with the request it belongs to.
    expect(cli.stdout).toContain('malformed response: invalid character in chunk size');
    expect(cli.stdout).toContain('too many redirects (21)');
    for (const report of ['report.json', 'junit.xml', 'report.tap', 'report.html']) expect(existsSync(join(cwd, 'out', report)), report).toBe(true);
    const report = JSON.parse(readFileSync(join(cwd, 'out', 'report.json'), 'utf8')) as { files: { file: string; requests: RequestResult[] }[] };
    expect(report.files.map((file) => file.file)).toEqual(names);
    for (const [index, hostile] of cases.entries()) expectHostile(hostile, report.files[index]!.requests);
    // The three slow servers run side by side (--jobs 4), each cut at 2 s.
    expect(elapsed).toBeLessThan(30_000);
  });
});
