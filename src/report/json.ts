import type { AssertionResult, FileResult, RequestResult, RunResult, WireMessage } from '../run/result.js';

/**
 * The JSON report, SPEC §5.4: keys in the documented order whatever order the runner built them in,
 * `expected`/`actual` always present (null when there was none), 2-space indent, trailing newline.
 */
export function renderJson(result: RunResult): string {
  return `${JSON.stringify(canonicalRun(result), null, 2)}\n`;
}

function canonicalRun(result: RunResult): unknown {
  const { summary } = result;
  return {
    version: result.version,
    summary: {
      files: summary.files,
      requests: summary.requests,
      passed: summary.passed,
      failed: summary.failed,
      errored: summary.errored,
      skipped: summary.skipped,
      assertions: { passed: summary.assertions.passed, failed: summary.assertions.failed },
      durationMs: summary.durationMs,
      exitCode: summary.exitCode,
    },
    files: result.files.map(canonicalFile),
  };
}

function canonicalFile(file: FileResult): unknown {
  return { file: file.file, error: file.error, requests: file.requests.map(canonicalRequest) };
}

function canonicalRequest(request: RequestResult): unknown {
  return {
    name: request.name,
    line: request.line,
    method: request.method,
    url: request.url,
    status: request.status,
    durationMs: request.durationMs,
    outcome: request.outcome,
    error: request.error,
    attempts: request.attempts,
    assertions: request.assertions.map(canonicalAssertion),
    // Extras beyond §5.4 go last, so a reader of version 1 meets the documented keys first.
    ...(request.file === undefined ? {} : { file: request.file }),
    ...(request.redirects === undefined ? {} : { redirects: request.redirects }),
    ...(request.request === undefined ? {} : { request: canonicalWire(request.request) }),
    ...(request.response === undefined ? {} : { response: canonicalWire(request.response) }),
  };
}

function canonicalAssertion(assertion: AssertionResult): unknown {
  return {
    line: assertion.line,
    text: assertion.text,
    passed: assertion.passed,
    expected: assertion.expected === undefined ? null : assertion.expected,
    actual: assertion.actual === undefined ? null : assertion.actual,
    ...(assertion.message === undefined ? {} : { message: assertion.message }),
  };
}

function canonicalWire(message: WireMessage): unknown {
  return {
    ...(message.method === undefined ? {} : { method: message.method }),
    ...(message.url === undefined ? {} : { url: message.url }),
    ...(message.status === undefined ? {} : { status: message.status }),
    ...(message.httpVersion === undefined ? {} : { httpVersion: message.httpVersion }),
    ...(message.statusText === undefined ? {} : { statusText: message.statusText }),
    headers: message.headers,
    body: message.body,
  };
}
