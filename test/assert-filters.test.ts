// Hurl's filters and predicates (https://hurl.dev/docs/filters.html). Most cases come from Hurl's
// own integration test integration/hurl/tests_ok/filter/filter.hurl and its body, which is the
// oracle for what each filter gives.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import { evaluateAssertion, type AssertionOutcome } from '../src/assert/evaluate-assertion.js';
import { parseAssertion } from '../src/assert/parse-assertion.js';
import { ResponseView } from '../src/assert/response-view.js';
import { project, runCli } from './helpers/cli.js';
import { answer, fetchExchange } from './helpers/fetch-exchange.js';
import { serve, type TestServer } from './helpers/server.js';

function check(view: ResponseView, source: string): AssertionOutcome {
  const parsed = parseAssertion(source);
  if ('error' in parsed) throw new Error(`${source}: ${parsed.error}`);
  return evaluateAssertion(parsed.assertion, view, { baseDir: '.' });
}

/** [assertion, passes?, failure message (when it fails)] */
type Case = [string, boolean, (string | RegExp)?];

function cases(getView: () => ResponseView, table: Case[]): void {
  test.each(table)('%s → %s', (source, passes, message) => {
    const outcome = check(getView(), source);
    expect(outcome.passed, outcome.message).toBe(passes);
    if (passes) expect(outcome.message).toBeUndefined();
    else if (message instanceof RegExp) expect(outcome.message).toMatch(message);
    else expect(outcome.message).toBe(message);
  });
}

// filter.hurl's body, plus a few values of our own.
const HURL_BODY = JSON.stringify({
  file: '0YjQtdC70LvRiw==',
  text_encoded: 'PDw_Pz8-Pg',
  list: [1, 2, 3],
  message: 'Hello Bob!',
  url: 'https://mozilla.org/?x=шеллы',
  encoded_url: 'https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B',
  text: 'a > b && a < c',
  escaped_html: ['a &gt; b &amp;&amp; a &lt; c', 'Foo &#xA9; bar &#x1D306; baz &#x2603; qux', '&#65 foo'],
  id: '123',
  score: 1.6,
  ips: '192.168.2.1, 10.0.0.20, 10.0.0.10',
  json: '{"message": "Hello"}',
  pi: '3.141592653589793',
  ten: 10,
  // ours
  published: '2023-01-23T18:25:43.511Z',
  day: '2024-02-29',
  expires: 'Wed, 21 Oct 2015 07:28:00 GMT',
  future: new Date(Date.now() + 10.5 * 86_400_000).toISOString(),
  past: new Date(Date.now() - 40.5 * 86_400_000).toISOString(),
  ipv4: '192.168.2.1',
  ipv6: '2001:db8::8a2e:370:7334',
  html: '<html><body><p>one</p><p>two</p></body></html>',
  word: 'café',
  notBase64: 'a$b',
  badUtf8: '/w==',
  badPercent: '100%',
  badUrl: 'http://[::1/x?a=1',
  standard: 'PDw/Pz8+Pg==',
  nested: { a: 1 },
});

let hurl: ResponseView;
beforeAll(async () => {
  hurl = new ResponseView(await fetchExchange(answer(200, {
    'content-type': 'application/json',
    location: '/callback?code=abc&state=xyz',
    'x-servers': 'rec1,rec3',
    'x-list': ['a,b', 'c'],
  }, HURL_BODY), { path: '/start' }));
});

describe('Hurl filter.hurl', () => {
  cases(() => hurl, [
    ['jsonpath "$.file" base64Decode == hex,d188d0b5d0bbd0bbd18b;', true],
    ['jsonpath "$.file" base64Decode == d188d0b5d0bbd0bbd18b', true],
    ['jsonpath "$.file" base64Decode base64Encode == "0YjQtdC70LvRiw=="', true],
    ['jsonpath "$.file" base64Decode base64UrlSafeEncode == "0YjQtdC70LvRiw"', true],
    ['jsonpath "$.text_encoded" base64UrlSafeDecode == hex,3c3c3f3f3f3e3e;', true],
    ['jsonpath "$.text_encoded" base64UrlSafeDecode base64Encode == "PDw/Pz8+Pg=="', true],
    ['jsonpath "$.text_encoded" base64UrlSafeDecode base64UrlSafeEncode == "PDw_Pz8-Pg"', true],
    ['jsonpath "$.list" count == 3', true],
    ['jsonpath "$.list" first == 1', true],
    ['jsonpath "$.list" last == 3', true],
    ['jsonpath "$.list" nth 1 == 2', true],
    ['jsonpath "$.list" nth -1 == 3', true],
    ['jsonpath "$.message" regex /Hello (.*)!/ == "Bob"', true],
    ['jsonpath "$.url" urlEncode == "https%3A//mozilla.org/%3Fx%3D%D1%88%D0%B5%D0%BB%D0%BB%D1%8B"', true],
    ['jsonpath "$.encoded_url" urlDecode == "https://mozilla.org/?x=шеллы"', true],
    ['jsonpath "$.text" htmlEscape == "a &gt; b &amp;&amp; a &lt; c"', true],
    ['jsonpath "$.escaped_html[0]" htmlUnescape == "a > b && a < c"', true],
    ['jsonpath "$.escaped_html[1]" htmlUnescape == "Foo © bar 𝌆 baz ☃ qux"', true],
    ['jsonpath "$.escaped_html[2]" htmlUnescape == "A foo"', true],
    ['jsonpath "$.id" toInt == 123', true],
    ['jsonpath "$.id" toFloat == 123', true],
    ['jsonpath "$.score" toInt == 1', true],
    ['jsonpath "$.score" toFloat == 1.6', true],
    ['jsonpath "$.file" base64Decode toHex == "d188d0b5d0bbd0bbd18b"', true],
    ['jsonpath "$.ips" split ", " count == 3', true],
    ['jsonpath "$.ips" split ", " first == "192.168.2.1"', true],
    ['jsonpath "$.ips" split ", " last == "10.0.0.10"', true],
    ['jsonpath "$.ips" replace ", " "|" == "192.168.2.1|10.0.0.20|10.0.0.10"', true],
    ['jsonpath "$.id" replaceRegex /\\d/ "x" == "xxx"', true],
    ['jsonpath "$.message" replaceRegex "B[a-z]b" "dude" == "Hello dude!"', true],
    // The first argument of replace is not a pattern.
    ['jsonpath "$.id" replace "\\\\d" "x" == "123"', true],
    ['jsonpath "$.json" jsonpath "$.message" == "Hello"', true],
    ['jsonpath "$.pi" toFloat == 3.141592653589793', true],
    ['jsonpath "$.pi" toFloat > 3', true],
    ['jsonpath "$.pi" toFloat < 4', true],
    ['jsonpath "$.ten" toInt == 10', true],
    ['jsonpath "$.url" urlQueryParam "x" == "шеллы"', true],
    ['jsonpath "$.encoded_url" urlQueryParam "x" == "шеллы"', true],
  ]);
});

describe('filters in our own spelling and chained', () => {
  cases(() => hurl, [
    ['body $.ips split , count == 3', true],
    ['body $.ips split ", " nth 1 == 10.0.0.20', true],
    ['header x-servers split "," nth 1 == "rec3"', true],
    ['header location urlQueryParam "code" == abc', true],
    ['header location urlQueryParam "code" count == 1', true],
    ['header location urlQueryParam code == abc', true],
    ['header location urlQueryParam "missing" not exists', true],
    ['body $.message regex "Hello (\\w+)" == Bob', true],
    ['body $.message regex /hello (\\w+)/i == Bob', true],
    ['body $.message regex (?i)HELLO == Hello', true],
    ['body $.message regex "Bye (\\w+)" exists', false, 'body $.message regex "Bye (\\w+)" matched nothing'],
    ['body $.message regex "Bye (\\w+)" not exists', true],
    ['body $.word utf8Encode toHex == "636166c3a9"', true],
    ['body $.word utf8Encode count == 5', true],
    ['body $.word utf8Encode utf8Decode == café', true],
    ['body $.word urlEncode == caf%C3%A9', true],
    ["body $.text htmlEscape htmlUnescape == a > b && a < c", true],
    ['body $.html xpath "//p" count == 2', true],
    ['body $.html xpath "string(//p[2])" == two', true],
    ['body $.nested jsonpath "$.a" == 1', true],
    ['body $.published toDate "%Y-%m-%dT%H:%M:%S%.fZ" dateFormat "%A" == "Monday"', true],
    ['body $.published toDate "%+" format "%A" == Monday', true],
    ['body $.published toDate "%+" == 2023-01-23T18:25:43.511Z', true],
    ['body $.published toDate "%+" > 2023-01-01', true],
    ['body $.published toDate "%+" < 2023-01-01', false, 'expected the date 2023-01-23T18:25:43.511Z to be < "2023-01-01"'],
    ['body $.day toDate "%Y-%m-%d" == 2024-02-29T00:00:00Z', true],
    ['body $.day toDate "%Y-%m-%d" dateFormat "%d/%m/%Y %a %j" == 29/02/2024 Thu 060', true],
    ['body $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == "Wed, 21 Oct 2015 07:28:00 GMT"', true],
    ['body $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" daysBeforeNow > 1000', true],
    ['body $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" isDate', true],
    ['body $.future daysAfterNow == 10', true],
    ['body $.future toDate "%+" daysAfterNow == 10', true],
    ['body $.past daysBeforeNow == 40', true],
    ['body $.past daysAfterNow == -40', true],
  ]);
});

describe('a filter that cannot apply fails the assertion and says why', () => {
  cases(() => hurl, [
    ['body $.ten split "," count == 1', false, 'body $.ten split "," count: split needs a string, got the number 10'],
    ['body $.message base64Encode == x', false, 'body $.message base64Encode: base64Encode needs bytes, got the string "Hello Bob!" (utf8Encode turns text into bytes; base64Decode reads Base64 text)'],
    ['body $.message toHex == x', false, /^body \$\.message toHex: toHex needs bytes, got the string "Hello Bob!"/],
    ['body $.notBase64 base64Decode == x', false, 'body $.notBase64 base64Decode: base64Decode: the string "a$b" is not Base64'],
    ['body $.standard base64UrlSafeDecode == x', false, 'body $.standard base64UrlSafeDecode: base64UrlSafeDecode: the string "PDw/Pz8+Pg==" is not URL-safe Base64'],
    ['body $.standard base64Decode == hex,3c3c3f3f3f3e3e;', true],
    ['body $.badUtf8 base64Decode utf8Decode == x', false, 'body $.badUtf8 base64Decode utf8Decode: utf8Decode: the bytes ff are not valid UTF-8'],
    ['body $.badPercent urlDecode == x', false, 'body $.badPercent urlDecode: urlDecode: the string "100%" holds a % that is not followed by UTF-8 in hex (%C3%A9)'],
    ['body $.badUrl urlQueryParam "a" == x', false, 'body $.badUrl urlQueryParam "a": urlQueryParam: the string "http://[::1/x?a=1" is not a URL'],
    ['body $.url urlQueryParam "y" == x', false, 'body $.url urlQueryParam "y" matched nothing, so there is no value to check against "== x"'],
    ['body $.message jsonpath "$.a" == x', false, /^body \$\.message jsonpath "\$\.a": jsonpath: the text is not JSON/],
    ['body $.message xpath "//a" == x', false, /^body \$\.message xpath "\/\/a": xpath: /],
    ['body $.list xpath "//a" == x', false, 'body $.list xpath "//a": xpath needs XML or HTML text, got a list of 3 items [1,2,3]'],
    ['body $.ten jsonpath "$.a" == x', false, 'body $.ten jsonpath "$.a": jsonpath needs JSON text, got the number 10'],
    ['body $.day toDate "%d/%m/%Y" == x', false, 'body $.day toDate "%d/%m/%Y": toDate: cannot read "2024-02-29" as a date in the format "%d/%m/%Y"'],
    ['body $.message daysAfterNow > 1', false, 'body $.message daysAfterNow: daysAfterNow needs a date, got the string "Hello Bob!" (toDate "<format>" reads a date from text; ISO 8601 text is read as it is)'],
    ['body $.ten dateFormat "%Y" == 1', false, 'body $.ten dateFormat "%Y": dateFormat needs a date, got the number 10'],
    ['body $.ten htmlEscape == 1', false, 'body $.ten htmlEscape: htmlEscape needs a string, got the number 10'],
    ['body $.ten utf8Encode == 1', false, 'body $.ten utf8Encode: utf8Encode needs a string, got the number 10'],
    ['body $.message utf8Decode == 1', false, /^body \$\.message utf8Decode: utf8Decode needs bytes/],
    ['body $.ten urlEncode == 1', false, 'body $.ten urlEncode: urlEncode needs a string, got the number 10'],
    ['body $.list nth 3 == 1', false, 'body $.list nth 3: the list has only 3 items'],
    ['body $.list nth -4 == 1', false, 'body $.list nth -4: the list has only 3 items'],
    ['body $.ips split ", " nth 5 == 1', false, 'body $.ips split ", " nth 5: the list has only 3 items'],
    ['body $.escaped_html[?@ == "none"] first == 1', false, 'body $.escaped_html[?@ == "none"] first: the list is empty'],
    ['body $.message location == x', false, 'body $.message location: location needs a redirect (redirects nth 0 location) or the Location header (header location location), got the string "Hello Bob!"'],
    ['body $.ten replace "1" "2" == 1', false, 'body $.ten replace "1" "2": replace needs a string, got the number 10'],
    ['body $.ten regex "1" == 1', false, 'body $.ten regex "1": regex needs a string, got the number 10'],
    ['body $.message decode "gb2312" == 1', false, 'body $.message decode "gb2312": decode needs bytes, got the string "Hello Bob!" (utf8Encode turns text into bytes; base64Decode reads Base64 text)'],
    ['body $.ten base64UrlSafeEncode == 1', false, 'body $.ten base64UrlSafeEncode: base64UrlSafeEncode needs bytes, got the number 10'],
    ['body $.ten base64Decode == 1', false, 'body $.ten base64Decode: base64Decode needs a string, got the number 10'],
    ['body $.ten htmlUnescape == 1', false, 'body $.ten htmlUnescape: htmlUnescape needs a string, got the number 10'],
    ['body $.ten urlDecode == 1', false, 'body $.ten urlDecode: urlDecode needs a string, got the number 10'],
    ['body $.ten urlQueryParam "a" == 1', false, 'body $.ten urlQueryParam "a": urlQueryParam needs a URL, got the number 10'],
    ['body $.ten toDate "%Y" == 1', false, 'body $.ten toDate "%Y": toDate needs a string, got the number 10'],
    ['body $.ten daysBeforeNow == 1', false, 'body $.ten daysBeforeNow: daysBeforeNow needs a date, got the number 10'],
    ['body $.ten replaceRegex "1" "2" == 1', false, 'body $.ten replaceRegex "1" "2": replaceRegex needs a string, got the number 10'],
    ['body $.message first == 1', false, 'body $.message first: first needs a list, got the string "Hello Bob!"'],
    ['body $.message toFloat == 1', false, 'body $.message toFloat: cannot convert the string "Hello Bob!" to a number'],
    ['body $.ten toDate "%Y" isDate', false, 'body $.ten toDate "%Y": toDate needs a string, got the number 10'],
  ]);
});

describe('failing comparisons of filter results', () => {
  cases(() => hurl, [
    ['jsonpath "$.file" base64Decode == d188', false, 'expected the bytes d188 (2 bytes, in hex) but got the bytes d188d0b5d0bbd0bbd18b (10 bytes, in hex)'],
    ['jsonpath "$.file" base64Decode == hello', false, 'expected the string "hello" but got the bytes d188d0b5d0bbd0bbd18b (10 bytes, in hex)\nhint: bytes are compared with bytes; write them as hex (d188d0b5...), hex,...; or base64,...;'],
    ['jsonpath "$.file" base64Decode == base64,0YjQtdC70LvRiw==;', true],
    ['jsonpath "$.file" base64Decode startsWith hex,d188;', true],
    ['jsonpath "$.file" base64Decode endsWith d18b', true],
    ['jsonpath "$.file" base64Decode contains d0bb', true],
    ['jsonpath "$.file" base64Decode contains ffff', false, 'expected the bytes d188d0b5d0bbd0bbd18b (10 bytes, in hex) to contain ffff'],
    ['jsonpath "$.file" base64Decode startsWith ab', false, 'expected the bytes d188d0b5d0bbd0bbd18b (10 bytes, in hex) to start with ab'],
    ['jsonpath "$.file" base64Decode startsWith xyz', false, 'the bytes d188d0b5d0bbd0bbd18b (10 bytes, in hex) can only start with bytes; write them as hex (efbbbf), hex,efbbbf; or base64,77u/;'],
    ['jsonpath "$.file" base64Decode isEmpty', false, 'expected empty (an empty string, list or object), got the bytes d188d0b5d0bbd0bbd18b (10 bytes, in hex)'],
    ['jsonpath "$.file" base64Decode isCollection', true],
    ['body $.day toDate "%Y-%m-%d" == 2024-03-01', false, 'expected the string "2024-03-01" but got the date 2024-02-29T00:00:00.000Z'],
    ['body $.day toDate "%Y-%m-%d" == soon', false, 'expected the string "soon" but got the date 2024-02-29T00:00:00.000Z\nhint: "soon" is not a date; write one as 2024-05-01T12:00:00Z'],
    ['body $.day toDate "%Y-%m-%d" isString', false, 'expected a string, got the date 2024-02-29T00:00:00.000Z'],
    ['body $.ips split ", " == ["192.168.2.1", "10.0.0.20", "10.0.0.10"]', true],
    ['body $.ips split ", " count == 2', false, 'expected the number 2 but got the number 3'],
    ['body $.id replace "1" "9" == 923', true],
    ['body $.id replace "1" "9" == 123', false, 'expected the string "123" but got the string "923"'],
  ]);
});

describe('predicates from Hurl', () => {
  cases(() => hurl, [
    ['body $.ipv4 isIpv4', true],
    ['body $.ipv6 isIpv4', false, 'expected an IPv4 address, got the string "2001:db8::8a2e:370:7334"'],
    ['body $.ipv6 isIpv6', true],
    ['body $.ipv4 isIpv6', false, 'expected an IPv6 address, got the string "192.168.2.1"'],
    ['body $.ipv4 not isIpv6', true],
    ['body $.ten isIpv4', false, 'expected an IPv4 address, got the number 10'],
    ['body $.ips split ", " first isIpv4', true],
    ['body $.list isCollection', true],
    ['body $.nested isCollection', true],
    ['body $.ten isCollection', false, 'expected a collection (a list or an object), got the number 10'],
    ['body $.ten not isCollection', true],
    ['body $.day isDate', false, 'expected a date (toDate "<format>" makes one from text), got the string "2024-02-29"'],
    ['body $.day toDate "%F" isDate', true],
    ['body $.day toDate "%F" not isDate', false, 'expected anything but a date (toDate "<format>" makes one from text), got the date 2024-02-29T00:00:00.000Z'],
    ['body $.list isList', true],
    ['body $.ten greaterThan 9', true],
    ['body $.ten greaterThanOrEquals 11', false, 'expected the number 10 to be >= 11'],
    ['body $.ten lessThan 11', true],
    ['body $.ten lessThanOrEquals 10', true],
    ['body $.ten notEquals 10', false, 'expected anything but the number 10, and got exactly that'],
  ]);
});

describe('location', () => {
  let redirected: ResponseView;
  beforeAll(async () => {
    redirected = new ResponseView(await fetchExchange((request, response) => {
      if (request.url === '/a') response.writeHead(302, { location: '/b' }).end();
      else if (request.url === '/b') response.writeHead(301, { location: 'c' }).end();
      else response.writeHead(200).end('done');
    }, { path: '/a', followRedirects: true }));
  });

  test('a redirect hop goes where it pointed; the last to the final URL', () => {
    const base = redirected.exchange.response.url.replace(/\/c$/, '');
    expect(check(redirected, 'redirects count == 2').passed).toBe(true);
    expect(check(redirected, `redirects nth 0 location == ${base}/b`).passed).toBe(true);
    expect(check(redirected, `redirects first location == ${base}/b`).passed).toBe(true);
    expect(check(redirected, `redirects nth 1 location == ${base}/c`).passed).toBe(true);
    expect(check(redirected, `redirects last location == ${base}/c`).passed).toBe(true);
    expect(check(redirected, `redirects nth -1 location endsWith /c`).passed).toBe(true);
    expect(check(redirected, `redirects location count == 2`).passed).toBe(true);
    expect(check(redirected, `redirects nth 0 location == ${base}/x`).message).toBe(`expected the string "${base}/x" but got the string "${base}/b"`);
  });

  test('one redirect is a list of one hop: nth 0, first and last read it', async () => {
    const once = new ResponseView(await fetchExchange((request, response) => {
      if (request.url === '/a') response.writeHead(302, { location: '/done' }).end();
      else response.writeHead(200).end('done');
    }, { path: '/a', followRedirects: true }));
    const base = once.exchange.response.url.replace(/\/done$/, '');
    expect(check(once, 'redirects count == 1').passed).toBe(true);
    expect(check(once, `redirects nth 0 == ${base}/a`).passed).toBe(true);
    expect(check(once, `redirects nth 0 location == ${base}/done`).passed).toBe(true);
    expect(check(once, `redirects first location == ${base}/done`).passed).toBe(true);
    expect(check(once, `redirects last location == ${base}/done`).passed).toBe(true);
    expect(check(once, 'redirects nth 1 == x').message).toBe('redirects nth 1: the list has only 1 item');
  });

  test('a Location header is resolved against the URL of its response', () => {
    const origin = new URL(hurl.exchange.response.url).origin;
    expect(check(hurl, `header location location == ${origin}/callback?code=abc&state=xyz`).passed).toBe(true);
    expect(check(hurl, 'header location location urlQueryParam state == xyz').passed).toBe(true);
    expect(check(hurl, 'header x-servers location == x').message).toBe('header x-servers location: location needs a redirect (redirects nth 0 location) or the Location header (header location location), got the string "rec1,rec3"');
  });
});

describe('bytes and decode', () => {
  let gb2312: ResponseView;
  beforeAll(async () => {
    // Hurl's hello_gb2312: the Content-Type names no charset, so the body must be decoded explicitly.
    gb2312 = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/html' }, Buffer.concat([
      Buffer.from('<html><head><meta charset="gb2312"></head><body>'),
      Buffer.from('c4e3bac3cac0bde7', 'hex'),
      Buffer.from('</body></html>'),
    ]))));
  });

  cases(() => gb2312, [
    ['bytes decode "gb2312" xpath "string(//body)" == "你好世界"', true],
    ['bytes decode "gb2312" contains 你好', true],
    ['bytes decode "utf-8" contains 你好', false, /^expected the string "<html>.*" to contain "你好"$/],
    ['bytes toHex startsWith 3c68746d6c3e', true],
    ['bytes base64Encode startsWith PGh0bWw+', true],
    ['bytes count > 10', true],
    ['bytes > 10', true],
  ]);
});

describe('filters over several matches apply to each', () => {
  cases(() => hurl, [
    ['header x-list split "," count == 2', true],
    ['header x-list toString count == 2', true],
    ['body $.escaped_html[*] htmlUnescape nth 2 == "A foo"', true],
  ]);
});

describe('in a request file', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve((request, response) => {
      if (request.url === '/login') {
        response.writeHead(302, { location: '/callback?code=abc123&state=s1' }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'x-servers': 'rec1,rec3' }).end(JSON.stringify({
        token: Buffer.from('{"sub":"ada","exp":1700000000}').toString('base64url'),
        published: '2023-01-23T18:25:43.511Z',
        ip: '10.0.0.1',
      }));
    });
  });
  afterAll(() => server.close());

  test('Hurl-style filters and predicates run, and a failing one reports what it got', async () => {
    const text = [
      `GET ${server.url}/api`,
      '',
      '?? body $.token base64UrlSafeDecode utf8Decode jsonpath "$.sub" == ada',
      '?? body $.published toDate "%+" dateFormat "%A" == Monday',
      '?? header x-servers split "," nth -1 == rec3',
      '?? body $.ip isIpv4',
      '?? body $.ip split "." count == 3',
      '',
      '###',
      '# @no-redirect',
      `GET ${server.url}/login`,
      '',
      '?? header location urlQueryParam "code" == abc123',
      `?? header location location == ${server.url}/callback?code=abc123&state=s1`,
      '',
    ].join('\n');
    const result = await run([{ file: 'a.http', text }], { processEnv: {} });
    const [api, login] = result.files[0]!.requests;
    expect(api!.assertions.map((a) => a.passed)).toEqual([true, true, true, true, false]);
    expect(api!.assertions[4]).toMatchObject({ line: 7, expected: 3, actual: 4, message: 'expected the number 3 but got the number 4' });
    expect(login!.assertions.map((a) => [a.passed, a.message])).toEqual([[true, undefined], [true, undefined]]);
  });

  test('check points at a filter that lacks its argument', async () => {
    const root = project({ 'a.http': `GET ${server.url}/api\n\n?? body $.ip split == 3\n?? body $.ip toDate == 3\n` });
    const { code, stdout } = await runCli(['check', 'a.http'], { cwd: root });
    expect(code).toBe(2);
    expect(stdout).toContain('a.http:3:19: error: "split" needs a separator after it (e.g. split ",")');
    expect(stdout).toContain('a.http:4:20: error: "toDate" needs a date format after it (e.g. toDate "%Y-%m-%d")');
  });
});

test('bytes (in a list too) and dates reach the report as hex and ISO 8601', () => {
  const outcome = check(hurl, 'body $.escaped_html[*] utf8Encode == x');
  expect(outcome.message).toMatch(/^expected the string "x" but got a list of 3 items \["61202667743b/);
  expect(outcome.actual).toEqual(['a &gt; b &amp;&amp; a &lt; c', 'Foo &#xA9; bar &#x1D306; baz &#x2603; qux', '&#65 foo'].map((text) => Buffer.from(text).toString('hex')));
  const date = check(hurl, 'body $.day toDate "%F" == 2024-03-01');
  expect(date).toMatchObject({ passed: false, expected: '2024-03-01', actual: '2024-02-29T00:00:00.000Z' });
});

test('a /g pattern in a filter matches on every response that shares the parsed assertion', () => {
  for (let round = 0; round < 3; round += 1) {
    expect(check(hurl, 'body $.message regex /H(.)llo/g == e').passed).toBe(true);
    expect(check(hurl, 'body $.message replaceRegex /o/g "0" == Hell0 B0b!').passed).toBe(true);
  }
});
