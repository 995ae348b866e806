import { describe, expect, test } from 'vitest';
import { holdsBigInt, parseJson, stringifyJson, toLossy } from '../src/assert/parse-json.js';

describe('parseJson keeps big integers exact', () => {
  test('an integer beyond 2^53 becomes a bigint with every digit', () => {
    expect(parseJson('{"id": 12345678901234567890}')).toEqual({ value: { id: 12345678901234567890n } });
    expect(parseJson('[-9007199254740993, 9007199254740991]')).toEqual({ value: [-9007199254740993n, 9007199254740991] });
  });

  test('everything else parses as JSON.parse would', () => {
    const text = '{"a": [1, 2.5, -0.1e3, true, false, null, "x\\u00e9\\n\\"q\\""], "b": {}, "c": [], "d": 1234567890123456.5, "__proto__": 1}';
    const parsed = parseJson(text) as { value: Record<string, unknown> };
    expect(parsed.value).toEqual(JSON.parse(text));
    expect(Object.hasOwn(parsed.value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
  });

  test.each([
    ['{"id": 12345678901234567890', 'Expected \',\' or \'}\' after property value at position 27'],
    ['{"id": 12345678901234567890,}', 'Expected a double-quoted property name at position 28'],
    ['[12345678901234567890 1]', 'Expected \',\' or \']\' after array element at position 22'],
    ['[12345678901234567890, tru]', "Unexpected token 't' at position 23"],
    ['[12345678901234567890, "a\\x"]', 'Bad escaped character in string literal at position 23'],
    ['[12345678901234567890, -]', 'No number after minus sign at position 23'],
    ['[12345678901234567890] x', 'Unexpected non-whitespace character after JSON at position 23'],
    ['[12345678901234567890, "a\nb"]', 'Bad control character in string literal at position 25'],
    ['{"a": 12345678901234567890, "b": "', 'Unterminated string in JSON at position 34'],
    ['[12345678901234567890, ', 'Unexpected end of JSON input at position 23'],
  ])('a syntax error in %j says where', (text, error) => {
    expect(parseJson(text)).toEqual({ error });
  });

  test('texts without long digit runs use the native parser, errors included', () => {
    expect(parseJson('{"a": 1}')).toEqual({ value: { a: 1 } });
    expect(parseJson('{')).toMatchObject({ error: expect.any(String) });
  });
});

describe('helpers', () => {
  test('holdsBigInt, toLossy and stringifyJson', () => {
    const value = { a: [1, { b: 12345678901234567890n }], c: 'x' };
    expect(holdsBigInt(value)).toBe(true);
    expect(holdsBigInt({ a: [1, 'x'] })).toBe(false);
    expect(toLossy(value)).toEqual({ a: [1, { b: 12345678901234567000 }], c: 'x' });
    expect(stringifyJson(value)).toBe('{"a":[1,{"b":12345678901234567890}],"c":"x"}');
    expect(stringifyJson([-5n])).toBe('[-5]');
  });
});
