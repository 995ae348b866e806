/**
 * httprun's library API (SPEC §5.6; the README's "Library" section): `parse` a request file's text
 * into an AST with diagnostics (never throws), `run` files and get the result the JSON report
 * serialises, secrets masked (rejects only for a programming error: a TypeError naming the option
 * or input). Everything else exported is a type of those two, or a helper: `formatDiagnostic`
 * (file:line:col, the line and a caret), `exitCodeFor`, `parseTemplate`, `VERSION`.
 */
import type { ParseResult } from './syntax/ast.js';
import { parse as parseFile } from './syntax/parse.js';

export { parseTemplate } from './syntax/parse.js';

/**
 * Parses a .http / .rest file's text into its AST and diagnostics. Reads no file, sends nothing,
 * never throws; fast enough to call on every keystroke.
 *
 * - Every node has `span: { file, start, end }`; a position is `{ line, column, offset }` (line and
 *   column 1-based, offset 0-based in UTF-16 units after a leading BOM). Plain data: spread,
 *   `toEqual`, `structuredClone` and `JSON.stringify` all keep the positions.
 * - Every problem is a `Diagnostic` (`severity`, stable `code` such as `syntax/expected-header`,
 *   `message`, optional `hint`, `span`); every `###` block is parsed even when an earlier one has
 *   errors. Text that is not a string (plain JS) gives one `syntax/not-text` error.
 * - Parsing does not resolve variables or read env files: `httprun check` and `run({ dryRun: true })`
 *   report undefined variables and missing secrets.
 *
 * @param text The file's text (LF, CRLF or CR line breaks; a BOM is ignored).
 * @param options.file The name spans and diagnostics carry: a path or any label.
 */
export function parse(text: string, options: { file: string }): ParseResult {
  return parseFile(text, { file: options?.file, plainSpans: true });
}
export { formatDiagnostic } from './syntax/format-diagnostic.js';
export { run, type RunInput, type RunCallOptions } from './run/run.js';
export type { RunOptions } from './run/options.js';
export type { Reporter, RunEvent } from './run/events.js';
export type {
  AssertionResult,
  ExitCode,
  FileResult,
  Outcome,
  RequestResult,
  RunResult,
  RunSummary,
  WireMessage,
} from './run/result.js';
export { exitCodeFor } from './run/result.js';
export type { Diagnostic, Position, Severity, Span } from './diagnostics.js';
export type * from './syntax/ast.js';
export { VERSION } from './version.js';
