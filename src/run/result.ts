/**
 * The result of a run: exactly what the JSON report (SPEC §5.4, version 1) serialises and what
 * `run()` returns. Plain data; secrets are already masked when anyone outside `run/` sees it.
 */

export type Outcome = 'passed' | 'failed' | 'errored' | 'skipped';
export type ExitCode = 0 | 1 | 2 | 3;

export interface AssertionResult {
  line: number;
  /** The assertion as written, e.g. `?? status == 200`. */
  text: string;
  passed: boolean;
  expected: unknown;
  actual: unknown;
  /** Why it failed, one or more lines (type hint, JSON diff); absent when passed. */
  message?: string;
}

export interface WireMessage {
  method?: string;
  url?: string;
  status?: number;
  /** Responses: e.g. 'HTTP/1.1' and 'OK'. */
  httpVersion?: string;
  statusText?: string;
  headers: [string, string][];
  /** Text of the body (truncated for reports), or null when there was none or it was not read. */
  body: string | null;
}

export interface RequestResult {
  name: string;
  /** The request line; in `file` when that is set, else in the file the result is reported under. */
  line: number;
  /**
   * The file that holds the request when it is not the one the result is reported under: a request of
   * an imported file that another file ran (`run #Login`). Its lines (and its assertions') count there.
   */
  file?: string;
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  outcome: Outcome;
  /** One line: why the request errored or was skipped; null otherwise. */
  error: string | null;
  attempts: number;
  assertions: AssertionResult[];
  /** Extras beyond SPEC §5.4 (readers ignore what they do not know). */
  redirects?: string[];
  request?: WireMessage;
  response?: WireMessage;
}

export interface FileResult {
  file: string;
  /** Why the file did not run (parse error, missing secret ...), one line; null otherwise. */
  error: string | null;
  requests: RequestResult[];
}

export interface RunSummary {
  files: number;
  requests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  assertions: { passed: number; failed: number };
  durationMs: number;
  exitCode: ExitCode;
}

export interface RunResult {
  version: 1;
  summary: RunSummary;
  files: FileResult[];
}

/** Input errors outrank request errors, which outrank failed assertions. */
export function exitCodeFor(files: readonly FileResult[]): ExitCode {
  const requests = files.flatMap((file) => file.requests);
  if (files.some((file) => file.error !== null)) return 2;
  if (requests.some((request) => request.outcome === 'errored')) return 3;
  if (requests.some((request) => request.outcome === 'failed')) return 1;
  return 0;
}

export function summarise(files: FileResult[], durationMs: number): RunResult {
  const requests = files.flatMap((file) => file.requests);
  const count = (outcome: Outcome) => requests.filter((request) => request.outcome === outcome).length;
  const assertions = requests.flatMap((request) => request.assertions);
  return {
    version: 1,
    summary: {
      files: files.length,
      requests: requests.length,
      passed: count('passed'),
      failed: count('failed'),
      errored: count('errored'),
      skipped: count('skipped'),
      assertions: {
        passed: assertions.filter((a) => a.passed).length,
        failed: assertions.filter((a) => !a.passed).length,
      },
      durationMs: Math.round(durationMs),
      exitCode: exitCodeFor(files),
    },
    files,
  };
}

/** The file a request's `line` (and its assertions' lines) count in. */
export function requestFile(file: FileResult, request: RequestResult): string {
  return request.file ?? file.file;
}
