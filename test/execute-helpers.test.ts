import { expect, test } from 'vitest';
import { parseAuthShortcut } from '../src/execute/auth-shortcut.js';
import { answerDigest, parseDigestChallenge } from '../src/execute/digest-auth.js';
import { formatDuration } from '../src/execute/format-duration.js';
import { mapError } from '../src/execute/map-error.js';
import { normaliseUrl } from '../src/execute/normalise-url.js';
import { formatBytes } from '../src/execute/read-body.js';
import { hostInScope } from '../src/execute/secret-scope.js';

const href = (text: string) => {
  const result = normaliseUrl(text);
  return 'url' in result ? result.url.href : result.error;
};

test('normaliseUrl: scheme-less targets are http, encoding happens once, fragments are dropped', () => {
  expect(href('localhost:8080/x')).toBe('http://localhost:8080/x');
  expect(href('//example.com/a')).toBe('http://example.com/a');
  expect(href('https://example.com/a b?q=ä ö')).toBe('https://example.com/a%20b?q=%C3%A4%20%C3%B6');
  expect(href('http://example.com/already%20encoded?x=%2F')).toBe('http://example.com/already%20encoded?x=%2F');
  expect(href('http://example.com/100%?x=5%')).toBe('http://example.com/100%25?x=5%25');
  expect(href('http://bücher.example/#top')).toBe('http://xn--bcher-kva.example/');
  expect(href('ftp://example.com/')).toBe('unsupported URL scheme ftp: ftp://example.com/');
  expect(href('http://')).toBe('invalid URL: http://');
});

test('formatDuration reads like a person wrote it', () => {
  expect(formatDuration(500)).toBe('500 ms');
  expect(formatDuration(5000)).toBe('5 s');
  expect(formatDuration(1500)).toBe('1.5 s');
  expect(formatDuration(90_000)).toBe('90 s');
  expect(formatDuration(120_000)).toBe('2 min');
});

test('formatBytes', () => {
  expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(10)).toBe('10 bytes');
});

test('auth shortcuts', () => {
  expect(parseAuthShortcut('Basic user pass')).toEqual({ kind: 'basic', header: 'Basic dXNlcjpwYXNz', encoded: 'dXNlcjpwYXNz' });
  expect(parseAuthShortcut('basic user:pass')).toMatchObject({ kind: 'basic', encoded: 'dXNlcjpwYXNz' });
  expect(parseAuthShortcut('Basic dXNlcjpwYXNz')).toEqual({ kind: 'none' });
  expect(parseAuthShortcut('Basic opaque-token')).toEqual({ kind: 'none' });
  expect(parseAuthShortcut('Digest alice s3 cret')).toEqual({ kind: 'digest', username: 'alice', password: 's3 cret' });
  expect(parseAuthShortcut('Digest username="a", realm="r", response="x"')).toEqual({ kind: 'none' });
  expect(parseAuthShortcut('Bearer abc')).toEqual({ kind: 'none' });
});

test('Digest challenges: several per header, the strongest wins; RFC 7616 example answer', () => {
  const challenge = parseDigestChallenge([
    'Basic realm="x", Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  ]);
  expect(challenge?.algorithm).toBe('SHA-256');
  const answer = answerDigest(challenge!, {
    username: 'Mufasa',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    body: null,
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  });
  // The response value from RFC 7616 section 3.9.1 (SHA-256 example).
  expect(answer).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
  expect(answer).toContain('qop=auth, nc=00000001');
  expect(parseDigestChallenge(['Bearer realm="x"'])).toBeNull();
});

test('host scopes: a bare host matches any port, host:port only that port, *.domain its subdomains', () => {
  const url = new URL('https://api.example.com:8443/x');
  expect(hostInScope(url, ['api.example.com'])).toBe(true);
  expect(hostInScope(url, ['API.example.com:8443'])).toBe(true);
  expect(hostInScope(url, ['api.example.com:443'])).toBe(false);
  expect(hostInScope(url, ['*.example.com'])).toBe(true);
  expect(hostInScope(url, ['example.com'])).toBe(false);
  expect(hostInScope(new URL('http://[::1]:3000/'), ['::1'])).toBe(true);
  expect(hostInScope(new URL('http://[::1]:3000/'), ['[::1]:3000'])).toBe(true);
});

test('mapError turns codes into one-line reasons', () => {
  const context = { host: 'api.test', port: '443', connectionTimeoutMs: 10_000, receivingBody: false };
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  expect(mapError(coded('UND_ERR_CONNECT_TIMEOUT'), context)).toEqual({ kind: 'timeout', message: 'could not connect within 10 s' });
  expect(mapError(coded('SELF_SIGNED_CERT_IN_CHAIN'), context).message).toBe(
    'TLS: self-signed certificate in the chain (SELF_SIGNED_CERT_IN_CHAIN) for api.test:443; trust it with --cacert FILE or skip checks with --insecure',
  );
  expect(mapError(coded('EAI_AGAIN'), context)).toEqual({ kind: 'dns', message: 'could not resolve host api.test' });
  expect(mapError(coded('ECONNRESET'), { ...context, receivingBody: true })).toEqual({ kind: 'connect', message: 'connection reset by the server while reading the body' });
  expect(mapError(coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), context)).toEqual({ kind: 'protocol', message: 'malformed response: body length does not match Content-Length' });
  expect(mapError(new AggregateError([coded('ECONNREFUSED')]), context)).toEqual({ kind: 'connect', message: 'connection refused: api.test:443' });
  expect(mapError(coded('UND_ERR_INVALID_ARG', 'invalid x-a header'), context)).toEqual({ kind: 'protocol', message: 'invalid request: invalid x-a header' });
  expect(mapError(coded('EWEIRD', 'something\nodd'), context)).toEqual({ kind: 'connect', message: 'something odd (EWEIRD) for api.test:443' });
});
