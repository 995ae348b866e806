import { parse as generatedParse, type StartRuleNames } from './generated/http-parser.js';

/**
 * How much the grammar was asked to read since `resetGrammarWork()`: the parser must call it a
 * fixed number of times per file (batches), never once per line. Tests read this instead of
 * timing the parser, which a busy machine makes flaky.
 */
export interface GrammarWork {
  calls: number;
  characters: number;
}

const work: GrammarWork = { calls: 0, characters: 0 };

export function resetGrammarWork(): void {
  work.calls = 0;
  work.characters = 0;
}

export function grammarWork(): GrammarWork {
  return { ...work };
}

function peggyParse(input: string, options: { startRule: StartRuleNames }): unknown {
  work.calls++;
  work.characters += input.length;
  return generatedParse(input, options);
}

/** A candidate line that the grammar read as a file variable or metadata. */
export type StructuredLineSyntax =
  | { type: 'variable'; name: string; nameStart: number; value: string; valueStart: number; lazy: boolean }
  | { type: 'metadata'; key: string; keyStart: number; value: string; valueStart: number };

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

/** Reads many candidate lines in one grammar call; null for each that is no structured line. Lines hold no line break. */
export function tryStructuredLines(lines: readonly string[]): (StructuredLineSyntax | null)[] {
  if (lines.length === 0) return [];
  return peggyParse(lines.join('\n'), { startRule: 'StructuredLines' }) as (StructuredLineSyntax | null)[];
}

export function tryStructuredLine(line: string): StructuredLineSyntax | null {
  return peggyParse(line, { startRule: 'StructuredLine' }) as StructuredLineSyntax | null;
}

/** Reads many lines as request lines in one grammar call; null for each that is none. */
export function tryRequestLines(lines: readonly string[]): (RequestLineSyntax | null)[] {
  if (lines.length === 0) return [];
  return peggyParse(lines.join('\n'), { startRule: 'RequestLines' }) as (RequestLineSyntax | null)[];
}

/** The rule answers null for a line that is no request line (it never throws). */
export function tryRequestLine(line: string): RequestLineSyntax | null {
  return peggyParse(line, { startRule: 'RequestLine' }) as RequestLineSyntax | null;
}

/** Reads many lines as URL continuation lines in one grammar call; null for each that is none. */
export function tryTargetContinuations(lines: readonly string[]): (TargetContinuationSyntax | null)[] {
  if (lines.length === 0) return [];
  return peggyParse(lines.join('\n'), { startRule: 'TargetContinuations' }) as (TargetContinuationSyntax | null)[];
}

export function tryTargetContinuation(line: string): TargetContinuationSyntax | null {
  return peggyParse(line, { startRule: 'TargetContinuation' }) as TargetContinuationSyntax | null;
}

/** What the inside of each `{{ }}` is, in one grammar call. Items hold no line break. */
export function classifyPlaceholders(inners: readonly string[]): PlaceholderSyntax[] {
  if (inners.length === 0) return [];
  return peggyParse(inners.join('\n'), { startRule: 'Placeholders' }) as PlaceholderSyntax[];
}
