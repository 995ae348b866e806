import type { Diagnostic } from '../diagnostics.js';
import type { FileResult, RequestResult, RunResult } from './result.js';

/**
 * What a run tells its reporters while it goes. Events are masked before any reporter sees them.
 * `rendered` diagnostics are already formatted (file:line:col, the source line and a caret).
 */
export type RunEvent =
  | { type: 'run-start'; files: string[] }
  | { type: 'file-start'; file: string }
  | { type: 'diagnostics'; file: string; diagnostics: Diagnostic[]; rendered: string[] }
  | { type: 'request-start'; file: string; name: string; line: number }
  | { type: 'request-end'; file: string; request: RequestResult }
  | { type: 'log'; file: string; line: number; message: string }
  | { type: 'file-end'; file: FileResult };

/**
 * Given to `run()` in `reporters`: told of the run as it goes and given its result at the end. Both
 * methods are optional; both see masked data. One that throws gets nothing more of the run (its
 * error becomes a process warning, code `HTTPRUN_REPORTER_ERROR`), and the run goes on.
 */
export interface Reporter {
  /** Each event, in input order of the files (whatever `jobs` is). Synchronous: a promise returned is not awaited. */
  onEvent?(event: RunEvent): void;
  /** The run's result, the same object `run()` resolves with; awaited before `run()` resolves. */
  onEnd?(result: RunResult): Promise<void> | void;
}
