import { parse as peggyParse } from './generated/http-parser.js';

/** What grammar/http.peggy reads from a request line. Columns are 0-based in the line. */
export interface RequestLineSyntax {
  /** As written; null when the line has none (GET). */
  method: string | null;
  methodStart: number | null;
  /** The method is one of the registered ones (case-insensitive), not a custom token. */
  known: boolean;
  target: string;
  targetStart: number;
  version: string | null;
}

export interface TargetContinuationSyntax {
  target: string;
  targetStart: number;
  version: string | null;
}

export type PlaceholderSyntax =
  | { kind: 'variable'; name: string }
  | { kind: 'dynamic'; name: string; args: string }
  | { kind: 'expression'; code: string };

/** Reads many lines as request lines in one grammar call; null for each that is none. */
export function tryRequestLines(lines: readonly string[]): (RequestLineSyntax | null)[] {
  if (lines.length === 0) return [];
  return peggyParse(lines.join('\n'), { startRule: 'RequestLines' }) as (RequestLineSyntax | null)[];
}

/** The rule answers null for a line that is no request line (it never throws). */
export function tryRequestLine(line: string): RequestLineSyntax | null {
  return peggyParse(line, { startRule: 'RequestLine' }) as RequestLineSyntax | null;
}

export function tryTargetContinuation(line: string): TargetContinuationSyntax | null {
  return peggyParse(line, { startRule: 'TargetContinuation' }) as TargetContinuationSyntax | null;
}

/** What the inside of each `{{ }}` is, in one grammar call. Items hold no line break. */
export function classifyPlaceholders(inners: readonly string[]): PlaceholderSyntax[] {
  if (inners.length === 0) return [];
  return peggyParse(inners.join('\n'), { startRule: 'Placeholders' }) as PlaceholderSyntax[];
}
