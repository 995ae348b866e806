import { diagnostic, type Diagnostic, type Position, type Span } from '../diagnostics.js';
import type { Template, TemplatePart } from './ast.js';
import { parseTemplateLine, type TemplatePartSyntax } from './grammar.js';
import { positionIn, type SourceLine } from './source-lines.js';

/** A run of template text on one source line: `text` starts at column `start` of `line`. */
export interface TemplatePiece {
  line: SourceLine;
  start: number;
  text: string;
}

/** Nothing to parse in most lines: skipping peggy for them keeps large bodies fast. */
const MAY_HOLD_PLACEHOLDER = /\{\{|<<|\\[{}]/;

/**
 * Builds one Template from pieces of several lines (a URL with continuation lines, a body),
 * putting `joiner` between pieces. Placeholders never span lines, so each piece is parsed alone
 * and every part keeps its own file position.
 */
export function templateFromPieces(
  file: string,
  pieces: readonly TemplatePiece[],
  joiner: string,
  diagnostics: Diagnostic[],
): Template {
  const parts: TemplatePart[] = [];
  pieces.forEach((piece, index) => {
    if (index > 0 && joiner !== '') pushText(parts, joiner);
    appendPiece(parts, piece.text, (column) => positionIn(piece.line, piece.start + column), file, diagnostics);
  });
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first === undefined || last === undefined) throw new Error('templateFromPieces needs at least one piece');
  return {
    parts,
    span: {
      file,
      start: positionIn(first.line, first.start),
      end: positionIn(last.line, last.start + last.text.length),
    },
  };
}

export function templateFromPiece(file: string, piece: TemplatePiece, diagnostics: Diagnostic[]): Template {
  return templateFromPieces(file, [piece], '', diagnostics);
}

/**
 * Parses a value written outside a .http file (an env-file value, `--var k=v`) whose first
 * character stands at `span.start`. Unclosed `{{` are kept as text; pass `diagnostics` to hear
 * about them.
 */
export function parseTemplate(text: string, span: Span, diagnostics: Diagnostic[] = []): Template {
  const parts: TemplatePart[] = [];
  let line = span.start.line;
  let lineStartColumn = span.start.column;
  let offset = span.start.offset;
  const chunks = text.split(/(\r\n|\r|\n)/);
  for (let i = 0; i < chunks.length; i += 2) {
    const chunk = chunks[i] ?? '';
    const here = { line, column: lineStartColumn, offset };
    appendPiece(
      parts,
      chunk,
      (column) => ({ line: here.line, column: here.column + column, offset: here.offset + column }),
      span.file,
      diagnostics,
    );
    const lineBreak = chunks[i + 1];
    if (lineBreak === undefined) break;
    pushText(parts, lineBreak);
    offset += chunk.length + lineBreak.length;
    line += 1;
    lineStartColumn = 1;
  }
  return { parts, span };
}

function appendPiece(
  parts: TemplatePart[],
  text: string,
  at: (column: number) => Position,
  file: string,
  diagnostics: Diagnostic[],
): void {
  if (!MAY_HOLD_PLACEHOLDER.test(text)) {
    pushText(parts, text);
    return;
  }
  for (const part of parseTemplateLine(text)) {
    const converted = convertPart(part, text, at, file, diagnostics);
    if (converted.kind === 'text') pushText(parts, converted.value);
    else parts.push(converted);
  }
}

function convertPart(
  part: TemplatePartSyntax,
  text: string,
  at: (column: number) => Position,
  file: string,
  diagnostics: Diagnostic[],
): TemplatePart {
  if (part.kind === 'text') return part;
  if (part.kind === 'unclosed') {
    const written = text.slice(part.start).trimEnd();
    diagnostics.push(
      diagnostic(
        'error',
        'syntax/unclosed-placeholder',
        `unclosed placeholder: \`${shorten(written)}\` has no closing \`}}\` on its line`,
        { file, start: at(part.start), end: at(part.start + Math.max(written.length, 2)) },
        'close it with `}}`, or write `\\{\\{` to send literal braces',
      ),
    );
    return { kind: 'text', value: '{{' };
  }
  const span: Span = { file, start: at(part.start), end: at(part.end) };
  switch (part.kind) {
    case 'variable':
      return { kind: 'variable', name: part.name, span };
    case 'dynamic':
      return { kind: 'dynamic', name: part.name, args: part.args, span };
    case 'secret':
      return { kind: 'secret', name: part.name, span };
    case 'expression':
      return { kind: 'expression', code: part.code, span };
  }
}

function pushText(parts: TemplatePart[], value: string): void {
  if (value === '') return;
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', value: last.value + value };
  else parts.push({ kind: 'text', value });
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
