import { beforeAll, describe, expect, test } from 'vitest';
import { evaluateAssertion, type AssertionOutcome } from '../src/assert/evaluate-assertion.js';
import { parseAssertion } from '../src/assert/parse-assertion.js';
import { ResponseView } from '../src/assert/response-view.js';
import { answer, fetchExchange } from './helpers/fetch-exchange.js';

const baseDir = 'test/fixtures/assert';

function check(view: ResponseView, source: string): AssertionOutcome {
  const parsed = parseAssertion(source);
  if ('error' in parsed) throw new Error(`${source}: ${parsed.error}`);
  return evaluateAssertion(parsed.assertion, view, { baseDir });
}

/** [assertion, passes?, failure message (when it fails)] */
type Case = [string, boolean, (string | RegExp)?];

function cases(getView: () => ResponseView, table: Case[]): void {
  test.each(table)('%s → %s', (source, passes, message) => {
    const outcome = check(getView(), source);
    expect(outcome.passed).toBe(passes);
    if (passes) expect(outcome.message).toBeUndefined();
    else if (message instanceof RegExp) expect(outcome.message).toMatch(message);
    else expect(outcome.message).toBe(message);
  });
}

function expectCases(view: ResponseView, table: Case[]): void {
  for (const [source, passes, message] of table) {
    const outcome = check(view, source);
    expect([source, outcome.passed]).toEqual([source, passes]);
    if (message instanceof RegExp) expect(outcome.message).toMatch(message);
    else expect([source, outcome.message]).toEqual([source, message]);
  }
}

const JSON_BODY = `{"id": 3, "code": "3", "big": 12345678901234567890, "name": "Ada Lovelace", "price": 9.5,
"active": true, "deleted": null, "tags": ["a", "b", "c"], "empty": [], "emptyText": "", "meta": {},
"created": "2024-05-01T12:30:00Z", "uuid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
"items": [{"id": 1, "name": "a", "price": 5}, {"id": 2, "name": "b", "price": 15}],
"content-type": "x", "long": "${'x'.repeat(300)}"}`;

let json: ResponseView;
beforeAll(async () => {
  json = new ResponseView(await fetchExchange(answer(200, {
    'content-type': 'application/json; charset=utf-8',
    'x-multi': ['one', 'two'],
    etag: '"33a6"',
    'content-language': 'en',
    'set-cookie': [
      'SID=abc123; Path=/app; Domain=127.0.0.1; Max-Age=3600; Secure; HttpOnly; SameSite=Lax; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
      'theme=dark',
      'theme=light',
    ],
  }, JSON_BODY)));
});

describe('status', () => {
  cases(() => json, [
    ['status == 200', true],
    ['status == 201', false, 'expected the number 201 but got the number 200'],
    ['status != 201', true],
    ['status != 200', false, 'expected anything but the number 200, and got exactly that'],
    ['status not == 200', false, 'expected anything but the number 200, and got exactly that'],
    ['status == "200"', false, 'expected the string "200" but got the number 200\nhint: a number never equals a quoted string; write 200 without quotes to compare numbers'],
    ['status == OK', false, 'expected the string "OK" but got the number 200\nhint: the types differ: expected a string, got a number'],
    ['status equals 200', true],
    ['status < 300', true],
    ['status < 100', false, 'expected the number 200 to be < 100'],
    ['status <= 200', true],
    ['status > 199', true],
    ['status >= 201', false, 'expected the number 200 to be >= 201'],
    ['status not < 300', false, 'expected the number 200 not to be < 300'],
    ['status startsWith 20', true],
    ['status endsWith 1', false, 'expected the number 200 to end with "1"'],
    ['status isNumber', true],
    ['status isString', false, 'expected a string, got the number 200'],
    ['status not isNumber', false, 'expected anything but a number, got the number 200'],
  ]);
});

describe('header', () => {
  cases(() => json, [
    ['header Content-Type includes json', true],
    ['header CONTENT-TYPE contains xml', false, 'expected the string "application/json; charset=utf-8" to contain "xml"'],
    ['header content-type not includes json', false, 'expected the string "application/json; charset=utf-8" not to include "json"'],
    ['header "Content-Language" == en', true],
    ['header x-multi == ["one","two"]', true],
    ['header x-multi count == 2', true],
    ['header x-multi contains two', true],
    ['header x-multi contains three', false, 'expected a list of 2 items ["one","two"] to contain the string "three"'],
    ['header x-multi == one', false, 'expected the string "one" but got a list of 2 items ["one","two"]\nhint: a list is compared with JSON; write the expected value as JSON (e.g. ["a", "b"])'],
    ['header x-multi first == one', true],
    ['header etag == "33a6"', true],
    ['header etag == 33a6', false, 'expected the string "33a6" but got the string "\\"33a6\\""'],
    ['header x-none exists', false, 'header x-none matched nothing'],
    ['header x-none not exists', true],
    ['header content-type not exists', false, 'expected header content-type not to exist, but got the string "application/json; charset=utf-8"'],
    ['header x-none == 1', false, 'header x-none matched nothing, so there is no value to check against "== 1"'],
  ]);
});

describe('cookie and its attributes', () => {
  cases(() => json, [
    ['cookie SID == abc123', true],
    ['cookie "SID[Value]" == abc123', true],
    ['cookie SID == abc', false, 'expected the string "abc" but got the string "abc123"'],
    ['cookie SID[Max-Age] == 3600', true],
    ['cookie SID[max-age] > 4000', false, 'expected the number 3600 to be > 4000'],
    ['cookie SID[Domain] == 127.0.0.1', true],
    ['cookie SID[Path] == /app', true],
    ['cookie SID[Secure] exists', true],
    ['cookie SID[Secure] == true', true],
    ['cookie SID[HttpOnly] exists', true],
    ['cookie SID[SameSite] == Lax', true],
    ['cookie SID[Expires] == 2026-10-21T07:28:00.000Z', true],
    ['cookie SID[Expires] isIsoDate', true],
    ['cookie SID[Expires] dateFormat "%a, %d %b %Y" == Wed, 21 Oct 2026', true],
    ['cookie SID[Expires] daysAfterNow isInteger', true],
    ['cookie SID[Expires] toDate "%+" daysBeforeNow isInteger', true],
    ['cookie SID[Value] daysAfterNow isInteger', false, /^cookie SID\[Value\] daysAfterNow: daysAfterNow needs a date, got the string "abc123"/],
    ['cookie theme == light', true],
    ['cookie theme[HttpOnly] not exists', true],
    ['cookie theme[Secure] exists', false, 'cookie theme[Secure] matched nothing'],
    ['cookie theme[Max-Age] exists', false, 'cookie theme[Max-Age] matched nothing'],
    ['cookie nope exists', false, 'cookie nope matched nothing'],
    ['cookie nope not exists', true],
  ]);
});

describe('body as JSON (JSONPath and httpyac property paths)', () => {
  cases(() => json, [
    ['body $.id == 3', true],
    ['jsonpath $.id == 3', true],
    ['body id == 3', true],
    ['body id == 4', false, 'expected the number 4 but got the number 3'],
    ['body $.id == "3"', false, 'expected the string "3" but got the number 3\nhint: a number never equals a quoted string; write 3 without quotes to compare numbers'],
    ['body $.id == 3.0', true],
    ['body $.code == 3', true],
    ['body $.code == "3"', true],
    ['body $.code == 4', false, 'expected the string "4" but got the string "3"'],
    ['body $.big == 12345678901234567890', true],
    ['body big == 12345678901234567890', true],
    ['body $.big == 12345678901234567891', false, 'expected the number 12345678901234567891 but got the number 12345678901234567890'],
    ['body $.big > 12345678901234567889', true],
    ['body $.big < 12345678901234567890', false, 'expected the number 12345678901234567890 to be < 12345678901234567890'],
    ['body $.active == true', true],
    ['body $.active == false', false, 'expected the boolean false but got the boolean true'],
    ['body $.active == yes', false, 'expected the string "yes" but got the boolean true\nhint: the types differ: expected a string, got a boolean'],
    ['body $.deleted == null', true],
    ['body $.deleted == 0', false, 'expected the number 0 but got null\nhint: the types differ: expected a number, got null'],
    ['body items[1].name == b', true],
    ['body items[0].name == b', false, 'expected the string "b" but got the string "a"'],
    ["body ['content-type'] == x", true],
    ["body 'content-type' == x", true],
    ['body $.tags == ["a","b","c"]', true],
    ['body $.tags == ["a","b"]', false, 'the JSON differs from the expected value in 1 place:\n  $[2]: not expected, got "c"'],
    ['body $.items == [{"id":1,"name":"a","price":5},{"id":3,"name":"b","extra":1}]', false,
      'the JSON differs from the expected value in 3 places:\n  $[1].id: expected 3, got 2\n  $[1].extra: expected 1, got nothing\n  $[1].price: not expected, got 15'],
    ['body $.items[0] == {"id":"1","name":"a","price":5}', false, 'the JSON differs from the expected value in 1 place:\n  $.id: expected the string "1", got the number 1'],
    ['body $.items[0] == not json', false, 'expected the string "not json" but got an object {"id":1,"name":"a","price":5}\nhint: an object is compared with JSON; write the expected value as JSON (e.g. {"id": 1})'],
    ['body $.tags contains b', true],
    ['body $.tags contains z', false, 'expected a list of 3 items ["a","b","c"] to contain the string "z"'],
    ['body $.items[*].id contains 2', true],
    ['body $.items[?@.price > 10].name == b', true],
    ['body $.items[*].id == [1,2]', true],
    ['body $..name == ["Ada Lovelace","a","b"]', true],
    ['body $.tags[0:2] == ["a","b"]', true],
    ['body $.nope == 1', false, 'body $.nope matched nothing, so there is no value to check against "== 1"'],
    ['body $.nope exists', false, 'body $.nope matched nothing'],
    ['body $.nope not exists', true],
    // As in Hurl: nothing is not empty either (test/oracle-hurl-asserts.test.ts).
    ['body $.nope not isEmpty', true],
    ['body $.nope isEmpty', false, 'body $.nope matched nothing, so there is no value to check against "isEmpty"'],
    ['body $.id exists', true],
    ['body $.long == short', false, `expected the string "short" but got the string "${'x'.repeat(199)}… (truncated, 302 characters in all)`],
  ]);

  test('big integers stay exact in expected and actual (JSON-safe: their digits)', () => {
    expect(check(json, 'body $.big == 12345678901234567890')).toEqual({
      passed: true, expected: '12345678901234567890', actual: '12345678901234567890',
    });
  });

  test('a failed structural comparison reports both values', () => {
    const outcome = check(json, 'body $.tags == ["a"]');
    expect(outcome).toMatchObject({ passed: false, expected: ['a'], actual: ['a', 'b', 'c'] });
    expect(outcome.message).toBe('the JSON differs from the expected value in 2 places:\n  $[1]: not expected, got "b"\n  $[2]: not expected, got "c"');
  });

  test('a long actual value is cut in the report, with a note', async () => {
    const view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain' }, 'y'.repeat(5000))));
    const outcome = check(view, 'body contains z');
    expect(outcome.actual).toBe(`${'y'.repeat(4096)}… (truncated, 5000 characters in all)`);
    expect(outcome.message).toBe(`expected the string "${'y'.repeat(199)}… (truncated, 5002 characters in all) to contain "z"`);
  });
});

describe('filters', () => {
  cases(() => json, [
    ['body $.tags count == 3', true],
    ['body $.tags count == 2', false, 'expected the number 2 but got the number 3'],
    ['body tags length == 3', true],
    ['body $.items[*].name count == 2', true],
    ['body $.items[?@.price > 100] count == 0', true],
    ['body $.meta count == 0', true],
    ['body $.id count == 1', false, 'body $.id count: count needs a list, got the number 3'],
    ['body $.tags first == a', true],
    ['body $.tags last == c', true],
    ['body $.tags nth 1 == b', true],
    ['body $.tags nth 7 == b', false, 'body $.tags nth 7: the list has only 3 items'],
    ['body $.name first == A', false, 'body $.name first: first needs a list, got the string "Ada Lovelace"'],
    ['body $.code toInt == 3', true],
    ['body $.code toFloat < 3.5', true],
    ['body $.id toString == "3"', true],
    ['body $.name toInt == 3', false, 'body $.name toInt: cannot convert the string "Ada Lovelace" to an integer'],
    ['body $.name toFloat == 3', false, 'body $.name toFloat: cannot convert the string "Ada Lovelace" to a number'],
    ['bytes count > 100', true],
  ]);
});

describe('text predicates', () => {
  cases(() => json, [
    ['body $.name contains Love', true],
    ['body $.name contains "Love"', true],
    ['body $.name startsWith Ada', true],
    ['body $.name startsWith Lady', false, 'expected the string "Ada Lovelace" to start with "Lady"'],
    ['body $.name not startsWith Ada', false, 'expected the string "Ada Lovelace" not to start with "Ada"'],
    ['body $.name endsWith Lovelace', true],
    ['body $.name endsWith Byron', false, 'expected the string "Ada Lovelace" to end with "Byron"'],
    ['body $.name matches ^Ada', true],
    ['body $.name matches /^ada/i', true],
    ['body $.name matches (?i)^ADA', true],
    ['body $.name matches ^\\d+$', false, 'expected the string "Ada Lovelace" to match /^\\d+$/'],
    ['body $.name not matches ^Ada', false, 'expected the string "Ada Lovelace" not to match /^Ada/'],
    ['body $.id matches ^\\d$', true],
    ['body $.tags matches a', false, 'matches needs text, got a list of 3 items ["a","b","c"]'],
    ['body $.meta contains a', false, 'contains needs text or a list, got an object {}'],
    ['body $.tags startsWith a', false, 'startsWith needs text, got a list of 3 items ["a","b","c"]'],
    ['body $.name > Ab', true],
    ['body $.name < Ab', false, 'expected the string "Ada Lovelace" to be < "Ab"'],
    ['body $.active < 3', false, 'cannot order the boolean true against the number 3: < compares two numbers or two strings'],
    ['body $.price < 10', true],
    ['body $.price >= 10', false, 'expected the number 9.5 to be >= 10'],
  ]);
});

describe('type predicates', () => {
  cases(() => json, [
    ['body $.id isNumber', true],
    ['body $.big isNumber', true],
    ['body $.name isNumber', false, 'expected a number, got the string "Ada Lovelace"'],
    ['body $.id isInteger', true],
    ['body $.big isInteger', true],
    ['body $.price isInteger', false, 'expected an integer, got the number 9.5'],
    ['body $.price isFloat', true],
    ['body $.id isFloat', false, 'expected a number with a fraction, got the number 3'],
    ['body $.name isString', true],
    ['body $.id isString', false, 'expected a string, got the number 3'],
    ['body $.active isBoolean', true],
    ['body $.code isBoolean', false, 'expected a boolean, got the string "3"'],
    ['body $.tags isArray', true],
    ['body $.tags isList', true],
    ['body $.meta isArray', false, 'expected a list, got an object {}'],
    ['body $.meta isObject', true],
    ['body $.tags isObject', false, 'expected an object, got a list of 3 items ["a","b","c"]'],
    ['body $.deleted isNull', true],
    ['body $.id isNull', false, 'expected null, got the number 3'],
    ['body $.empty isEmpty', true],
    ['body $.meta isEmpty', true],
    ['body $.emptyText isEmpty', true],
    ['body $.tags isEmpty', false, 'expected empty (an empty string, list or object), got a list of 3 items ["a","b","c"]'],
    ['body $.tags not isEmpty', true],
    ['body $.created isIsoDate', true],
    ['body $.name isIsoDate', false, 'expected an ISO 8601 date (2024-05-01 or 2024-05-01T12:00:00Z), got the string "Ada Lovelace"'],
    ['body $.uuid isUuid', true],
    ['body $.name isUuid', false, 'expected a UUID, got the string "Ada Lovelace"'],
    ['body $.active isTrue', true],
    ['body $.deleted isTrue', false, 'expected truthy (not false, 0, "" or null), got null'],
    ['body $.emptyText isFalse', true],
    ['body $.name isFalse', false, 'expected falsy (false, 0, "" or null), got the string "Ada Lovelace"'],
  ]);
});

describe('matchesSchema (ajv, path relative to the base directory)', () => {
  cases(() => json, [
    ['body matchesSchema ./user.schema.json', true],
    ['body $.items[0] matchesSchema ./user.schema.json', false,
      "expected the value to match the schema ./user.schema.json, but it breaks 1 rule:\n  $: must have required property 'created'"],
    ['body $.tags[0] matchesSchema ./tag.schema.json', true],
    ['body $.emptyText matchesSchema ./tag.schema.json', false, 'expected the value to match the schema ./tag.schema.json, but it breaks 1 rule:\n  $: must NOT have fewer than 1 characters'],
    ['body not matchesSchema ./user.schema.json', false, 'expected the value not to match the schema ./user.schema.json, but it does'],
    ['body matchesSchema ./broken.schema.json', false, 'the schema ./broken.schema.json is not valid JSON (Unexpected end of JSON input)'],
    ['body matchesSchema ./missing.schema.json', false, `cannot read the schema ./missing.schema.json (looked for ${process.cwd()}/test/fixtures/assert/missing.schema.json)`],
  ]);

  test('every broken rule is listed, with its JSON path', () => {
    const outcome = check(json, 'body $.items[0] matchesSchema ./strict.schema.json');
    expect(outcome.message).toBe([
      'expected the value to match the schema ./strict.schema.json, but it breaks 4 rules:',
      "  $: must have required property 'email'",
      '  $: must NOT have additional properties (name)',
      '  $: must NOT have additional properties (price)',
      '  $.id: must be string',
    ].join('\n'));
  });

  test('a schema that is not a JSON Schema says so', () => {
    expect(check(json, 'body matchesSchema ./invalid.schema.json').message).toMatch(/^the schema \.\/invalid\.schema\.json is not a valid JSON Schema \(schema is invalid: data\/type must be/);
  });
});

describe('digests, bytes, url, version, duration', () => {
  cases(() => json, [
    ['bytes > 100', true],
    ['bytes == 1', false, `expected the number 1 but got the number ${Buffer.byteLength(JSON_BODY)}`],
    ['sha256 matches ^[0-9a-f]{64}$', true],
    ['md5 matches ^[0-9a-f]{32}$', true],
    ['url startsWith http://127.0.0.1:', true],
    ['url endsWith /other', false, /^expected the string "http:\/\/127\.0\.0\.1:\d+\/" to end with "\/other"$/],
    ['version == 1.1', true],
    ['version == 2', false, 'expected the string "2" but got the string "1.1"'],
    ['duration < 10000', true],
    ['duration isInteger', true],
    ['redirects count == 0', true],
  ]);
});

describe('other bodies: text, charsets, XML, HTML, redirects', () => {
  test('sha256 and md5 are lowercase hex of the body bytes; httpyac digest predicates accept hex or base64', async () => {
    const view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain' }, 'hello')));
    const cases: Case[] = [
      ['sha256 == 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', true],
      ['md5 == 5d41402abc4b2a76b9719d911017c592', true],
      ['md5 == 5d41402abc4b2a76b9719d911017c593', false, 'expected the string "5d41402abc4b2a76b9719d911017c593" but got the string "5d41402abc4b2a76b9719d911017c592"'],
      ['body sha256 LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=', true],
      ['body md5 5d41402abc4b2a76b9719d911017c592', true],
      ['body sha512 x', false, 'expected the sha512 of the body to be x, got 9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043 (base64 m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==)'],
      ['body == hello', true],
      ['body == hullo', false, 'expected the string "hullo" but got the string "hello"'],
      ['bytes == 5', true],
      ['regex h(.)llo == e', true],
      ['regex h(\\d)llo == e', false, 'regex h(\\d)llo matched nothing, so there is no value to check against "== e"'],
      ['regex ^hel == hel', true],
      ['regex /H(E)/i == e', true],
    ];
    expectCases(view, cases);
  });

  test('the body is decoded by its charset: latin1 and UTF-16', async () => {
    const latin1 = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain; charset=iso-8859-1' }, Buffer.from([0x63, 0x61, 0x66, 0xe9]))));
    expect(check(latin1, 'body == café').passed).toBe(true);
    expect(check(latin1, 'bytes == 4').passed).toBe(true);
    const utf16 = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain; charset="utf-16le"' }, Buffer.from('héllo', 'utf16le'))));
    expect(check(utf16, 'body == héllo').passed).toBe(true);
    const unknown = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain; charset=x-unknown' }, 'plain')));
    expect(check(unknown, 'body == plain').passed).toBe(true);
  });

  test('JSON queries on a body that is not JSON fail with the reason', async () => {
    const view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain' }, 'café au lait')));
    const outcome = check(view, 'body $.a == 1');
    expect(outcome.passed).toBe(false);
    expect(outcome.message).toMatch(/^body \$\.a: the body is not JSON \(.+\); it starts with "café au lait"$/);
    expect(check(view, 'body $.a not exists').message).toMatch(/^body \$\.a: the body is not JSON/);
    expect(check(view, 'body matchesSchema ./tag.schema.json').message).toMatch(/^matchesSchema needs JSON, but the body is not JSON/);
    const empty = new ResponseView(await fetchExchange(answer(204, {})));
    expect(check(empty, 'body $.a == 1').message).toBe('body $.a: the body is empty, not JSON');
    expect(check(empty, 'body isEmpty').passed).toBe(true);
    expect(check(empty, 'xpath /a exists').message).toBe('xpath /a: the body is empty, not XML or HTML');
  });

  test('a JSON array body: httpyac `body length`, JSONPath on the root, structural ==', async () => {
    const view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'application/json' }, '[{"Roles":["a","b"]},{"Roles":[]}]')));
    const cases: Case[] = [
      ['body length == 2', true],
      ['body [0].Roles length == 2', true],
      ['body [0].Roles.length == 2', true],
      ['body $ count == 2', true],
      ['body $[*].Roles count == 2', true],
      ['body == [{"Roles":["a","b"]},{"Roles":[]}]', true],
      ['body == [{"Roles":["a"]},{"Roles":[]}]', false, 'the JSON differs from the expected value in 1 place:\n  $[0].Roles[1]: not expected, got "b"'],
    ];
    expectCases(view, cases);
  });

  test('XPath on XML with a default namespace and prefixes', async () => {
    const view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'application/xml' },
      '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:bk="urn:books"><title>News</title>'
      + '<entry id="1"><title>A</title></entry><entry id="2"><title>B</title></entry><bk:isbn>123</bk:isbn></feed>')));
    const cases: Case[] = [
      ['xpath /feed/title == News', true],
      ['xpath /feed/title == Old', false, 'expected the string "Old" but got the string "News"'],
      ['xpath //_:entry count == 2', true],
      ['xpath //entry/@id == ["1","2"]', true],
      ['xpath string(//bk:isbn) == 123', true],
      ['xpath count(//entry) == 2', true],
      ['xpath "count(//entry) > 1" == true', true],
      ['xpath //entry[@id="2"]/title == B', true],
      ['xpath //nope not exists', true],
      ['xpath //nope exists', false, 'xpath //nope matched nothing'],
      ['xpath //zz:entry exists', false, 'xpath //zz:entry: unknown namespace prefix "zz" (the document declares _, bk)'],
      ['body /feed/title == News', true],
      ['body $.x exists', false, /^body \$\.x: the body is not JSON/],
    ];
    expectCases(view, cases);
  });

  test('XPath on HTML (lenient parse, case-insensitive names) and on broken XML', async () => {
    const html = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/html; charset=utf-8' },
      '<!doctype html><html><head><TITLE>Example Domain</TITLE></head><body><p>a<br>b</p><p class=x>c</p></body></html>')));
    expect(check(html, 'xpath string(//title) == Example Domain').passed).toBe(true);
    expect(check(html, 'xpath //p count == 2').passed).toBe(true);
    expect(check(html, 'xpath //p[@class="x"] == c').passed).toBe(true);
    expect(check(html, 'xpath //p count == 3').message).toBe('expected the number 3 but got the number 2');
    const broken = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'application/xml' }, '<a><b></a>')));
    expect(check(broken, 'xpath /a exists').message).toMatch(/^xpath \/a: the body is not well-formed XML \(.+\)$/);
  });

  test('url and redirects after following redirects', async () => {
    const view = new ResponseView(await fetchExchange((request, response) => {
      if (request.url === '/a') response.writeHead(302, { location: '/b' }).end();
      else if (request.url === '/b') response.writeHead(301, { location: '/c' }).end();
      else response.writeHead(200).end('done');
    }, { path: '/a', followRedirects: true }));
    expect(check(view, 'url endsWith /c').passed).toBe(true);
    expect(check(view, 'redirects count == 2').passed).toBe(true);
    expect(check(view, 'redirects nth 1 endsWith /b').passed).toBe(true);
    expect(check(view, 'redirects count == 1').message).toBe('expected the number 1 but got the number 2');
  });

  test('a body the executor drained is reported as a bug, not as an empty body', async () => {
    const exchange = await fetchExchange(answer(200, {}, 'x'));
    const view = new ResponseView({ ...exchange, response: { ...exchange.response, body: null } });
    expect(check(view, 'body == x').message).toBe('body: the response body was not kept, so nothing can read it (a bug: needsBody() should have asked for it)');
    expect(check(view, 'status == 200').passed).toBe(true);
  });
});
