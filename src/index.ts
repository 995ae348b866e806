/**
 * httprun's library API: `parse` a request file into an AST with diagnostics, `run` files and get
 * the result the JSON report serialises (secrets already masked).
 */
export { parse, parseTemplate } from './syntax/parse.js';
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
