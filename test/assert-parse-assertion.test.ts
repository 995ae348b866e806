import { describe, expect, test } from 'vitest';
import { parseAssertion, type Assertion } from '../src/assert/parse-assertion.js';

function parsed(source: string): Assertion {
  const result = parseAssertion(source);
  if ('error' in result) throw new Error(result.error);
  return result.assertion;
}

describe('the parts of an assertion', () => {
  test('query, predicate and expected value', () => {
    expect(parsed('status == 200')).toMatchObject({ queryText: 'status', query: { kind: 'status' }, filters: [], not: false, predicate: '==', expected: '200' });
  });

  test('spaces around the parts do not matter, query names are case-insensitive', () => {
    expect(parsed('  STATUS   ==   200  ')).toMatchObject({ query: { kind: 'status' }, predicate: '==', expected: '200' });
  });

  test('the expected value is the rest of the line, spaces, quotes and brackets included', () => {
    expect(parsed('body $.a == he said "hi" (twice').expected).toBe('he said "hi" (twice');
    expect(parsed('header x-title == contains == things').expected).toBe('contains == things');
  });

  test('`not` right before the predicate negates it', () => {
    expect(parsed('body $.x not exists')).toMatchObject({ queryText: 'body $.x', not: true, predicate: 'exists', expected: '' });
    expect(parsed('header x-a not == 3')).toMatchObject({ query: { kind: 'header', name: 'x-a' }, not: true, predicate: '==' });
  });

  test('predicate aliases from httpyac and Hurl', () => {
    expect(parsed('header a includes json').predicate).toBe('contains');
    expect(parsed('status equals 200').predicate).toBe('==');
    expect(parsed('body $.a isList').predicate).toBe('isArray');
    expect(parsed('body $.a startswith x').predicate).toBe('startsWith');
    expect(parsed('body sha256 abc=').predicate).toBe('sha256');
    expect(parsed('body $.a isIpv4').predicate).toBe('isIpv4');
    expect(parsed('body $.a isipv6').predicate).toBe('isIpv6');
    expect(parsed('body $.a isDate').predicate).toBe('isDate');
    expect(parsed('body $.a isCollection').predicate).toBe('isCollection');
    expect(parsed('body $.a greaterThan 1').predicate).toBe('>');
    expect(parsed('body $.a greaterThanOrEquals 1').predicate).toBe('>=');
    expect(parsed('body $.a lessThan 1').predicate).toBe('<');
    expect(parsed('body $.a lessThanOrEquals 1').predicate).toBe('<=');
    expect(parsed('body $.a notEquals 1').predicate).toBe('!=');
  });

  test('brackets, parentheses and quotes keep predicate words inside the query', () => {
    expect(parsed('body $.items[?@.name == "a b"].id == 1')).toMatchObject({
      query: { kind: 'jsonpath', path: '$.items[?@.name == "a b"].id' }, expected: '1',
    });
    expect(parsed('xpath //a[@b = "c d"] count == 2')).toMatchObject({
      query: { kind: 'xpath', expression: '//a[@b = "c d"]' }, filters: [{ kind: 'count' }], expected: '2',
    });
    expect(parsed('xpath "count(//entry) > 1" == true').query).toMatchObject({ kind: 'xpath', expression: 'count(//entry) > 1' });
  });

  test('an apostrophe inside a word and an unclosed quote are ordinary characters', () => {
    expect(String((parsed("regex don't (\\w+) == x").query as { pattern: RegExp }).pattern)).toBe("/don't (\\w+)/");
    expect(String((parsed('regex "name": "(\\w+) == Ada').query as { pattern: RegExp }).pattern)).toBe('/"name": "(\\w+)/');
  });

  test('a backslash escapes a bracket in a bare regex', () => {
    expect(String((parsed('regex \\[(\\d+) == 1').query as { pattern: RegExp }).pattern)).toBe('/\\[(\\d+)/');
  });
});

describe('queries', () => {
  test('header and cookie names, quoted or bare (Hurl writes them quoted)', () => {
    expect(parsed('header "Content-Type" == x').query).toEqual({ kind: 'header', name: 'Content-Type' });
    expect(parsed('cookie SID == x').query).toEqual({ kind: 'cookie', name: 'SID', attribute: 'Value' });
    expect(parsed('cookie "SID[max-age]" == 1').query).toEqual({ kind: 'cookie', name: 'SID', attribute: 'Max-Age' });
    expect(parsed('cookie SID[HTTPONLY] exists').query).toEqual({ kind: 'cookie', name: 'SID', attribute: 'HttpOnly' });
  });

  test('body: whole text, JSONPath, XPath, or an httpyac property path read as JSONPath', () => {
    expect(parsed('body == x').query).toEqual({ kind: 'body' });
    expect(parsed('body $.items[0].id == 3').query).toMatchObject({ kind: 'jsonpath', path: '$.items[0].id', lengthOf: null });
    expect(parsed('jsonpath $.id == 3').query).toMatchObject({ kind: 'jsonpath', path: '$.id' });
    expect(parsed('body //status/id == 3').query).toMatchObject({ kind: 'xpath', expression: '//status/id' });
    expect(parsed('body id == 3').query).toMatchObject({ kind: 'jsonpath', path: '$.id' });
    expect(parsed('body items[0].name == x').query).toMatchObject({ kind: 'jsonpath', path: '$.items[0].name' });
    expect(parsed('body data.user.id == x').query).toMatchObject({ kind: 'jsonpath', path: '$.data.user.id' });
    expect(parsed('body [0].content-type == x').query).toMatchObject({ kind: 'jsonpath', path: "$[0]['content-type']" });
    expect(parsed("body 'a.b' == x").query).toMatchObject({ kind: 'jsonpath', path: "$['a.b']" });
    expect(parsed('body items.length == 2').query).toMatchObject({ kind: 'jsonpath', path: '$.items.length' });
    expect(parsed('body items.length == 2').query).not.toMatchObject({ lengthOf: null });
  });

  test('queries without an argument', () => {
    for (const name of ['status', 'duration', 'bytes', 'sha256', 'md5', 'url', 'version', 'redirects']) {
      expect(parsed(`${name} exists`).query).toEqual({ kind: name });
    }
  });

  test('regex patterns: bare, /slashed/ with flags, (?i)', () => {
    const pattern = (source: string) => String((parsed(source).query as { pattern: RegExp }).pattern);
    expect(pattern('regex id=(\\d+) == 4')).toBe('/id=(\\d+)/');
    expect(pattern('regex /ID=(\\d+)/i == 4')).toBe('/ID=(\\d+)/i');
    expect(pattern('regex (?i)ID=(\\d+) == 4')).toBe('/ID=(\\d+)/i');
    expect(String(parsed('body $.a matches /^a b$/m').pattern)).toBe('/^a b$/m');
  });
});

describe('filters', () => {
  test('are read from the end of the query', () => {
    expect(parsed('body $.tags count == 3').filters).toEqual([{ kind: 'count' }]);
    expect(parsed('body $.tags length == 3').filters).toEqual([{ kind: 'count' }]);
    expect(parsed('body $.tags nth 2 toInt == 3').filters).toEqual([{ kind: 'nth', index: 2 }, { kind: 'toInt' }]);
    expect(parsed('header x-a first toString == 3').filters).toEqual([{ kind: 'first' }, { kind: 'toString' }]);
    expect(parsed('bytes count == 3').filters).toEqual([{ kind: 'count' }]);
    expect(parsed('body $.a last tofloat == 3').filters).toEqual([{ kind: 'last' }, { kind: 'toFloat' }]);
  });

  test('Hurl filters with arguments: quoted, /regex/ with spaces, bare words and numbers, chained', () => {
    expect(parsed('jsonpath "$.ips" split ", " nth -1 == x').filters).toEqual([{ kind: 'split', separator: ', ' }, { kind: 'nth', index: -1 }]);
    expect(parsed('body $.a replace "a b" "c" split , count == 3')).toMatchObject({
      query: { kind: 'jsonpath', path: '$.a' },
      filters: [{ kind: 'replace', old: 'a b', replacement: 'c' }, { kind: 'split', separator: ',' }, { kind: 'count' }],
    });
    const regex = parsed('jsonpath "$.message" regex /Hello (.*)!/ == "Bob"');
    expect(regex.filters).toHaveLength(1);
    expect(String((regex.filters[0] as { pattern: RegExp }).pattern)).toBe('/Hello (.*)!/');
    expect(regex.expected).toBe('"Bob"');
    expect(String((parsed('body $.a regex "B[a-z]b" == x').filters[0] as { pattern: RegExp }).pattern)).toBe('/B[a-z]b/');
    expect(String((parsed('body $.a replaceRegex /\\d/g "x" == x').filters[0] as { pattern: RegExp }).pattern)).toBe('/\\d/g');
    expect(String((parsed('body $.a replaceRegex "\\\\d" "x" == x').filters[0] as { pattern: RegExp }).pattern)).toBe('/\\d/g');
    expect(parsed('header location urlQueryParam "code" count == 1').filters).toEqual([{ kind: 'urlQueryParam', name: 'code' }, { kind: 'count' }]);
    expect(parsed('bytes decode "gb2312" xpath "string(//body)" == x').filters).toMatchObject([{ kind: 'decode', charset: 'gb2312' }, { kind: 'xpath', expression: 'string(//body)' }]);
    expect(parsed('body $.d toDate "%Y-%m-%d" format "%A" == x').filters).toEqual([{ kind: 'toDate', format: '%Y-%m-%d' }, { kind: 'dateFormat', format: '%A' }]);
    expect(parsed('body $.d dateformat "%A" daysafternow base64decode tohex == x').filters.map((f) => f.kind)).toEqual(['dateFormat', 'daysAfterNow', 'base64Decode', 'toHex']);
    expect(parsed('redirects nth 0 location == x').filters).toEqual([{ kind: 'nth', index: 0 }, { kind: 'location' }]);
    expect(parsed('body $.json jsonpath "$.a" == 1').filters).toMatchObject([{ kind: 'jsonpath', path: '$.a' }]);
  });

  test('a bare regex query keeps its spaces and slashes; a filter word ends it only where a filter chain follows', () => {
    expect(String((parsed('regex /api/v1/(\\d+) == 3').query as { pattern: RegExp }).pattern)).toBe('/\\/api\\/v1\\/(\\d+)/');
    expect(parsed('regex (\\w+) first (\\w+) == x').filters).toEqual([]);
    expect(parsed('regex id=(\\d+) toInt == 3').filters).toEqual([{ kind: 'toInt' }]);
  });

  test('the first word after body is its argument, even when it is a filter word (httpyac property)', () => {
    expect(parsed('body count == 3')).toMatchObject({ query: { kind: 'jsonpath', path: '$.count' }, filters: [] });
  });
});

test("httpyac's JavaScript assertions are skipped, not errors: the file's other assertions still run", () => {
  expect(parseAssertion('js response.parsedBody.x == 1')).toEqual({
    skip: 'JavaScript assertions (?? js ...) are not run: httprun never evaluates code from a request file, so this one is skipped; use a query instead, e.g. "?? body items[0].name == x"',
    column: 1,
  });
  expect(parseAssertion('javascript true')).toMatchObject({ column: 1, skip: expect.stringMatching(/^JavaScript assertions/) });
});

describe('errors, with the column they point at', () => {
  const cases: [string, string, number][] = [
    ['', 'empty assertion: expected a query such as "status == 200" after ??', 1],
    ['== 200', 'unknown query "==": expected status, header, cookie, body, jsonpath, xpath, regex, duration, bytes, sha256, md5, url, version, redirects, certificate or ip', 1],
    ['foo == 1', 'unknown query "foo": expected status, header, cookie, body, jsonpath, xpath, regex, duration, bytes, sha256, md5, url, version, redirects, certificate or ip', 1],
    ['status 204', 'expected a predicate such as == after "status", found "204" (did you mean "status == 204"?)', 8],
    ['status = 200', 'expected a predicate such as == after "status", found "=" (did you mean "status == 200"?)', 8],
    ['status count 3', 'expected a predicate such as == after "status", found "count"', 8],
    ['status', 'expected a predicate (==, !=, <, contains, matches, exists ...) after "status"', 7],
    ['body $.id', 'expected a predicate (==, !=, <, contains, matches, exists ...) after "body $.id"', 10],
    ['header == x', '"header" needs a header name (e.g. "header content-type includes json") before the predicate', 7],
    ['cookie exists', '"cookie" needs a cookie name (e.g. "cookie SESSION exists") before the predicate', 7],
    ['jsonpath == 1', '"jsonpath" needs a JSONPath (e.g. "jsonpath $.id == 3") before the predicate', 9],
    ['xpath exists', '"xpath" needs an XPath expression (e.g. "xpath /status/text == ok") before the predicate', 6],
    ['regex == 1', '"regex" needs a pattern (e.g. "regex id=(\\d+) == 42") before the predicate', 6],
    ['cookie SID[Color] == x', 'unknown cookie attribute "Color": expected Value, Expires, Max-Age, Domain, Path, Secure, HttpOnly, SameSite', 8],
    ['cookie a]b == x', 'expected a cookie as NAME or NAME[Attribute], found "a]b"', 8],
    ['body $.[ == 1', 'unclosed "[" (opened at column 8)', 8],
    ['body $.a.. == 1', 'invalid JSONPath $.a..: bald descendant segment', 11],
    ['jsonpath $[?@.a ==] == 1', 'invalid JSONPath $[?@.a ==]: unexpected end of expression', 19],
    ['body a..b == 1', 'unexpected "." in the property path a..b', 7],
    ['body a[x] == 1', "expected [number] or ['name'] in the property path a[x]", 7],
    ['xpath /a/b/ == 1', 'invalid XPath /a/b/: syntax error', 7],
    ['regex (a))) == 1', 'invalid regular expression "(a)))": Unmatched \')\'', 7],
    ['status exists 200', '"exists" takes no value, found "200"', 15],
    ['status <', '"<" needs a value after it', 9],
    ['status contains', '"contains" needs a value after it', 16],
    ['body $.name matches a(', 'invalid regular expression "a(": Unterminated group', 21],
    ['body $.name matches /a/q', 'invalid regular expression "/a/q": Invalid flags supplied to RegExp constructor \'q\'', 21],
    // filters
    ['body $.x split == 1', '"split" needs a separator after it (e.g. split ",")', 15],
    ['body $.x split', '"split" needs a separator after it (e.g. split ",")', 15],
    ['body $.x replace "a" == 1', '"replace" needs its replacement after it (e.g. replace "," ";")', 21],
    ['body $.x nth == 1', '"nth" needs an index after it (e.g. nth 0)', 13],
    ['body $.x nth first == 1', '"nth" needs an integer index (e.g. nth 0 or nth -1), found "first"', 14],
    ['body $.x decode "klingon" == 1', 'unknown encoding "klingon" for decode (expected a WHATWG label such as "utf-8", "iso-8859-1", "gb2312", "shift_jis")', 17],
    ['body $.x toDate "%Q" == 1', 'unknown date format specifier "%Q" in "%Q"', 17],
    ['body $.x regex "(" == 1', 'invalid regular expression "(": Unterminated group', 16],
    ['body $.x xpath "/a/" == 1', 'invalid XPath /a/: syntax error', 16],
    ['body $.x jsonpath "$.." == 1', 'invalid JSONPath $..: bald descendant segment', 20],
    ['header a urlQueryParam == 1', '"urlQueryParam" needs a parameter name after it (e.g. urlQueryParam "code")', 23],
    ['status foo == 1', 'unknown filter "foo" after "status": expected a predicate such as == or one of the filters base64Decode, base64Encode, base64UrlSafeDecode, base64UrlSafeEncode, count, dateFormat, daysAfterNow, daysBeforeNow, decode, first, htmlEscape, htmlUnescape, jsonpath, last, location, nth, regex, replace, replaceRegex, split, toDate, toFloat, toHex, toInt, toString, urlDecode, urlEncode, urlQueryParam, utf8Decode, utf8Encode, xpath', 8],
  ];
  test.each(cases)('%s', (source, message, column) => {
    expect(parseAssertion(source)).toEqual({ error: message, column });
  });
});
