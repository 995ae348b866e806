import { expect, test } from 'vitest';
import { describeFailure, summariseFailure } from '../src/report/failure-text.js';
import { describeSummary } from '../src/report/summary-text.js';
import { allOutcomes, users } from './fixtures/report/run-result.js';

const [created, fetched, errored, skipped] = users.requests;

test('a failed request lists each failed assertion with file:line, text, expected, actual and message', () => {
  expect(describeFailure(users, fetched!)).toBe(
    [
      'requests/users.http:14  ?? status == 200',
      '    expected: 200',
      '    actual:   404',
      'requests/users.http:15  ?? body $.name == "ada"',
      '    expected: "ada"',
      '    actual:   (none)',
      '    no value at $.name',
      '    body was not JSON',
    ].join('\n'),
  );
});

test('an errored request says why at its request line', () => {
  expect(describeFailure(users, errored!)).toBe('requests/users.http:20  errored: connection refused by 127.0.0.1:1');
});

test('a skipped request gives the reason', () => {
  expect(describeFailure(users, skipped!)).toBe('requests/users.http:25  skipped: depends on "get user", which failed');
});

test('a passed request has no failure text', () => {
  expect(describeFailure(users, created!)).toBe('');
});

test('a failed request without a failed assertion still says it failed, with the error when there is one', () => {
  const request = { ...fetched!, assertions: [], error: 'script threw: x is not defined' };
  expect(describeFailure(users, request)).toBe('requests/users.http:12  failed: script threw: x is not defined');
  expect(describeFailure(users, { ...request, error: null })).toBe('requests/users.http:12  failed');
});

test('a multi-line error keeps its later lines indented under the first', () => {
  expect(describeFailure(users, { ...errored!, error: 'TLS failed\ncertificate expired' })).toBe(
    'requests/users.http:20  errored: TLS failed\n    certificate expired',
  );
});

test('the one-line summary names each failed assertion with expected and actual', () => {
  expect(summariseFailure(fetched!)).toBe(
    '?? status == 200 (expected 200, actual 404); ?? body $.name == "ada" (expected "ada", actual (none))',
  );
  expect(summariseFailure(errored!)).toBe('connection refused by 127.0.0.1:1');
});

test('the summary line uses the JSON summary words and counts', () => {
  expect(describeSummary(allOutcomes)).toBe(
    '4 requests: 1 passed, 1 failed, 1 errored, 1 skipped · 2/4 assertions passed · 2 files · 1 not run · 412 ms',
  );
});
