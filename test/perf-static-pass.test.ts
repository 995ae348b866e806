import { expect, test } from 'vitest';
import { parseAssertion } from '../src/assert/parse-assertion.js';

// Issue 10 (W6): a generated file writes `?? body $.id == 1`, `== 2` ... once each. Texts that agree
// up to their predicate share the query's reading; each keeps its own expected value and source.

test('texts that differ after the predicate share the query, not the expected value', () => {
  const one = parseAssertion('body $.id == 1');
  const two = parseAssertion('body $.id == 2');
  if (!('assertion' in one) || !('assertion' in two)) throw new Error('expected assertions');
  expect(two.assertion.query).toBe(one.assertion.query);
  expect(two.assertion.expected).toBe('2');
  expect(two.assertion.source).toBe('body $.id == 2');
  expect(one.assertion.expected).toBe('1');
});

test('a shared query part still reads each expected value and its errors', () => {
  expect(parseAssertion('status == 201')).toMatchObject({ assertion: { expected: '201' } });
  expect(parseAssertion('body $.id exists')).toMatchObject({ assertion: { predicate: 'exists', expected: '' } });
  expect(parseAssertion('body $.id exists 3')).toEqual({ error: '"exists" takes no value, found "3"', column: 18 });
  expect(parseAssertion('body $.name matches ^a')).toMatchObject({ assertion: { pattern: /^a/ } });
  expect(parseAssertion('body $.name matches ("')).toMatchObject({ column: 21 });
});

test('a word that reaches past another text\'s predicate reads as that text says', () => {
  // Unclosed quote: a plain character, so `==` is the predicate; closed later: one quoted word, no predicate.
  expect(parseAssertion('header "a == 1')).toMatchObject({ assertion: { query: { kind: 'header', name: '"a' }, expected: '1' } });
  expect(parseAssertion('header "a == 1"')).toMatchObject({ error: expect.stringContaining('expected a predicate') });
});
