import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { renderTap } from '../src/report/tap.js';
import { allOutcomes, withHostile } from './fixtures/report/run-result.js';

test('TAP 13 with a plan, one test point per request and a file that did not run', () => {
  expect(renderTap(allOutcomes)).toBe(`TAP version 13
1..5
ok 1 - requests/users.http › create user
not ok 2 - requests/users.http › get user
  ---
  message: |-
    requests/users.http:14  ?? status == 200
        expected: 200
        actual:   404
    requests/users.http:15  ?? body $.name == "ada"
        expected: "ada"
        actual:   (none)
        no value at $.name
        body was not JSON
  severity: fail
  file: requests/users.http
  line: 14
  assertion: ?? status == 200
  expected: 200
  actual: 404
  request: GET http://127.0.0.1:8080/v1/users/7
  status: 404
  durationMs: 30
  attempts: 2
  ...
not ok 3 - requests/users.http › ping down
  ---
  message: "requests/users.http:20  errored: connection refused by 127.0.0.1:1"
  severity: error
  file: requests/users.http
  line: 20
  request: GET http://127.0.0.1:1/ping
  durationMs: 2
  ...
ok 4 - requests/users.http › delete user # SKIP depends on "get user", which failed
not ok 5 - requests/broken.http
  ---
  message: requests/broken.http:4:1 a header line needs a colon
  severity: fail
  file: requests/broken.http
  ...
`);
});

test('every diagnostic block is YAML that reads back to the same values', () => {
  const blocks = [...renderTap(withHostile).matchAll(/\n {2}---\n([\s\S]*?)\n {2}\.\.\.\n/g)].map((m) =>
    parse(m[1]!.replace(/^ {2}/gm, '')) as Record<string, unknown>,
  );
  expect(blocks).toHaveLength(3);
  expect(blocks[2]).toMatchObject({
    severity: 'fail',
    file: 'requests/evil, really: yes.http',
    line: 5,
    expected: '100%\u0007done',
    actual: '</pre><script>document.title="pwned"</script>',
  });
});

test('a # in a request name is escaped so it cannot become a directive', () => {
  const line = renderTap(withHostile).split('\n').find((l) => l.startsWith('not ok 5'));
  expect(line).toBe('not ok 5 - requests/evil, really: yes.http › <script>alert(1)</script> & "quotes" \\# not a directive');
});
