import { beforeAll, describe, expect, test } from 'vitest';
import { needsBody } from '../src/assert/needs-body.js';
import { parseAssertion, type Assertion } from '../src/assert/parse-assertion.js';
import { readReference } from '../src/assert/read-reference.js';
import { ResponseView } from '../src/assert/response-view.js';
import { answer, fetchExchange } from './helpers/fetch-exchange.js';

let login: ResponseView;
let xml: ResponseView;

beforeAll(async () => {
  login = new ResponseView(await fetchExchange(
    (request, response) => {
      response.writeHead(201, {
        'content-type': 'application/json',
        location: '/users/7',
        'x-multi': ['a', 'b'],
        'set-cookie': ['SESSION=s3cr3t; HttpOnly', 'theme=dark'],
      });
      response.end(`{"token": "abc.def", "id": 12345678901234567890, "user": {"name": "Ada", "roles": ["admin", "dev"]}, "n": 7, "ok": true, "none": null}`);
      void request;
    },
    { method: 'POST', path: '/login?x=1', headers: { 'content-type': 'application/json', 'x-id': '42' }, body: '{"user": "ada", "remember": true}' },
  ));
  xml = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'application/xml' }, '<status xmlns="urn:s"><id>9</id><id>10</id><text>ok</text></status>')));
});

describe('response references', () => {
  test.each([
    ['response.body.$.token', { value: 'abc.def', text: 'abc.def', json: '"abc.def"' }],
    ['response.body.$.n', { value: 7, text: '7', json: '7' }],
    ['response.body.$.ok', { value: true, text: 'true', json: 'true' }],
    ['response.body.$.none', { value: null, text: 'null', json: 'null' }],
    ['response.body.$.user', { value: { name: 'Ada', roles: ['admin', 'dev'] }, text: '{"name":"Ada","roles":["admin","dev"]}', json: '{"name":"Ada","roles":["admin","dev"]}' }],
    ['response.body.$.user.roles[*]', { value: ['admin', 'dev'], text: '["admin","dev"]', json: '["admin","dev"]' }],
    ['response.body.user.name', { value: 'Ada', text: 'Ada', json: '"Ada"' }],
    ['response.headers.Location', { value: '/users/7', text: '/users/7', json: '"/users/7"' }],
    ['response.headers.X-MULTI', { value: 'a, b', text: 'a, b', json: '"a, b"' }],
    ['response.status', { value: 201, text: '201', json: '201' }],
    ['response.cookies.SESSION', { value: 's3cr3t', text: 's3cr3t', json: '"s3cr3t"' }],
    ['response.version', { value: '1.1', text: '1.1', json: '"1.1"' }],
  ])('%s', (path, expected) => {
    expect(readReference(path, login)).toEqual(expected);
  });

  test('a big integer keeps every digit in text and json; value holds it as a string (JSON-safe)', () => {
    expect(readReference('response.body.$.id', login)).toEqual({
      value: '12345678901234567890', text: '12345678901234567890', json: '12345678901234567890',
    });
  });

  test('the whole body with *', () => {
    const result = readReference('response.body.*', login);
    expect(result).toMatchObject({ text: expect.stringContaining('"token": "abc.def"') });
  });

  test('url and duration', () => {
    expect(readReference('response.url', login)).toMatchObject({ value: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/login\?x=1$/) });
    expect(readReference('response.duration', login)).toMatchObject({ value: expect.any(Number) });
  });

  test('XPath on an XML body (default namespace, several matches → list)', () => {
    expect(readReference('response.body.//text', xml)).toEqual({ value: 'ok', text: 'ok', json: '"ok"' });
    expect(readReference('response.body.//status/id', xml)).toEqual({ value: ['9', '10'], text: '["9","10"]', json: '["9","10"]' });
    expect(readReference('response.body.count(//id)', xml)).toEqual({ value: 2, text: '2', json: '2' });
  });
});

describe('request references', () => {
  test.each([
    ['request.body.$.user', { value: 'ada', text: 'ada', json: '"ada"' }],
    ['request.body.remember', { value: true, text: 'true', json: 'true' }],
    ['request.body.*', { value: '{"user": "ada", "remember": true}', text: '{"user": "ada", "remember": true}', json: '"{\\"user\\": \\"ada\\", \\"remember\\": true}"' }],
    ['request.headers.X-Id', { value: '42', text: '42', json: '"42"' }],
    ['request.method', { value: 'POST', text: 'POST', json: '"POST"' }],
  ])('%s', (path, expected) => {
    expect(readReference(path, login)).toEqual(expected);
  });

  test('request.url', () => {
    expect(readReference('request.url', login)).toMatchObject({ value: expect.stringMatching(/\/login\?x=1$/) });
  });
});

describe('errors', () => {
  test.each([
    ['response.body.$.missing', '$.missing matched nothing in the response body'],
    ['request.body.$.missing', '$.missing matched nothing in the request body'],
    ['response.body.', '"response.body.": expected *, a JSONPath ($.id), an XPath (//id) or a property path after "body."'],
    ['response.body.$[', 'invalid JSONPath $[: unclosed bracketed selection'],
    ['response.headers.X-None', 'the response has no header X-None'],
    ['request.headers.X-None', 'the request has no header X-None'],
    ['response.headers.', '"response.headers.": expected a header name after "headers."'],
    ['response.cookies.NOPE', 'the response sets no cookie NOPE'],
    ['response.bogus', 'cannot read "response.bogus": response has no "bogus" (expected body, headers, cookies, status, url, version or duration)'],
    ['request.status', 'cannot read "request.status": request has no "status" (expected body, headers, url or method)'],
    ['token', 'cannot read "token": expected response.body..., response.headers.NAME, response.status or request.body... after the request name'],
  ])('%s', (path, error) => {
    expect(readReference(path, login)).toEqual({ error });
  });

  test('an XPath that matches nothing', () => {
    expect(readReference('response.body.//missing', xml)).toEqual({ error: '//missing matched nothing in the response body' });
    expect(readReference('response.body.//[', xml)).toEqual({ error: 'invalid XPath //[: syntax error' });
  });

  test('XPath on a JSON body says the body is not XML', () => {
    expect(readReference('response.body.//a', login)).toEqual({ error: expect.stringMatching(/^the body is not well-formed XML/) });
  });

  test('JSONPath on an XML body says the body is not JSON', () => {
    expect(readReference('response.body.$.a', xml)).toEqual({ error: expect.stringMatching(/^the body is not JSON \(/) });
  });

  test('a drained body is reported as a bug', () => {
    const drained = new ResponseView({ ...login.exchange, response: { ...login.exchange.response, body: null } });
    expect(readReference('response.body.$.token', drained)).toEqual({
      error: 'the response body was not kept, so the reference cannot read it (a bug: needsBody() should have asked for it)',
    });
    expect(readReference('response.status', drained)).toMatchObject({ value: 201 });
  });
});

describe('needsBody', () => {
  const assertion = (source: string): Assertion => {
    const result = parseAssertion(source);
    if ('error' in result) throw new Error(result.error);
    return result.assertion;
  };

  test('nothing reads the body: status, headers, cookies, duration, url, version, redirects', () => {
    expect(needsBody([
      assertion('status == 200'), assertion('header a exists'), assertion('cookie a exists'), assertion('duration < 5'),
      assertion('url exists'), assertion('version == 2'), assertion('redirects count == 0'),
      'response.headers.Location', 'response.status', 'request.body.$.user', 'response.cookies.SID',
    ])).toBe(false);
    expect(needsBody([])).toBe(false);
  });

  test.each(['body == x', 'body $.id == 1', 'body id == 1', 'jsonpath $.a exists', 'xpath /a exists', 'regex a(b) == b', 'bytes == 1', 'sha256 == x', 'md5 == x', 'body sha256 x'])(
    'the assertion %s reads it', (source) => {
      expect(needsBody([assertion('status == 200'), assertion(source)])).toBe(true);
    },
  );

  test.each(['response.body.$.token', 'response.body.*', 'response.body.//a'])('the reference %s reads it', (path) => {
    expect(needsBody([path])).toBe(true);
  });
});
