import { stringify } from 'yaml';
import { requestFile, type FileResult, type RequestResult, type RunResult } from '../run/result.js';
import { describeFailure } from './failure-text.js';

/**
 * TAP version 13: one test point per request (plus one per file that did not run), in input order,
 * with a YAML diagnostic block under every `not ok`. Skipped requests are `ok ... # SKIP reason`.
 */
export function renderTap(result: RunResult): string {
  const points: string[] = [];
  for (const file of result.files) {
    if (file.error !== null) {
      points.push(testPoint(false, points.length + 1, file.file, '', diagnosticBlock({ message: file.error, severity: 'fail', file: file.file })));
    }
    for (const request of file.requests) points.push(requestPoint(file, request, points.length + 1));
  }
  return ['TAP version 13', `1..${points.length}`, ...points, ''].join('\n');
}

function requestPoint(file: FileResult, request: RequestResult, number: number): string {
  const description = `${file.file} › ${request.name}`;
  if (request.outcome === 'passed') return testPoint(true, number, description, '');
  if (request.outcome === 'skipped') {
    return testPoint(true, number, description, ` # SKIP ${oneLine(request.error ?? 'not run')}`);
  }
  const failed = request.assertions.find((assertion) => !assertion.passed);
  const details: Record<string, unknown> = {
    message: describeFailure(file, request),
    severity: request.outcome === 'errored' ? 'error' : 'fail',
    file: requestFile(file, request),
    line: failed?.line ?? request.line,
  };
  if (failed !== undefined) {
    details.assertion = failed.text;
    details.expected = failed.expected ?? null;
    details.actual = failed.actual ?? null;
  }
  details.request = `${request.method} ${request.url}`;
  if (request.status !== null) details.status = request.status;
  details.durationMs = request.durationMs;
  if (request.attempts > 1) details.attempts = request.attempts;
  return testPoint(false, number, description, '', diagnosticBlock(details));
}

function testPoint(ok: boolean, number: number, description: string, directive: string, block = ''): string {
  // `#` would start a directive and a line break would end the test line, so neither may stay raw.
  const safe = oneLine(description).replace(/\\/g, '\\\\').replace(/#/g, '\\#');
  const line = `${ok ? 'ok' : 'not ok'} ${number} - ${safe}${directive}`;
  return block === '' ? line : `${line}\n${block}`;
}

function diagnosticBlock(details: Record<string, unknown>): string {
  const yaml = stringify(details, { lineWidth: 0 }).trimEnd();
  const body = yaml.split('\n').map((line) => `  ${line}`);
  return ['  ---', ...body, '  ...'].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
