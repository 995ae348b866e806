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

export interface Reporter {
  onEvent?(event: RunEvent): void;
  onEnd(result: RunResult): Promise<void> | void;
}
