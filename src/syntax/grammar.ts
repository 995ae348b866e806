import { parse as peggyParse } from './generated/http-parser.js';

/** What grammar/http.peggy's `Line` rule says one line is. Columns are 0-based in the line. */
export type LineClass =
  | { type: 'blank' }
  | { type: 'metadata'; key: string; keyStart: number; value: string; valueStart: number }
  | { type: 'comment' }
  | { type: 'variable'; name: string; nameStart: number; value: string; valueStart: number }
  | { type: 'block-comment'; closed: boolean }
  | { type: 'script-block'; event: string }
  | { type: 'pre-script'; code: string; codeStart: number; closed: boolean }
  | { type: 'post-script'; code: string; codeStart: number; closed: boolean }
  | ({ type: 'response-ref' } & Piece)
  | ({ type: 'file'; substitute: boolean; encoding: string | null } & Piece)
  | ({ type: 'save'; overwrite: boolean } & Piece)
  | ({ type: 'post-script-file' } & Piece)
  | ({ type: 'assertion' } & Piece)
  | ({ type: 'import' } & Piece)
  | ({ type: 'run' } & Piece)
  | ({ type: 'proto' } & Piece)
  | { type: 'status' }
  | { type: 'other' };

/** A trimmed piece of a line: its text and where it starts and ends. */
export interface Piece {
  text: string;
  start: number;
  end: number;
}

export interface RequestLineSyntax {
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

export interface HeaderFieldSyntax {
  name: string;
  value: string;
  valueStart: number;
}

export type TemplatePartSyntax =
  | { kind: 'text'; value: string }
  | { kind: 'variable'; name: string; start: number; end: number }
  | { kind: 'dynamic'; name: string; args: string; start: number; end: number }
  | { kind: 'secret'; name: string; start: number; end: number }
  | { kind: 'expression'; code: string; start: number; end: number }
  | { kind: 'unclosed'; start: number };

/**
 * Every rule of the grammar has a catch-all or is only tried where it can match, so a throw here
 * would be a bug in the grammar; callers that try a rule on arbitrary text use `tryRule`.
 */
export function classifyLine(line: string): LineClass {
  return peggyParse(line, { startRule: 'Line' }) as LineClass;
}

export function parseTemplateLine(text: string): TemplatePartSyntax[] {
  return peggyParse(text, { startRule: 'Template' }) as TemplatePartSyntax[];
}

export function tryRequestLine(line: string): RequestLineSyntax | null {
  return tryRule<RequestLineSyntax>('RequestLine', line);
}

export function tryTargetContinuation(line: string): TargetContinuationSyntax | null {
  return tryRule<TargetContinuationSyntax>('TargetContinuation', line);
}

export function tryHeaderField(line: string): HeaderFieldSyntax | null {
  return tryRule<HeaderFieldSyntax>('HeaderField', line);
}

export function tryHeaderLine(line: string): { start: number; text: string } | null {
  return tryRule<{ start: number; text: string }>('HeaderLine', line);
}

type RuleName = 'RequestLine' | 'TargetContinuation' | 'HeaderField' | 'HeaderLine';

/** A rule that does not match is an answer ("not a header"), not an error: peggy's throw becomes null. */
function tryRule<T>(rule: RuleName, line: string): T | null {
  try {
    return peggyParse(line, { startRule: rule }) as T;
  } catch (error) {
    if (error instanceof Error && error.name === 'SyntaxError') return null;
    throw error;
  }
}
