import { expect, test } from 'vitest';
import { jsonValue, parseJsonDocument } from '../src/config/json-document.js';

function errorOf(text: string): { message: string; offset: number } {
  const result = parseJsonDocument(text);
  if (!('error' in result)) throw new Error(`expected an error for ${text}`);
  return result.error;
}

test('parses what JSON.parse parses, to the same value', () => {
  const text = '{ "a": [1, -2.5e3, true, false, null], "b": { "c": "\\u00e9\\n\\"q\\"\\/" }, "": {} }';
  const result = parseJsonDocument(text);
  expect('node' in result && jsonValue(result.node)).toEqual(JSON.parse(text));
});

test('keeps where keys and values are', () => {
  const text = '{\n  "dev": { "host": 42 }\n}';
  const result = parseJsonDocument(text);
  if (!('node' in result) || result.node.type !== 'object') throw new Error('expected an object');
  const dev = result.node.entries[0];
  expect(dev && text.slice(dev.keyStart, dev.keyEnd)).toBe('"dev"');
  expect(dev && text.slice(dev.value.start, dev.value.end)).toBe('{ "host": 42 }');
});

test('every syntax error says what was expected, where', () => {
  expect(errorOf('{ "a": 1 "b": 2 }')).toEqual({ message: 'expected "," or "}" after a property value, found """', offset: 9 });
  expect(errorOf('{ "a": 1, }')).toEqual({ message: 'trailing comma before "}"', offset: 10 });
  expect(errorOf('[1, ]')).toEqual({ message: 'trailing comma before "]"', offset: 4 });
  expect(errorOf('[1 2]')).toEqual({ message: 'expected "," or "]" after an array item, found "2"', offset: 3 });
  expect(errorOf('{ a: 1 }')).toEqual({ message: 'expected a property name in double quotes, found "a"', offset: 2 });
  expect(errorOf('{ "a" 1 }')).toEqual({ message: 'expected ":" after the property name "a", found "1"', offset: 6 });
  expect(errorOf('{ "a": }')).toEqual({ message: 'expected a value, found "}"', offset: 7 });
  expect(errorOf('{ "a": \'x\' }')).toEqual({ message: 'strings must use double quotes', offset: 7 });
  expect(errorOf('{ "a": "x')).toEqual({ message: 'unterminated string', offset: 7 });
  expect(errorOf('{ "a": "x\n" }')).toEqual({
    message: 'unterminated string (a line break inside a string must be written \\n)',
    offset: 7,
  });
  expect(errorOf('"a\tb"')).toEqual({ message: 'control character in a string must be escaped', offset: 2 });
  expect(errorOf('"\\x"')).toEqual({ message: 'invalid escape "\\x" in a string', offset: 1 });
  expect(errorOf('"\\u12G4"')).toEqual({ message: 'invalid \\u escape: expected four hexadecimal digits', offset: 1 });
  expect(errorOf('{} {}')).toEqual({ message: 'unexpected "{" after the end of the JSON value', offset: 3 });
  expect(errorOf('{\n  // note\n}')).toEqual({ message: 'comments are not allowed in JSON', offset: 4 });
  expect(errorOf('{ "a":')).toEqual({ message: 'expected a value, found the end of the file', offset: 6 });
  expect(errorOf('{ "a": 1\n')).toEqual({ message: 'expected "," or "}" after a property value, found the end of the file', offset: 9 });
  expect(errorOf('[-]')).toEqual({ message: 'expected a value, found "-"', offset: 1 });
  expect(errorOf('['.repeat(600) + ']'.repeat(600))).toEqual({ message: 'nesting deeper than 500 levels', offset: 501 });
});
