import { expect, test } from 'vitest';
import { evaluateAssertion } from '../src/assert/evaluate-assertion.js';
import { parseAssertion } from '../src/assert/parse-assertion.js';
import { ResponseView } from '../src/assert/response-view.js';
import { answer, fetchExchange } from './helpers/fetch-exchange.js';

// parseAssertion caches by text (issue 10: the same `status == 200` is parsed for every request);
// a cached assertion is shared by every response, so it must not carry state from one to the next.

test('the same text parses to the same shared assertion', () => {
  const first = parseAssertion('status == 200');
  expect(parseAssertion('status == 200')).toBe(first);
  expect(parseAssertion('status == 201')).not.toBe(first);
});

test('a /g regex query matches on every response that shares it', async () => {
  const one = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain' }, 'hello')));
  const two = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'text/plain' }, 'hallo')));
  const source = 'regex /h(.)llo/g exists';
  for (const view of [one, two, one]) {
    const parsed = parseAssertion(source);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(evaluateAssertion(parsed.assertion, view, { baseDir: '.' }).passed).toBe(true);
  }
});

test('a failed == still says what was expected and what came (the text is built only on failure)', async () => {
  const view = new ResponseView(await fetchExchange(answer(200, { 'content-type': 'application/json' }, '{"id":3}')));
  const parsed = parseAssertion('body $.id == 4');
  if ('error' in parsed) throw new Error(parsed.error);
  const outcome = evaluateAssertion(parsed.assertion, view, { baseDir: '.' });
  expect(outcome.passed).toBe(false);
  expect(outcome.message).toBe('expected the number 4 but got the number 3');
  const negated = parseAssertion('body $.id not == 3');
  if ('error' in negated) throw new Error(negated.error);
  expect(evaluateAssertion(negated.assertion, view, { baseDir: '.' }).message).toBe('expected anything but the number 3, and got exactly that');
});
