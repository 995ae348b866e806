// Code of src/assert, src/resolve and src/config that no other test ran (found with v8 coverage,
// helper task h36): each case is the input a user would write and the result it must give.
import { beforeAll, describe, expect, test } from 'vitest';
import { evaluateAssertion, type AssertionOutcome } from '../src/assert/evaluate-assertion.js';
import { parseAssertion } from '../src/assert/parse-assertion.js';
import { ResponseView } from '../src/assert/response-view.js';
import { answer, fetchExchange } from './helpers/fetch-exchange.js';

function check(view: ResponseView, source: string): AssertionOutcome {
  const parsed = parseAssertion(source);
  if ('error' in parsed) throw new Error(`${source}: ${parsed.error}`);
  return evaluateAssertion(parsed.assertion, view, { baseDir: '.' });
}

const BODY = `{"nested": {"a": 1}, "big": 123456789012345678901234567890, "zero": 0, "ten": 10, "bang": "a!'()*b",
 "expires": "Wed, 21 Oct 2015 07:28:00 GMT", "file": "0YjQtdC70LvRiw==", "long": "${Buffer.alloc(40, 0xff).toString('base64')}"}`;

let view: ResponseView;
beforeAll(async () => {
  view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'application/json', location: 'http://[::1/x' }, BODY)));
});

/** [assertion, passes?, failure message (when it fails)] */
type Case = [string, boolean, string?];

describe('assertions: filters and comparisons no other test reached', () => {
  test.each<Case>([
    // toString of an object, of bytes (as hex) and of a date (ISO 8601): Hurl's toString of each.
    ['jsonpath $.nested toString == "{\\"a\\":1}"', true],
    ['jsonpath $.file base64Decode toString == d188d0b5d0bbd0bbd18b', true],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" toString == "2015-10-21T07:28:00.000Z"', true],
    // An integer beyond 2^53 stays exact through toInt.
    ['jsonpath $.big toInt == 123456789012345678901234567890', true],
    ['jsonpath $.big toInt == 123456789012345678901234567891', false, 'expected the number 123456789012345678901234567891 but got the number 123456789012345678901234567890'],
    ['jsonpath $.big isTrue', true],
    ['jsonpath $.big isFalse', false, 'expected falsy (false, 0, "" or null), got the number 123456789012345678901234567890'],
    // urlEncode percent-encodes the characters encodeURIComponent leaves alone.
    ['jsonpath $.bang urlEncode == "a%21%27%28%29%2Ab"', true],
    // count of nothing gives nothing: the failure names the query, not a count of 0.
    ['jsonpath $.missing count == 0', false, 'jsonpath $.missing count matched nothing, so there is no value to check against "== 0"'],
    // More than 32 bytes are cut in the message.
    ['jsonpath $.long base64Decode utf8Decode == x', false, `jsonpath $.long base64Decode utf8Decode: utf8Decode: the bytes ${'ff'.repeat(32)}… are not valid UTF-8`],
    ['header location location == x', false, 'header location location: location: the string "http://[::1/x" is not a URL'],
    ['jsonpath $.ten == true', false, 'expected the boolean true but got the number 10\nhint: the types differ: expected a boolean, got a number'],
    ['jsonpath $.ten == [1]', false, 'expected a list of 1 item [1] but got the number 10\nhint: the types differ: expected a list, got a number'],
    // A date against an ISO date without an offset: UTC, with or without seconds.
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == 2015-10-21T07:28:00', true],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == "2015-10-21 07:28"', true],
    // A date against a number or null: the message names the number (it said 'the string "5"' while the hint said 'expected a number').
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == 5', false, 'expected the number 5 but got the date 2015-10-21T07:28:00.000Z\nhint: the types differ: expected a number, got a date'],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == null', false, 'expected null but got the date 2015-10-21T07:28:00.000Z\nhint: the types differ: expected null, got a date'],
    ['jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" > 5', false, 'cannot order the date 2015-10-21T07:28:00.000Z against the number 5: > compares two numbers or two strings'],
    // A digest of a value that is not the whole body: of its JSON text, of its bytes, of its text.
    ['jsonpath $.nested sha256 015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862', true],
    ['jsonpath $.file base64Decode sha256 lrVHU03q/ol8FPa4bkjR0L6mp+QQkelDsBTgTmYTAbU=', true],
    ['jsonpath $.ten toString sha256 x', false, 'expected the sha256 of jsonpath $.ten toString to be x, got 4a44dc15364204a80fe80e9039455cc1608281820fe2b24f1e5233ade6af1dd5 (base64 SkTcFTZCBKgP6A6QOUVcwWCCgYIP4rJPHlIzreavHdU=)'],
  ])('%s → %s', (source, passes, message) => {
    const outcome = check(view, source);
    expect(outcome.passed, outcome.message).toBe(passes);
    expect(outcome.message).toBe(passes ? undefined : message);
  });

  test('the expected value of a date compared with a number is the number', () => {
    const outcome = check(view, 'jsonpath $.expires toDate "%a, %d %b %Y %H:%M:%S GMT" == 5');
    expect([outcome.expected, outcome.actual]).toEqual([5, '2015-10-21T07:28:00.000Z']);
  });
});
