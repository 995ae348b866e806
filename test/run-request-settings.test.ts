// Per-request settings from metadata (src/run/request-settings.ts): what each dialect's spelling
// turns on, read from parsed requests.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { run } from '../src/index.js';
import { defaultRunOptions } from '../src/run/options.js';
import { settingsFor } from '../src/run/request-settings.js';
import { parse } from '../src/syntax/parse.js';
import { project } from './helpers/cli.js';
import { serve } from './helpers/server.js';

function settings(metadata: string) {
  const request = parse(`${metadata}\nGET http://127.0.0.1/\n`, { file: 'm.http' }).ast.requests[0]!;
  return settingsFor(request, defaultRunOptions(), {});
}

test("kulala's curl flags count as httprun's settings: insecure, max-time, connect-timeout (seconds)", () => {
  const plain = settings('');
  expect([plain.insecure, plain.timeout === 1500, plain.connectionTimeout === 2500]).toEqual([false, false, false]);
  expect(settings('# @curl-insecure').insecure).toBe(true);
  expect(settings('# @curl-k').insecure).toBe(true);
  expect(settings('# @kulala-curl--insecure').insecure).toBe(true);
  // httpyac's spellings.
  expect(settings('# @no-reject-unauthorized').insecure).toBe(true);
  expect(settings('# @noRejectUnauthorized').insecure).toBe(true);
  expect(settings('# @curl-max-time 1.5').timeout).toBe(1500);
  expect(settings('# @kulala-curl--max-time 5').timeout).toBe(5000);
  expect(settings('# @curl-connect-timeout 2.5').connectionTimeout).toBe(2500);
  expect(settings('// @kulala-curl--connect-timeout 5').connectionTimeout).toBe(5000);
});

test('the last of several spellings wins, as for any repeated metadata', () => {
  expect(settings('# @timeout 3\n# @curl-max-time 7').timeout).toBe(7000);
  expect(settings('# @curl-max-time 7\n# @timeout 3').timeout).toBe(3000);
});

test("httpyac's @sleep and kulala's @delay are milliseconds to wait before sending; a duration works too", () => {
  expect(settings('').delay).toBe(0);
  expect(settings('# @sleep 1000').delay).toBe(1000);
  expect(settings('# @delay 250').delay).toBe(250);
  expect(settings('# @sleep 2 s').delay).toBe(2000);
  expect(settings('# @sleep soon').delay).toBe(0);
});

test('@sleep waits before its request is sent; the request without it is not held up', async () => {
  const arrived: number[] = [];
  const server = await serve((_request, response) => {
    arrived.push(performance.now());
    response.end('ok');
  });
  try {
    const root = project({ 'a.http': 'GET {{server}}/one\n\n###\n# @sleep 400\nGET {{server}}/two\n\n###\nGET {{server}}/three\n' });
    const result = await run([join(root, 'a.http')], { cwd: root, vars: { server: server.url }, reporters: [] });
    expect(result.summary.exitCode).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/one', '/two', '/three']);
    const [one, two, three] = arrived as [number, number, number];
    expect(two - one).toBeGreaterThanOrEqual(390);
    expect(three - two).toBeLessThan(390);
  } finally {
    await server.close();
  }
});

test("kulala's `### Shared` block: its metadata sets every later request's settings; a request's own wins", () => {
  const ast = parse('### Shared\n# @no-redirect\n# @curl-max-time 2\n\n### one\nGET http://127.0.0.1/a\n\n### two\n# @timeout 9\nGET http://127.0.0.1/b\n', { file: 's.http' }).ast;
  const [one, two] = ast.requests.map((request) => settingsFor(request, defaultRunOptions(), {}));
  expect([one!.followRedirects, one!.timeout, two!.followRedirects, two!.timeout]).toEqual([false, 2000, false, 9000]);
});
