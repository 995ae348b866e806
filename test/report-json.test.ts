import { expect, test } from 'vitest';
import { renderJson } from '../src/report/json.js';
import type { RunResult } from '../src/run/result.js';
import { allOutcomes } from './fixtures/report/run-result.js';

test('the JSON report has the SPEC 5.4 keys in order, 2-space indent and a trailing newline', () => {
  const text = renderJson(allOutcomes);
  expect(text.endsWith('}\n')).toBe(true);
  expect(text.startsWith('{\n  "version": 1,\n  "summary": {\n    "files": 2,\n    "requests": 4,')).toBe(true);
  const parsed = JSON.parse(text) as RunResult;
  expect(Object.keys(parsed)).toEqual(['version', 'summary', 'files']);
  expect(Object.keys(parsed.summary)).toEqual([
    'files', 'requests', 'passed', 'failed', 'errored', 'skipped', 'assertions', 'durationMs', 'exitCode',
  ]);
  expect(parsed.summary).toMatchObject({ durationMs: 412, exitCode: 2, assertions: { passed: 2, failed: 2 } });
  expect(Object.keys(parsed.files[0]!.requests[0]!).slice(0, 10)).toEqual([
    'name', 'line', 'method', 'url', 'status', 'durationMs', 'outcome', 'error', 'attempts', 'assertions',
  ]);
  expect(parsed.files[1]).toEqual({
    file: 'requests/broken.http', error: 'requests/broken.http:4:1 a header line needs a colon', requests: [],
  });
});

test('an assertion without an actual value still has the key, as null', () => {
  const parsed = JSON.parse(renderJson(allOutcomes)) as RunResult;
  const assertion = parsed.files[0]!.requests[1]!.assertions[1]!;
  expect(Object.keys(assertion)).toEqual(['line', 'text', 'passed', 'expected', 'actual', 'message']);
  expect(assertion.actual).toBeNull();
});

test('key order does not depend on how the runner built the objects', () => {
  const shuffled = JSON.parse(JSON.stringify(allOutcomes), (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).reverse())
      : value,
  ) as RunResult;
  expect(renderJson(shuffled)).toBe(renderJson(allOutcomes));
});
