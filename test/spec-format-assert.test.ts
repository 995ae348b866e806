// SPEC §3 "Assertions" and §7 "Assertion spelling": each form and comparison rule against a real server.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import type { AssertionResult } from '../src/run/result.js';
import { serve, type TestServer } from './helpers/server.js';

const BODY = JSON.stringify({
  id: 3,
  code: '3',
  name: 'Ada Lovelace',
  active: true,
  nothing: null,
  tags: ['a', 'b', 'c'],
  empty: [],
  items: [{ id: 3, label: 'x' }],
  nested: { deep: { value: 1.5 } },
});
const XML = '<?xml version="1.0"?><status><id>42</id><text>hello</text></status>';

let server: TestServer;
beforeAll(async () => {
  server = await serve((request, response) => {
    if (request.url === '/xml') {
      response.writeHead(200, { 'content-type': 'application/xml' }).end(XML);
      return;
    }
    if (request.url === '/redirect') {
      response.writeHead(302, { location: '/final?x=1' }).end();
      return;
    }
    response
      .writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        etag: '"33a6"',
        'x-count': '12',
        'set-cookie': 'session=abc123; Path=/',
      })
      .end(BODY);
  });
});
afterAll(() => server.close());

/** Runs one request with one assertion and returns that assertion's result. */
async function check(assertion: string, path = '/json', vars: Record<string, string> = {}): Promise<AssertionResult> {
  const result = await run([{ file: 'a.http', text: `GET ${server.url}${path}\n\n${assertion}\n` }], { vars, processEnv: {} });
  const file = result.files[0]!;
  expect(file.error, assertion).toBeNull();
  const request = file.requests[0]!;
  expect(request.assertions, `${assertion}: ${request.error}`).toHaveLength(1);
  return request.assertions[0]!;
}

const passing = [
  // httpyac forms
  '?? status == 200',
  '?? header content-type includes json',
  '?? header content-type contains json',
  '?? body id == 3',
  '?? body items[0].id == 3',
  '?? body nested.deep.value == 1.5',
  '?? duration < 5000',
  // JSONPath proper
  '?? body $.items[0].id == 3',
  '?? body $.name == Ada Lovelace',
  '?? body $.name startsWith Ada',
  '?? body $.name endsWith Lovelace',
  '?? body $.active == true',
  '?? body $.nothing == null',
  '?? body $.id != 4',
  '?? body $.id > 2',
  '?? body $.id >= 3',
  '?? body $.id < 4',
  '?? body $.id <= 3',
  '?? body $.id isNumber',
  '?? body $.name isString',
  '?? body $.tags isArray',
  '?? body $.empty isEmpty',
  '?? body $.id exists',
  '?? body $.missing not exists',
  // typed comparison rules (§7)
  '?? header etag == "33a6"',
  '?? body $.code == "3"',
  '?? body $.code == 3',
  '?? body $.name == "Ada Lovelace"',
  '?? body $.id not == "3"',
  // not negates the predicate right after it
  '?? body $.name not contains Babbage',
  '?? status not == 404',
  // filters
  '?? body $.tags count == 3',
  '?? body $.empty count == 0',
  // patterns
  '?? body $.name matches ^Ada',
  '?? body $.name matches /^ada/i',
  '?? body $.name matches (?i)^ada',
  '?? header x-count matches ^\\d+$',
  '?? regex "name":"(\\w+) == Ada',
  '?? regex /"NAME":"(\\w+)/i == Ada',
  // other queries
  '?? cookie session == abc123',
  `?? sha256 == ${createHash('sha256').update(BODY).digest('hex')}`,
  `?? md5 == ${createHash('md5').update(BODY).digest('hex')}`,
  `?? body == ${BODY}`,
  '?? bytes count == ' + Buffer.byteLength(BODY),
  // variables in the expected value
  '?? body $.name == {{who}}',
  // the rest of the line is the expected value, predicate words and spaces included
  '?? header content-type == application/json; charset=utf-8',
  '?? body $.name != Ada contains Lovelace',
  // brackets and quotes in the query argument do not end it
  "?? body $['name'] == Ada Lovelace",
  '?? body $.items[?(@.label == "x")].id == 3',
];

describe('assertions that hold', () => {
  test.each(passing)('%s', async (assertion) => {
    const result = await check(assertion, '/json', { who: 'Ada Lovelace' });
    expect(result, JSON.stringify(result)).toMatchObject({ passed: true });
  });
});

const failing = [
  '?? status == 201',
  '?? body $.id == "3"', // a number never equals a quoted string
  '?? body $.id == 4',
  '?? body $.active == false',
  '?? body $.active == "true"',
  '?? body $.nothing == "null"',
  '?? body $.tags count == 2',
  '?? body $.name matches ^ada',
  '?? body $.name not startsWith Ada',
  '?? header etag == 33a7',
  '?? body $.id isString',
  '?? body $.missing exists',
];

describe('assertions that fail', () => {
  test.each(failing)('%s', async (assertion) => {
    const result = await check(assertion);
    expect(result, JSON.stringify(result)).toMatchObject({ passed: false });
  });
});

test('a failure reports the line, the assertion as written, the expected and the actual value', async () => {
  const result = await run([{ file: 'a.http', text: `GET ${server.url}/json\n\n?? body $.id == 4\n` }], { processEnv: {} });
  const request = result.files[0]!.requests[0]!;
  expect(request.outcome).toBe('failed');
  expect(request.assertions[0]).toMatchObject({ line: 3, text: '?? body $.id == 4', passed: false, expected: 4, actual: 3 });
  expect(result.summary.exitCode).toBe(1);
});

test('?? url is the final URL after redirects', async () => {
  const result = await check(`?? url == ${server.url}/final?x=1`, '/redirect');
  expect(result.passed).toBe(true);
});

test('?? xpath reads the XML body (httpyac form)', async () => {
  expect((await check('?? xpath /status/text == hello', '/xml')).passed).toBe(true);
  expect((await check('?? xpath /status/id == 42', '/xml')).passed).toBe(true);
  expect((await check('?? xpath /status/id == 43', '/xml')).passed).toBe(false);
});
