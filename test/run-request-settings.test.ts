// Per-request settings from metadata (src/run/request-settings.ts): what each dialect's spelling
// turns on, read from parsed requests.
import { expect, test } from 'vitest';
import { defaultRunOptions } from '../src/run/options.js';
import { settingsFor } from '../src/run/request-settings.js';
import { parse } from '../src/syntax/parse.js';

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
  expect(settings('# @curl-max-time 1.5').timeout).toBe(1500);
  expect(settings('# @kulala-curl--max-time 5').timeout).toBe(5000);
  expect(settings('# @curl-connect-timeout 2.5').connectionTimeout).toBe(2500);
  expect(settings('// @kulala-curl--connect-timeout 5').connectionTimeout).toBe(5000);
});

test('the last of several spellings wins, as for any repeated metadata', () => {
  expect(settings('# @timeout 3\n# @curl-max-time 7').timeout).toBe(7000);
  expect(settings('# @curl-max-time 7\n# @timeout 3').timeout).toBe(3000);
});
