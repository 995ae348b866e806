import { expect, test } from 'vitest';
import { describeFailure } from '../src/report/failure-text.js';
import type { FileResult, RequestResult } from '../src/run/result.js';
import { CLEAR_SCREEN, FOOTER_KEYS, rank, renderScreen } from '../src/watch/watch-screen.js';

function request(overrides: Partial<RequestResult>): RequestResult {
  return {
    name: 'GET http://127.0.0.1:1/x',
    line: 1,
    method: 'GET',
    url: 'http://127.0.0.1:1/x',
    status: 200,
    durationMs: 12,
    outcome: 'passed',
    error: null,
    attempts: 1,
    assertions: [],
    ...overrides,
  };
}

const passing: FileResult = { file: 'a-ok.http', error: null, requests: [request({ name: 'list users' })] };
const failing: FileResult = {
  file: 'm-failing.http',
  error: null,
  requests: [
    request({ name: 'create user', line: 4 }),
    request({
      name: 'get user',
      line: 9,
      status: 404,
      outcome: 'failed',
      assertions: [{ line: 11, text: '?? status == 200', passed: false, expected: 200, actual: 404 }],
    }),
  ],
};
const erroring: FileResult = {
  file: 'z-down.http',
  error: null,
  requests: [request({ name: 'health', status: null, outcome: 'errored', error: 'connection refused: 127.0.0.1:1' })],
};
const broken: FileResult = { file: 'b-broken.http', error: 'b-broken.http:2:1: expected a header', requests: [] };

test('failing files come first (did not run, errored, failed), then passing files one line each', () => {
  const screen = renderScreen({ files: [passing, failing, erroring, broken], diagnostics: new Map(), status: '12:00:00 · first run', color: false });
  const order = ['b-broken.http', 'z-down.http', 'm-failing.http', 'a-ok.http'].map((name) => screen.indexOf(`${name}  `));
  expect(order.every((at) => at > 0)).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(screen).toContain('✓ a-ok.http  1/1 passed\n');
  expect(screen).not.toContain('list users');
  expect(screen).toContain('✗ m-failing.http  1/2 passed\n');
  expect(screen).toContain('✗ b-broken.http  did not run\n');
  expect([rank(broken), rank(erroring), rank(failing), rank(passing)]).toEqual([3, 2, 1, 0]);
});

test('a failure reads as it does in `run`: the same failure text, under its request line', () => {
  const screen = renderScreen({ files: [failing], diagnostics: new Map(), status: 'now', color: false });
  const text = describeFailure(failing, failing.requests[1]!);
  expect(text).toContain('m-failing.http:11');
  for (const line of text.split('\n').filter(Boolean)) expect(screen).toContain(`      ${line}\n`);
  expect(screen).toMatch(/ {2}✗ failed {3}get user {2}404 {2}12 ms\n/);
  expect(screen).toMatch(/ {2}✓ passed {3}create user {2}200/);
});

test('a file that did not run shows its rendered diagnostics (with the caret) when there are some', () => {
  const rendered = ['b-broken.http:2:1: error: expected a header\n  2 | XX\n    | ^^'];
  const screen = renderScreen({ files: [broken], diagnostics: new Map([['b-broken.http', rendered]]), status: 'now', color: false });
  expect(screen).toContain('    b-broken.http:2:1: error: expected a header\n      2 | XX\n        | ^^\n');
  const plain = renderScreen({ files: [broken], diagnostics: new Map(), status: 'now', color: false });
  expect(plain).toContain('    b-broken.http:2:1: expected a header\n');
});

test('the screen clears, names what happened, sums up every file and ends with the keys', () => {
  const screen = renderScreen({ files: [passing, failing], diagnostics: new Map(), status: '12:00:01 · changed: a-ok.http', color: false });
  expect(screen.startsWith(`${CLEAR_SCREEN}httprun watch · 12:00:01 · changed: a-ok.http\n`)).toBe(true);
  expect(screen).toContain('\n\n3 requests: 2 passed, 1 failed, 0 errored, 0 skipped · 0/1 assertion passed · 2 files\n');
  expect(screen.endsWith(`${FOOTER_KEYS}\n`)).toBe(true);
  expect(FOOTER_KEYS).toBe('a re-run all · f re-run failed · q quit');
  // Without colour there is no escape code but the clear at the top.
  expect(screen.slice(CLEAR_SCREEN.length)).not.toContain('\x1b');
});

test('with colour, failures are red and passes green', () => {
  const screen = renderScreen({ files: [passing, failing], diagnostics: new Map(), status: 'now', color: true });
  expect(screen).toContain('\x1b[31m✗\x1b[39m');
  expect(screen).toContain('\x1b[32m✓\x1b[39m');
});

test('before any request file exists the screen says how to start', () => {
  const screen = renderScreen({ files: [], diagnostics: new Map(), status: 'first run', color: false });
  expect(screen).toContain('no request file yet: save a .http or .rest file in a watched folder');
});

test('a slow run lists what is still running above the latest results', () => {
  const screen = renderScreen({ files: [passing], diagnostics: new Map(), status: 'now', running: ['a-ok.http', 'slow.http'], color: false });
  expect(screen).toContain('httprun watch · now\n\n… running a-ok.http, slow.http\n\n✓ a-ok.http  1/1 passed\n');
  const first = renderScreen({ files: [], diagnostics: new Map(), status: 'first run', running: ['slow.http'], color: false });
  expect(first).not.toContain('no request file yet');
});
