import { expect, test } from 'vitest';
import { createConsoleReporter, type ConsoleReporterOptions } from '../src/report/console.js';
import type { RunEvent } from '../src/run/events.js';
import type { FileResult, RunResult } from '../src/run/result.js';
import { allOutcomes, allPassed, broken, users } from './fixtures/report/run-result.js';

function capture(options: Partial<ConsoleReporterOptions> = {}) {
  const chunks: string[] = [];
  const reporter = createConsoleReporter({
    write: (text) => chunks.push(text),
    color: false,
    quiet: false,
    verbose: false,
    tty: false,
    cwd: '/work/project',
    refreshMs: 0,
    ...options,
  });
  return { reporter, chunks, text: () => chunks.join('') };
}

function eventsFor(file: FileResult): RunEvent[] {
  const events: RunEvent[] = [{ type: 'file-start', file: file.file }];
  if (file.error !== null) {
    events.push({ type: 'diagnostics', file: file.file, diagnostics: [], rendered: ['requests/broken.http:4:1 error: a header line needs a colon\n  4 | Accept application/json\n    | ^'] });
  }
  for (const request of file.requests) {
    events.push({ type: 'request-start', file: file.file, name: request.name, line: request.line });
    if (request.name === 'create user') events.push({ type: 'log', file: file.file, line: 10, message: 'created id 7' });
    events.push({ type: 'request-end', file: file.file, request });
  }
  events.push({ type: 'file-end', file });
  return events;
}

async function play(result: RunResult, options: Partial<ConsoleReporterOptions> = {}, events?: RunEvent[]) {
  const run = capture(options);
  const all = events ?? [{ type: 'run-start', files: result.files.map((f) => f.file) } as RunEvent, ...result.files.flatMap(eventsFor)];
  for (const event of all) run.reporter.onEvent?.(event);
  await run.reporter.onEnd(result);
  return run;
}

test('one line per request, the failure text under failures, logs, diagnostics and the summary', async () => {
  const { text } = await play(allOutcomes);
  expect(text()).toBe(`requests/users.http
    created id 7
  ✓ passed   create user  POST http://127.0.0.1:8080/v1/users  201  12 ms
  ✗ failed   get user  GET http://127.0.0.1:8080/v1/users/7  404  30 ms  2 attempts
    requests/users.http:14  ?? status == 200
        expected: 200
        actual:   404
    requests/users.http:15  ?? body $.name == "ada"
        expected: "ada"
        actual:   (none)
        no value at $.name
        body was not JSON
  ! errored  ping down  GET http://127.0.0.1:1/ping  2 ms
    requests/users.http:20  errored: connection refused by 127.0.0.1:1
  - skipped  delete user  DELETE http://127.0.0.1:8080/v1/users/7  (depends on "get user", which failed)
requests/broken.http
requests/broken.http:4:1 error: a header line needs a colon
  4 | Accept application/json
    | ^
  ✗ requests/broken.http did not run: requests/broken.http:4:1 a header line needs a colon

4 requests: 1 passed, 1 failed, 1 errored, 1 skipped · 2/4 assertions passed · 2 files · 1 not run · 412 ms
`);
});

test('quiet prints only failures, diagnostics and the summary', async () => {
  const { text } = await play(allOutcomes, { quiet: true });
  expect(text()).not.toContain('create user');
  expect(text()).not.toContain('created id 7');
  expect(text()).not.toContain('delete user');
  expect(text()).toContain('  ✗ failed   get user');
  expect(text()).toContain('requests/users.http:20  errored: connection refused');
  expect(text()).toContain('  4 | Accept application/json');
  expect(text().trimEnd().split('\n').at(-1)).toBe(
    '4 requests: 1 passed, 1 failed, 1 errored, 1 skipped · 2/4 assertions passed · 2 files · 1 not run · 412 ms',
  );
  const passing = await play(allPassed, { quiet: true });
  expect(passing.text()).toBe('1 request: 1 passed, 0 failed, 0 errored, 0 skipped · 1/1 assertion passed · 1 file · 12 ms\n');
});

test('verbose adds the wire dump after each request', async () => {
  const { text } = await play(allPassed, { verbose: true });
  expect(text()).toContain(`  ✓ passed   create user  POST http://127.0.0.1:8080/v1/users  201  12 ms
    > POST http://127.0.0.1:8080/v1/users
    > Content-Type: application/json
    > X-USER-TOKEN: ***
    >
    > {"username":"ada"}
    < HTTP 201
    < Content-Type: application/json
    <
    < {"id":7}
`);
});

test('colour on paints marks and summary; colour off writes no escape code at all, even on a TTY', async () => {
  const coloured = await play(allOutcomes, { color: true });
  expect(coloured.text()).toContain('\u001b[32m✓ passed ');
  expect(coloured.text()).toContain('\u001b[31m');
  const plain = await play(allOutcomes, { color: false, tty: true });
  expect(plain.text()).not.toMatch(/\u001b/);
});

test('on a TTY a progress line is drawn, erased before each normal line, and gone at the end', async () => {
  let clock = 1000;
  const { chunks } = await play(allOutcomes, { tty: true, now: () => (clock += 100) });
  const progress = chunks.filter((chunk) => chunk.startsWith('… '));
  expect(progress.length).toBeGreaterThan(3);
  expect(progress).toContain('… 1/2 files · 4 requests · 2 failed · 1.20 s');
  // Every progress line is followed by its erasure (\r, spaces of the same width, \r) before anything else.
  chunks.forEach((chunk, index) => {
    if (!chunk.startsWith('… ')) return;
    const next = chunks[index + 1];
    if (next !== undefined) expect(next).toBe(`\r${' '.repeat(chunk.length)}\r`);
  });
  expect(chunks.at(-1)?.startsWith('\n4 requests')).toBe(true);
  const { chunks: plain } = await play(allOutcomes, { tty: false });
  expect(plain.join('')).not.toContain('\r');
});

test('files print in input order whatever order they finish in', async () => {
  const second: FileResult = { ...users, file: 'requests/second.http', requests: users.requests.slice(0, 1) };
  const result: RunResult = { ...allOutcomes, files: [users, second] };
  const interleaved: RunEvent[] = [
    { type: 'run-start', files: ['requests/users.http', 'requests/second.http'] },
    { type: 'file-start', file: 'requests/users.http' },
    { type: 'file-start', file: 'requests/second.http' },
    { type: 'request-end', file: 'requests/second.http', request: second.requests[0]! },
    { type: 'file-end', file: second },
    { type: 'request-end', file: 'requests/users.http', request: users.requests[0]! },
    { type: 'file-end', file: users },
  ];
  const { text } = await play(result, {}, interleaved);
  const lines = text().split('\n');
  expect(lines.slice(0, 4)).toEqual([
    'requests/users.http',
    '  ✓ passed   create user  POST http://127.0.0.1:8080/v1/users  201  12 ms',
    'requests/second.http',
    '  ✓ passed   create user  POST http://127.0.0.1:8080/v1/users  201  12 ms',
  ]);
});

test('held output is still printed when a file never reports its end', async () => {
  const second: FileResult = { ...users, file: 'requests/second.http', requests: users.requests.slice(0, 1) };
  const events: RunEvent[] = [
    { type: 'run-start', files: ['requests/users.http', 'requests/second.http'] },
    { type: 'file-start', file: 'requests/second.http' },
    { type: 'request-end', file: 'requests/second.http', request: second.requests[0]! },
  ];
  const { text } = await play({ ...allOutcomes, files: [users, second] }, {}, events);
  expect(text()).toContain('requests/second.http\n  ✓ passed   create user');
});

test('given only the final result, the reporter prints the whole run from it', async () => {
  const { text } = await play(allOutcomes, {}, []);
  expect(text()).toContain('  ✗ failed   get user');
  expect(text()).toContain('  ✗ requests/broken.http did not run');
  expect(text()).toContain('4 requests: 1 passed');
});

test('an absolute file path is shown relative to cwd', async () => {
  const absolute: FileResult = { ...broken, file: '/work/project/requests/broken.http' };
  const { text } = await play({ ...allOutcomes, files: [absolute] }, {}, [{ type: 'file-end', file: absolute }]);
  expect(text()).toContain('  ✗ requests/broken.http did not run');
});
