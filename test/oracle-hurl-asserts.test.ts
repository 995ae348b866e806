// Hurl as the oracle for what `??` queries and predicates decide. The cases come from Hurl's
// integration tests (integration/hurl/tests_ok/assert/assert_json.hurl and its server,
// tests_failed/predicate/predicate.hurl + predicate.err), from the unit tests in
// packages/hurl/src/runner/predicate.rs, value.rs and value_impl.rs, and from
// hurl.dev/docs/asserting-response.html. Each is written in httprun's spelling and run through
// the library against a real server; pass/fail is Hurl's unless a comment names the rule (SPEC §7
// or the README) under which httprun deliberately decides otherwise.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run, type AssertionResult } from '../src/index.js';
import { serve, type TestServer } from './helpers/server.js';

// tests_failed/predicate.py's body, plus the values assert_json.hurl reads.
const PREDICATE_BODY = `{
  "status": true,
  "message": "0",
  "count": 1,
  "empty": "",
  "number": 1.0,
  "list": [1, 2, 3],
  "not_a_date": "2018",
  "is_a_date": "2018-12-10T13:45:00.000Z",
  "ipv4": "127.0.0.1",
  "ipv6": "2001:db8::1"
}`;

// tests_ok/assert/assert_json.py's /assert-json body, with list_in_list and big_integer from its other routes.
const ASSERT_JSON_BODY = `{
  "count": 5,
  "success": false,
  "errors": [{"id":"error1"},{"id":"error2"}],
  "failures": [{"id":"failure1"}],
  "warnings": [],
  "message": "Bob says \\"Hello\\"",
  "duration": 1.5,
  "tags": ["test"],
  "nullable": null,
  "profile-id": "123abc",
  "dates": [
    "2022-10-31T09:00:00.594Z",
    "2024-03-20T11:23:56.773+02:00"
  ],
  "uuid": "01cc0f54-8885-4a1d-9121-ae5d316a33c5",
  "empty": {},
  "list": [1, 2, 3],
  "list_in_list": [[1, 2, 3]],
  "big_integer": 1000000000000000000000,
  "ten": "10"
}`;

// The Set-Cookie lines of hurl.dev's cookie assert example, plus one with Max-Age.
const COOKIES = [
  'LSID=DQAAAKEaem_vYg; Expires=Wed, 13 Jan 2021 22:23:01 GMT; Secure; HttpOnly; Path=/accounts; SameSite=Lax',
  'HSID=AYQEVnDKrdst; Domain=localhost; Expires=Wed, 13 Jan 2021 22:23:01 GMT; HttpOnly; Path=/',
  'SSID=Ap4PGTEq; Domain=localhost; Max-Age=3600; Secure; HttpOnly; Path=/',
];

// A UTF-8 BOM and "hello": what Hurl's `bytes startsWith hex,efbbbf;` example reads.
const BINARY = Buffer.from('efbbbf68656c6c6f', 'hex');

let server: TestServer;
beforeAll(async () => {
  server = await serve((request, response) => {
    switch (request.url) {
      case '/predicate/error/type':
        response.writeHead(200, { 'content-type': 'application/json' }).end(PREDICATE_BODY);
        return;
      case '/assert-json':
        response.writeHead(200, { 'content-type': 'application/json' }).end(ASSERT_JSON_BODY);
        return;
      case '/headers':
        response.setHeader('vary', ['User-Agent', 'Content-Type']);
        response.setHeader('x-single', 'one');
        response.setHeader('set-cookie', COOKIES);
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(BINARY);
        return;
      case '/redirect-1':
        response.writeHead(302, { location: '/redirect-2' }).end();
        return;
      case '/redirect-2':
        response.writeHead(301, { location: '/final' }).end();
        return;
      case '/not-found':
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no');
        return;
      default:
        response.writeHead(200, { 'content-type': 'text/plain' }).end('final');
    }
  });
});
afterAll(() => server.close());

/** [assertion after `??`, passes as Hurl decides, failure message] */
type Case = [string, boolean, (string | RegExp)?];

/** Runs every case against `path` as one request and checks each assertion's outcome and message. */
function oracle(path: string, table: Case[]): void {
  let results: Map<string, AssertionResult>;
  beforeAll(async () => {
    const text = `GET ${server.url}${path}\n\n${table.map(([source]) => `?? ${source}`).join('\n')}\n`;
    const result = await run([{ file: 'oracle.http', text }], { processEnv: {} });
    const file = result.files[0];
    expect(file?.error ?? null).toBeNull();
    const request = file?.requests[0];
    expect(request?.error ?? null).toBeNull();
    results = new Map((request?.assertions ?? []).map((assertion) => [assertion.text.replace(/^\?\? /, ''), assertion]));
  });
  test.each(table)('%s → %s', (source, passes, message) => {
    const outcome = results.get(source);
    expect(outcome, `no result for ${source}`).toBeDefined();
    expect(outcome?.passed, outcome?.message).toBe(passes);
    if (passes) expect(outcome?.message).toBeUndefined();
    else if (message instanceof RegExp) expect(outcome?.message).toMatch(message);
    else if (message !== undefined) expect(outcome?.message).toBe(message);
  });
}

describe('== and != compare numbers by value, and other types never equal (predicate.rs, value.rs)', () => {
  oracle('/assert-json', [
    // assert_json.hurl
    ['body $.count == 5', true],
    ['body $.count == 5.0', true],
    ['body $.count != 4', true],
    ['body $.count not == 4', true],
    ['body $.success == false', true],
    ['body $.success != null', true],
    ['body $.nullable == null', true],
    ['body $.errors[0].id == "error1"', true],
    ["body $.errors[0]['id'] == \"error1\"", true],
    ["body $.errors[?(@.id=='error1')].id == \"error1\"", true],
    ['body $.duration == 1.5', true],
    ['body $.tags[0] == "test"', true],
    ["body $['profile-id'] == \"123abc\"", true],
    ['body $.message == "Bob says \\"Hello\\""', true],
    ['body $.big_integer == 1000000000000000000000', true],
    // value.rs test_eq: a boolean never equals a string.
    ['body $.success == "false"', false, 'expected the string "false" but got the boolean false\nhint: the types differ: expected a string, got a boolean'],
    ['body $.count == 4', false, 'expected the number 4 but got the number 5'],
    ['body $.count != 5', false, 'expected anything but the number 5, and got exactly that'],
    ['body $.count not == 5', false, 'expected anything but the number 5, and got exactly that'],
  ]);
  oracle('/predicate/error/type', [
    // predicate.err lines 4-8.
    ['body $.status == "true"', false, 'expected the string "true" but got the boolean true\nhint: the types differ: expected a string, got a boolean'],
    ['body $.count == 0', false, 'expected the number 0 but got the number 1'],
    // SPEC §7: when the actual value is text, an unquoted expected value is compared as text, so
    // the string "0" equals `0` (Hurl: string <0> never equals integer <0>).
    ['body $.message == 0', true],
    ['body $.empty == 0', false, 'expected the string "0" but got the string ""'],
    ['body $.number == 1.1', false, 'expected the number 1.1 but got the number 1'],
    // predicate.rs test_predicate_value_equals_float_integer: float 1.0 == integer 1.
    ['body $.number == 1', true],
    // SPEC §7: a number never equals a quoted string.
    ['body $.count == "1"', false, 'expected the string "1" but got the number 1\nhint: a number never equals a quoted string; write 1 without quotes to compare numbers'],
  ]);
});

describe('< <= > >= order two numbers or two strings (value_impl.rs compare)', () => {
  oracle('/assert-json', [
    ['body $.count > 1', true],
    ['body $.count > 1.0', true],
    ['body $.duration <= 2.0', true],
    ['body $.duration < 2', true],
    ['body $.tags[0] > "te"', true],
    ['body $.tags[0] < "testabc"', true],
    ['body $.tags[0] <= "test"', true],
    // Strings by code point: "10" < "9".
    ['body $.ten < "9"', true],
    ['body $.count greaterThan 4', true],
    ['body $.count lessThanOrEquals 5', true],
    ['body $.count < 5', false, 'expected the number 5 to be < 5'],
    ['body $.duration > 1.5', false, 'expected the number 1.5 to be > 1.5'],
    ['body $.tags[0] > "tesu"', false, 'expected the string "test" to be > "tesu"'],
    // A number and a string cannot be ordered (Hurl: types between actual and expected are not consistent).
    ['body $.count < "5"', false, 'cannot order the number 5 against the string "5": < compares two numbers or two strings'],
    ['body $.success > 1', false, 'cannot order the boolean false against the number 1: > compares two numbers or two strings'],
    // httprun reads a numeric string as a number against a number (a Content-Length header): Hurl
    // calls "10" < 9 a type mismatch; both fail it.
    ['body $.ten < 9', false, 'expected the string "10" to be < 9'],
  ]);
});

describe('contains, startsWith, endsWith and matches (value_impl.rs)', () => {
  oracle('/assert-json', [
    ['body $.message contains "Hello"', true],
    ['body $.message startsWith "Bob"', true],
    ['body $.message endsWith "\\"Hello\\""', true],
    // contains on a list: one item equals the value (assert_json.hurl).
    ['body $.tags contains "test"', true],
    ['body $.tags not contains "prod"', true],
    ['body $.tags not contains null', true],
    ['body $.errors[*].id contains "error1"', true],
    ['body $.errors[0,1].id contains "error1"', true],
    ['body $.failures[*].id contains "failure1"', true],
    ['body $.tags contains "tes"', false, 'expected a list of 1 item ["test"] to contain the string "tes"'],
    ['body $.message contains "Alice"', false, 'expected the string "Bob says \\"Hello\\"" to contain "Alice"'],
    // matches searches anywhere unless anchored (Rust regex is_match).
    ['body $.uuid matches [0-9a-f]{4}', true],
    ['body $.uuid matches ^[0-9a-f]{8}-', true],
    ['body $.uuid matches ^[0-9a-f]{4}$', false, 'expected the string "01cc0f54-8885-4a1d-9121-ae5d316a33c5" to match /^[0-9a-f]{4}$/'],
    ['body $.uuid matches /^01CC/i', true],
    ['body $.dates[0] matches /^\\d{4}-\\d{2}-\\d{2}T/', true],
    // Hurl's `includes` is contains for lists only; httpyac's `includes` (SPEC §3:
    // `?? header content-type includes json`) is contains, so it reads text too.
    ['body $.tags includes "test"', true],
    ['body $.message includes "Hello"', true],
  ]);
  oracle('/predicate/error/type', [
    // predicate.err lines 18-21.
    ['body $.message startsWith "hi"', false, 'expected the string "0" to start with "hi"'],
    ['body $.message endsWith "hi"', false, 'expected the string "0" to end with "hi"'],
    ['body $.message contains "hi"', false, 'expected the string "0" to contain "hi"'],
    ['body $.message matches hi', false, 'expected the string "0" to match /hi/'],
    // predicate.err lines 9-13: Hurl calls startsWith/endsWith/matches/contains on an integer a type
    // mismatch; httprun reads numbers as their text there (httpyac's `?? status startsWith 20`).
    // Both fail these.
    ['body $.count startsWith "0"', false, 'expected the number 1 to start with "0"'],
    ['body $.count endsWith "0"', false, 'expected the number 1 to end with "0"'],
    ['body $.count matches hi', false, 'expected the number 1 to match /hi/'],
    ['body $.count contains "foo"', false, 'expected the number 1 to contain "foo"'],
  ]);
});

describe('exists, and a query that matches nothing (predicate.rs eval_exist)', () => {
  oracle('/assert-json', [
    ['body $.success exists', true],
    // A JSONPath that matches null exists; one that matches nothing does not.
    ['body $.nullable exists', true],
    ['body $.warnings exists', true],
    ['body $.errors[0] exists', true],
    ['body $.toto not exists', true],
    ["body $.errors[?(@.id=='nope')] not exists", true],
    // assert_json.hurl list-in-list: an integer cannot be indexed.
    ['body $.list[*][0] not exists', true],
    ['body $.toto exists', false, 'body $.toto matched nothing'],
    ['body $.nullable not exists', false, 'expected body $.nullable not to exist, but got null'],
  ]);
  oracle('/predicate/error/type', [
    // predicate.err lines 29-30, 32-36, 38, 43-50.
    ['body $.message not exists', false, 'expected body $.message not to exist, but got the string "0"'],
    ['body $.not_exist == 2', false, 'body $.not_exist matched nothing, so there is no value to check against "== 2"'],
    ['body $.not_exist > 3', false, 'body $.not_exist matched nothing, so there is no value to check against "> 3"'],
    ['body $.not_exist <= 1', false, 'body $.not_exist matched nothing, so there is no value to check against "<= 1"'],
    ['body $.not_exist startsWith "foo"', false, 'body $.not_exist matched nothing, so there is no value to check against "startsWith "foo""'],
    ['body $.not_exist matches /foo/', false, 'body $.not_exist matched nothing, so there is no value to check against "matches /foo/"'],
    ['body $.not_exist isInteger', false, 'body $.not_exist matched nothing, so there is no value to check against "isInteger"'],
    ['body $.not_exist isCollection', false, 'body $.not_exist matched nothing, so there is no value to check against "isCollection"'],
    ['body $.not_exist isEmpty', false, 'body $.not_exist matched nothing, so there is no value to check against "isEmpty"'],
    ['body $.not_exist exists', false, 'body $.not_exist matched nothing'],
    // predicate.err line 37: a filter has no value to apply to.
    ['body $.not_exist count == 1', false, 'body $.not_exist count matched nothing, so there is no value to check against "== 1"'],
  ]);
});

describe('type predicates (value_impl.rs is_*)', () => {
  oracle('/assert-json', [
    ['body $.success isBoolean', true],
    ['body $.errors isList', true],
    ['body $.errors isCollection', true],
    ['body $.errors not isObject', true],
    ['body $.errors[0] not isList', true],
    ['body $.errors[0] isCollection', true],
    ['body $.errors[0] isObject', true],
    ['body $.errors[0].id isString', true],
    ['body $.duration isFloat', true],
    ['body $.duration isNumber', true],
    ['body $.duration not isInteger', true],
    ['body $.count isInteger', true],
    ['body $.count not isFloat', true],
    ['body $.big_integer isInteger', true],
    ['body $.tags[0] not isNumber', true],
    ['body $.uuid isUuid', true],
    ['body $.nullable isNull', true],
    ['body $.count isString', false, 'expected a string, got the number 5'],
    ['body $.message isBoolean', false, 'expected a boolean, got the string "Bob says \\"Hello\\""'],
    ['body $.empty isList', false, 'expected a list, got an object {}'],
    ['body $.tags isObject', false, 'expected an object, got a list of 1 item ["test"]'],
    ['body $.count isCollection', false, 'expected a collection (a list or an object), got the number 5'],
    ['body $.duration isInteger', false, 'expected an integer, got the number 1.5'],
  ]);
  oracle('/predicate/error/type', [
    // predicate.err line 57.
    ['body $.not_a_date isNumber', false, 'expected a number, got the string "2018"'],
    ['body $.ipv4 isIpv4', true],
    ['body $.ipv6 isIpv6', true],
    // predicate.err lines 58-63.
    ['body $.is_a_date isIpv4', false, 'expected an IPv4 address, got the string "2018-12-10T13:45:00.000Z"'],
    ['body $.ipv4 isIpv6', false, 'expected an IPv6 address, got the string "127.0.0.1"'],
    ['body $.ipv4 not isIpv4', false, 'expected anything but an IPv4 address, got the string "127.0.0.1"'],
    ['body $.ipv6 isIpv4', false, 'expected an IPv4 address, got the string "2001:db8::1"'],
    ['body $.ipv6 not isIpv6', false, 'expected anything but an IPv6 address, got the string "2001:db8::1"'],
    ['body $.message isUuid', false, 'expected a UUID, got the string "0"'],
  ]);
});

describe('isIsoDate (value_impl.rs is_iso_date)', () => {
  oracle('/assert-json', [
    ['body $.dates[0] isIsoDate', true],
    ['body $.dates[1] isIsoDate', true],
    ['body $.tags[0] not isIsoDate', true],
  ]);
  oracle('/predicate/error/type', [
    // predicate.err lines 25, 55, 56.
    ['body $.message isIsoDate', false, 'expected an ISO 8601 date (2024-05-01 or 2024-05-01T12:00:00Z), got the string "0"'],
    ['body $.not_a_date isIsoDate', false, 'expected an ISO 8601 date (2024-05-01 or 2024-05-01T12:00:00Z), got the string "2018"'],
    ['body $.is_a_date not isIsoDate', false, 'expected anything but an ISO 8601 date (2024-05-01 or 2024-05-01T12:00:00Z), got the string "2018-12-10T13:45:00.000Z"'],
  ]);
});

describe('isEmpty and count (value_impl.rs count)', () => {
  oracle('/assert-json', [
    ['body $.warnings isEmpty', true],
    ['body $.empty isEmpty', true],
    ['body $.errors[0] not isEmpty', true],
    ['body $.errors count == 2', true],
    ['body $.failures count == 1', true],
    ['body $.warnings count == 0', true],
    ['body $.* count == 17', true],
    ['body $.errors..* count == 4', true],
    ['body $..id count == 3', true],
    ['body $.errors[:2].id count == 2', true],
    ['body $.errors[0:].id count == 2', true],
    ['body $.list count == 3', true],
    ['body $.list[*] count == 3', true],
    ['body $.list_in_list count == 1', true],
    ['body $.list_in_list[0] count == 3', true],
    // assert_json.hurl list-in-list: one match, the list [1, 2, 3].
    ['body $.list_in_list[*] count == 3', true],
    ['body $.errors[?(@.id==\'error2\')] count == 1', true],
    ['body $.list_in_list[0][0] == 1', true],
    ['body $.list_in_list[*][0] == 1', true],
    ["body $.errors[?(@.id)].id nth 0 == \"error1\"", true],
    ['body $.tags isEmpty', false, 'expected empty (an empty string, list or object), got a list of 1 item ["test"]'],
  ]);
  oracle('/predicate/error/type', [
    // predicate.err lines 23 and 31.
    ['body $.message isEmpty', false, 'expected empty (an empty string, list or object), got the string "0"'],
    ['body $.empty isEmpty', true],
    ['body $.list count == 2', false, 'expected the number 2 but got the number 3'],
    ['body $.count isEmpty', false, 'expected empty (an empty string, list or object), got the number 1'],
    // README (filters): count also gives the length of a string; Hurl's count filter refuses a string
    // (predicate.err line 24: invalid filter input: string).
    ['body $.message count == 1', true],
  ]);
});

describe('status, duration and url (query.rs)', () => {
  oracle('/not-found', [
    ['status == 404', true],
    ['status != 200', true],
    ['status not == 200', true],
    ['status >= 400', true],
    ['status not < 400', true],
    ['status isInteger', true],
    ['status == 200', false, 'expected the number 200 but got the number 404'],
    ['status not == 404', false, 'expected anything but the number 404, and got exactly that'],
    ['status not >= 400', false, 'expected the number 404 not to be >= 400'],
    ['status count == 1', false, 'status count: count needs a list, got the number 404'],
    ['duration < 10000', true],
    ['duration >= 0', true],
    ['duration isInteger', true],
    ['duration not > 60000', true],
    ['duration > 60000', false, /^expected the number \d+ to be > 60000$/],
    ['url endsWith /not-found', true],
    ['url matches ^http://127\\.0\\.0\\.1:\\d+/not-found$', true],
    ['url isString', true],
  ]);
});

describe('redirects and url after them (query.rs eval_redirects)', () => {
  oracle('/redirect-1', [
    ['redirects count == 2', true],
    ['redirects nth 0 location endsWith /redirect-2', true],
    ['redirects nth 1 location endsWith /final', true],
    ['url endsWith /final', true],
    ['url not contains redirect', true],
    ['status == 200', true],
    ['redirects count == 1', false, 'expected the number 1 but got the number 2'],
    ['redirects isList', true],
    ['redirects not isEmpty', true],
  ]);
  oracle('/redirect-2', [
    // One hop is still a list.
    ['redirects isList', true],
    ['redirects count == 1', true],
    ['redirects nth 0 location endsWith /final', true],
  ]);
  oracle('/final', [
    ['redirects count == 0', true],
    ['redirects isEmpty', true],
    ['redirects isList', true],
    ['redirects == []', true],
    ['redirects not isEmpty', false, 'expected anything but empty (an empty string, list or object), got a list of 0 items []'],
  ]);
});

describe('header: one value is a string, several are a list (query.rs eval_query_header)', () => {
  oracle('/headers', [
    // hurl.dev: duplicated headers make `header` return a collection.
    ['header vary count == 2', true],
    ['header Vary contains User-Agent', true],
    ['header VARY contains Content-Type', true],
    ['header vary not contains Accept', true],
    ['header vary nth 1 == Content-Type', true],
    ['header vary isList', true],
    ['header x-single == one', true],
    ['header x-single isString', true],
    ['header x-single startsWith on', true],
    ['header x-none not exists', true],
    ['header vary == User-Agent', false, 'expected the string "User-Agent" but got a list of 2 items ["User-Agent","Content-Type"]\nhint: a list is compared with JSON; write the expected value as JSON (e.g. ["a", "b"])'],
    ['header x-none exists', false, 'header x-none matched nothing'],
    ['header x-none == one', false, 'header x-none matched nothing, so there is no value to check against "== one"'],
  ]);
});

describe('cookie attributes (query.rs eval_cookie_attribute_name; hurl.dev cookie assert)', () => {
  oracle('/headers', [
    ['cookie "LSID" == "DQAAAKEaem_vYg"', true],
    ['cookie "LSID[Value]" == "DQAAAKEaem_vYg"', true],
    ['cookie LSID == DQAAAKEaem_vYg', true],
    ['cookie "LSID[Expires]" exists', true],
    ['cookie "LSID[expires]" exists', true],
    ['cookie "LSID[Max-Age]" not exists', true],
    ['cookie "LSID[Domain]" not exists', true],
    ['cookie "LSID[Path]" == "/accounts"', true],
    ['cookie "LSID[Secure]" exists', true],
    ['cookie "LSID[HttpOnly]" exists', true],
    ['cookie "LSID[SameSite]" == "Lax"', true],
    ['cookie "LSID[SameSite]" equals "Lax"', true],
    ['cookie "HSID[Secure]" not exists', true],
    ['cookie "HSID[Domain]" == "localhost"', true],
    ['cookie "SSID[Max-Age]" == 3600', true],
    ['cookie "SSID[Max-Age]" isInteger', true],
    ['cookie "SSID[Expires]" not exists', true],
    // hurl.dev filters: the date an Expires attribute gives, formatted.
    ['cookie "LSID[Expires]" format "%a, %d %b %Y %H:%M:%S" == "Wed, 13 Jan 2021 22:23:01"', true],
    ['cookie "LSID[Expires]" dateFormat "%Y" == 2021', true],
    // README: cookie dates are ISO 8601 text (Hurl gives a date, which contains cannot read either:
    // hurl.dev's `contains "Wed, 13 Jan 2021"` example predates that).
    ['cookie "LSID[Expires]" == 2021-01-13T22:23:01.000Z', true],
    ['cookie "LSID[Expires]" contains "Wed, 13 Jan 2021"', false, 'expected the string "2021-01-13T22:23:01.000Z" to contain "Wed, 13 Jan 2021"'],
    ['cookie "LSID[Path]" == "/"', false, 'expected the string "/" but got the string "/accounts"'],
    ['cookie "HSID[Secure]" exists', false, 'cookie "HSID[Secure]" matched nothing'],
    ['cookie "nope" exists', false, 'cookie "nope" matched nothing'],
  ]);
});

describe('bytes, sha256 and md5 (query.rs)', () => {
  oracle('/headers', [
    ['bytes count == 8', true],
    // README: `?? bytes == 1234` is the body's length.
    ['bytes == 8', true],
    ['bytes toHex == efbbbf68656c6c6f', true],
    ['bytes decode "utf-8" endsWith hello', true],
    [`sha256 == ${sha('sha256')}`, true],
    [`md5 == ${sha('md5')}`, true],
    ['bytes count == 9', false, 'expected the number 9 but got the number 8'],
  ]);
});

function sha(algorithm: 'sha256' | 'md5'): string {
  return createHash(algorithm).update(BINARY).digest('hex');
}

describe('a predicate that cannot apply to the type fails with not too (predicate.rs: type_mismatch ignores not)', () => {
  oracle('/predicate/error/type', [
    // predicate.err lines 12, 14-17 with `not`: Hurl reports the type mismatch either way.
    ['body $.count not isEmpty', false, 'isEmpty needs a string, list, object or bytes, got the number 1'],
    ['body $.count not isIsoDate', false, 'isIsoDate needs a string, got the number 1'],
    ['body $.count not isIpv4', false, 'isIpv4 needs a string, got the number 1'],
    ['body $.count not isIpv6', false, 'isIpv6 needs a string, got the number 1'],
    ['body $.count not isUuid', false, 'isUuid needs a string, got the number 1'],
    ['body $.count isUuid', false, 'expected a UUID, got the number 1'],
    ['body $.status not < "5"', false, 'cannot order the boolean true against the string "5": < compares two numbers or two strings'],
    ['body $.count not < "5"', false, 'cannot order the number 1 against the string "5": < compares two numbers or two strings'],
    ['body $.list not matches x', false, 'matches needs text, got a list of 3 items [1,2,3]'],
    ['body $.list not startsWith 1', false, 'startsWith needs text, got a list of 3 items [1,2,3]'],
    // A type predicate proper (isString, isNumber ...) judges any value: not holds.
    ['body $.count not isString', true],
    ['body $.list not isEmpty', true],
    ['body $.message not isUuid', true],
    // httprun reads a number as its text for startsWith/contains/matches (httpyac's
    // `?? status startsWith 20`), so these hold where Hurl reports a type mismatch.
    ['body $.count not startsWith "0"', true],
    ['body $.count not contains "foo"', true],
  ]);
  oracle('/assert-json', [
    ['body $.empty not contains x', false, 'contains needs text or a list, got an object {}'],
    ['body $.nullable not isIpv4', false, 'isIpv4 needs a string, got null'],
    ['body $.empty not endsWith x', false, 'endsWith needs text, got an object {}'],
  ]);
});

describe('not on a query that matched nothing holds (predicate.rs: no value, success false)', () => {
  oracle('/predicate/error/type', [
    ['body $.not_exist not == 2', true],
    ['body $.not_exist not isEmpty', true],
    ['body $.not_exist not isInteger', true],
    ['body $.not_exist not startsWith "foo"', true],
    ['body $.not_exist not exists', true],
    // != is its own predicate, and no value is unequal to nothing either.
    ['body $.not_exist != 2', false, 'body $.not_exist matched nothing, so there is no value to check against "!= 2"'],
    // Filters given nothing are an error in Hurl ("missing value to apply filter"), with not too.
    ['body $.not_exist count not == 1', false, 'body $.not_exist count matched nothing before its filters, so they had nothing to read and "not == 1" cannot be checked'],
    ['body $.not_exist count not exists', false, 'body $.not_exist count matched nothing before its filters, so they had nothing to read and "not exists" cannot be checked'],
    // A filter that finds nothing (here no capture) leaves no value, and not holds.
    ['body $.message regex "(x)" not == x', true],
  ]);
  oracle('/headers', [
    ['header x-debug not contains secret', true],
    ['cookie "LSID[Max-Age]" not > 0', true],
  ]);
});

describe('bytes: predicates that read bytes get the body (hurl.dev bytes assert)', () => {
  oracle('/headers', [
    ['bytes startsWith hex,efbbbf;', true],
    ['bytes startsWith efbbbf', true],
    ['bytes endsWith hex,6c6f;', true],
    ['bytes contains base64,aGVsbG8=;', true],
    ['bytes == hex,efbbbf68656c6c6f;', true],
    ['bytes != hex,00;', true],
    ['bytes isCollection', true],
    ['bytes isList', true],
    ['bytes not isEmpty', true],
    ['bytes not startsWith hex,00;', true],
    ['bytes startsWith hex,00;', false, 'expected the bytes efbbbf68656c6c6f (8 bytes, in hex) to start with 00'],
    ['bytes == hex,00;', false, 'expected the bytes 00 (1 byte, in hex) but got the bytes efbbbf68656c6c6f (8 bytes, in hex)'],
    ['bytes contains hello', false, 'the bytes efbbbf68656c6c6f (8 bytes, in hex) can only contain bytes; write them as hex (efbbbf), hex,efbbbf; or base64,77u/;'],
    // README: compared with a number, bytes is the body's length.
    ['bytes > 4', true],
  ]);
  oracle('/final', [
    ['bytes count == 5', true],
    ['bytes startsWith hex,66696e;', true],
  ]);
});

describe('sha256 and md5 compared with Hurl bytes literals (query.rs: digests are bytes)', () => {
  oracle('/headers', [
    [`sha256 == hex,${sha('sha256')};`, true],
    [`md5 == hex,${sha('md5')};`, true],
    [`sha256 == base64,${Buffer.from(sha('sha256'), 'hex').toString('base64')};`, true],
    [`sha256 startsWith hex,${sha('sha256').slice(0, 4)};`, true],
    ['md5 != hex,00;', true],
    ['md5 == hex,00;', false, `expected the bytes 00 (1 byte, in hex) but got the bytes ${sha('md5')} (16 bytes, in hex)`],
    // README: written as plain hex, a digest is its lowercase hex text.
    ['md5 isString', true],
  ]);
});

describe('matches with a quoted pattern (hurl.dev: matches "^\\\\d{4}")', () => {
  oracle('/assert-json', [
    ['body $.message matches "^Bob says"', true],
    ['body $.dates[0] matches "^\\\\d{4}-\\\\d{2}-\\\\d{2}T"', true],
    ['body $.uuid matches "^01cc"', true],
    ['body $.message matches "^says"', false, 'expected the string "Bob says \\"Hello\\"" to match /^says/'],
  ]);
});
