/** 1-based line and column; offset is 0-based into the file text (after BOM removal). */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  file: string;
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

/**
 * A problem found before anything is sent. Codes are stable (`syntax/expected-header`,
 * `resolve/undefined-variable`, ...) so editors and tests can key on them.
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  hint?: string;
  span: Span;
}

export function diagnostic(
  severity: Severity,
  code: string,
  message: string,
  span: Span,
  hint?: string,
): Diagnostic {
  return hint === undefined ? { severity, code, message, span } : { severity, code, message, span, hint };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
