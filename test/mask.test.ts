import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mask } from '../src/run/mask.js';
import { summarise, type FileResult } from '../src/run/result.js';
import { SecretSet } from '../src/run/secret-set.js';
import { project, runCli } from './helpers/cli.js';
import { serve } from './helpers/server.js';

function secrets(...values: string[]): SecretSet {
  const set = new SecretSet();
  for (const value of values) set.add(value);
  return set;
}

describe('mask keeps the shape of what it masks', () => {
  const file: FileResult = {
    file: 'a.http',
    error: null,
    requests: [
      {
        name: 'login with pass',
        line: 1,
        method: 'GET',
        url: 'http://127.0.0.1/?p=pass',
        status: 200,
        durationMs: 1,
        outcome: 'passed',
        error: null,
        attempts: 1,
        assertions: [
          { line: 2, text: '?? body $.pass == 1', passed: true, expected: 1, actual: { pass: 'pass', other: 'x' } },
        ],
      },
    ],
  };

  test('a secret that is part of a key or an outcome ("pass" in "passed") masks text, not the structure', () => {
    const masked = mask(summarise([file], 5), secrets('pass'));
    expect(masked.summary).toMatchObject({ requests: 1, passed: 1, assertions: { passed: 1, failed: 0 } });
    const request = masked.files[0]!.requests[0]!;
    expect(request.outcome).toBe('passed');
    expect(request.name).toBe('login with ***');
    expect(request.url).toBe('http://127.0.0.1/?p=***');
    expect(request.assertions[0]!.text).toBe('?? body $.*** == 1');
    // Response data is masked whole, keys too: a JSON object may be keyed by a token.
    expect(request.assertions[0]!.actual).toEqual({ '***': '***', other: 'x' });
  });

  test('a secret holding a lone surrogate is masked raw and as sent (U+FFFD, percent-encoded), without throwing', () => {
    const set = secrets('pw\uD800x');
    expect(mask('raw pw\uD800x, query ?p=pw%EF%BF%BDx', set)).toBe('raw ***, query ?p=***');
  });

  test('event types and diagnostic codes survive a secret inside them', () => {
    const event = { type: 'request-end', file: 'a.http', severity: 'error', code: 'resolve/missing-secret', message: 'end of request' };
    expect(mask(event, secrets('end'))).toEqual({
      type: 'request-end',
      file: 'a.http',
      severity: 'error',
      code: 'resolve/missing-secret',
      message: '*** of request',
    });
  });
});

test('a run whose secret is "pass" reports passed requests as passed (CLI, JSON report)', async () => {
  const server = await serve((_request, response) => {
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  const dir = project({ 'a.http': `POST ${server.url}/x\nAuthorization: Bearer <<TOKEN>>\n\n?? status == 201\n` });
  const run = await runCli(['--no-color', '--report-json', 'r.json', 'a.http'], { cwd: dir, env: { TOKEN: 'pass' } });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('1 request: 1 passed');
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  expect(report.summary).toMatchObject({ passed: 1, assertions: { passed: 1, failed: 0 } });
  expect(report.files[0].requests[0].outcome).toBe('passed');
  expect(server.requests[0]!.headers.authorization).toBe('Bearer pass');
});
