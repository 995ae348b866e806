import { expect, test } from 'vitest';
import { jsonDiff, jsonEqual } from '../src/assert/json-diff.js';
import { isIsoDate } from '../src/assert/evaluate-assertion.js';

test('every differing path is listed, nested and in lists', () => {
  expect(jsonDiff(
    { a: { b: [1, 2, 3], 'c-d': 'x' }, e: true, f: 1 },
    { a: { b: [1, 5], 'c-d': 'y', g: null }, e: 'true', f: 1n },
  )).toEqual([
    '$.a.b[1]: expected 2, got 5',
    '$.a.b[2]: expected 3, got nothing (the list has 2 items)',
    "$.a['c-d']: expected \"x\", got \"y\"",
    '$.a.g: not expected, got null',
    '$.e: expected the boolean true, got the string "true"',
  ]);
});

test('a bigint equals the same number; structures must match exactly', () => {
  expect(jsonEqual({ id: 3n }, { id: 3 })).toBe(true);
  expect(jsonEqual([1, 2], [2, 1])).toBe(false);
});

test('a diff stops after the limit so two unrelated lists do not flood the output', () => {
  const lines = jsonDiff(Array.from({ length: 100 }, (_, i) => i), Array.from({ length: 100 }, (_, i) => i + 1));
  expect(lines).toHaveLength(50);
  expect(lines[0]).toBe('$[0]: expected 0, got 1');
});

test('long values in a diff are cut with a note', () => {
  expect(jsonDiff({ a: 'x'.repeat(250) }, { a: 'y' })).toEqual([`$.a: expected "${'x'.repeat(199)}… (truncated, 252 characters in all), got "y"`]);
});

test.each([
  ['2024-05-01', true],
  ['2024-05-01T12:30:00Z', true],
  ['2024-05-01T12:30:00.123+02:00', true],
  ['2024-02-29', true],
  ['2023-02-29', false],
  ['2024-13-01', false],
  ['2024-05-01T25:00:00Z', false],
  ['01/05/2024', false],
])('isIsoDate(%s) is %s', (text, valid) => {
  expect(isIsoDate(text)).toBe(valid);
});

test('a comparison with more than 50 differences says the list is cut', async () => {
  const { compareEqual, interpretExpected } = await import('../src/assert/compare-values.js');
  const expected = JSON.stringify(Array.from({ length: 60 }, (_, i) => i));
  const comparison = compareEqual(Array.from({ length: 60 }, (_, i) => -i - 1), interpretExpected(expected));
  expect(comparison.summary).toBe('the JSON differs from the expected value in at least 50 places (the first 50 follow):');
  expect(comparison.details).toHaveLength(50);
});
