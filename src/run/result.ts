/**
 * The result of a run: exactly what the JSON report (SPEC §5.4, version 1) serialises and what
 * `run()` returns. Plain data (`JSON.parse` of the report equals it but for durations); secrets are
 * already masked (`***`) when anyone outside `run/` sees it.
 */

/**
 * `passed`: a response arrived and every assertion held (a request without assertions passes
 * whatever its status); `failed`: an assertion or a script failed; `errored`: no usable response
 * (refused, timed out, body too large, secret scope), `error` says why; `skipped`: not run
 * (dependency failed, `bail`, cancelled), `error` says why.
 */
export type Outcome = 'passed' | 'failed' | 'errored' | 'skipped';
/** 0 all passed; 1 an assertion failed; 2 a file could not run (parse error, missing secret, no file matched); 3 a request errored. 2 outranks 3, which outranks 1. */
export type ExitCode = 0 | 1 | 2 | 3;

/** One `??` line or `client.test(...)` of a request. */
export interface AssertionResult {
  /** 1-based line of the assertion (in the request's `file` when that is set). */
  line: number;
  /** The assertion as written, e.g. `?? status == 200`. */
  text: string;
  passed: boolean;
  /** The expected value as compared (number, string, boolean, null ...); null when there is none. */
  expected: unknown;
  /** The value found in the response; null when the query matched nothing. */
  actual: unknown;
  /** Why it failed, one or more lines (type hint, JSON diff); absent when passed. */
  message?: string;
}

/** The request as sent or the response as received, for reports: headers masked, bodies previews. */
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

/** One request of a file, in file order. */
export interface RequestResult {
  /** `# @name`, else the `###` title, else `METHOD URL` as written. */
  name: string;
  /** The request line; in `file` when that is set, else in the file the result is reported under. */
  line: number;
  /**
   * The file that holds the request when it is not the one the result is reported under: a request of
   * an imported file that another file ran (`run #Login`). Its lines (and its assertions') count there.
   */
  file?: string;
  /** The method and URL of the final hop (after redirects), secrets masked. */
  method: string;
  url: string;
  /** The final response's status; null when none arrived. */
  status: number | null;
  durationMs: number;
  outcome: Outcome;
  /** One line: why the request errored or was skipped; null otherwise. */
  error: string | null;
  /** Tries made, retries included (1 without retries; 0 when nothing was sent). */
  attempts: number;
  assertions: AssertionResult[];
  /** Extras beyond SPEC §5.4 (readers ignore what they do not know): the URLs redirected from. */
  redirects?: string[];
  /** What was sent, when the request got as far as being prepared. */
  request?: WireMessage;
  /** What came back; its body is a preview when something read it or `captureBodies` is set, else null. */
  response?: WireMessage;
}

/** One file of the run, in input order; also an input that matched no file or could not be read. */
export interface FileResult {
  /** Relative to the `cwd` option (as given for an input that matched nothing). */
  file: string;
  /** Why the file did not run (parse error, missing secret ...), one line; null otherwise. */
  error: string | null;
  requests: RequestResult[];
}

/** Counts over all files: `requests` = passed + failed + errored + skipped. */
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

/** What `run()` resolves with and `--report-json` writes (SPEC §5.4). */
export interface RunResult {
  /** The report format's version; a breaking change would bump it. */
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
