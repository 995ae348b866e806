import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import type { Template, TemplatePart } from './ast.js';
import { exact } from './exact-array.js';
import { classifyPlaceholders, type PlaceholderSyntax } from './grammar.js';

/** A run of template text on one line: `text` starts at column `start` of line index `line`. */
export interface TemplatePiece {
  line: number;
  start: number;
  text: string;
}

/** The span of columns `from`..`to` (0-based) of line index `line`. */
export type SpanOf = (line: number, from: number, to: number) => Span;

/** `{{`, `<<`, and httpyac's escapes `\{\{` / `\}\}` for literal braces. */
const MARK = /\{\{|<<|\\\{\\\{|\\\}\\\}/g;
const SECRET = /<<([A-Za-z_][A-Za-z0-9_.-]*)>>/y;
const MAY_HOLD_MARK = /[{<\\]/;

const LINE_BREAK = /[\r\n]/g;

/**
 * What stands between `{{` and the next `}}` on the same line, anywhere in `text`, each distinct
 * text once (placeholders never span lines). Linear: each line's end is found once, a `}}` is
 * looked for within the line only, and once a line has a `{{` without a `}}` after it, no later
 * `{{` on that line has one either, so the scan goes on at the next line.
 */
export function placeholderInners(text: string): string[] {
  const inners = new Set<string>();
  let lineEnd = -1;
  let line = '';
  let lineStart = 0;
  for (let open = text.indexOf('{{'); open !== -1; ) {
    if (open > lineEnd) {
      LINE_BREAK.lastIndex = open;
      lineEnd = LINE_BREAK.exec(text)?.index ?? text.length;
      lineStart = open;
      line = text.slice(lineStart, lineEnd);
    }
    const close = line.indexOf('}}', open - lineStart + 2);
    if (close === -1) {
      open = text.indexOf('{{', lineEnd);
      continue;
    }
    inners.add(line.slice(open - lineStart + 2, close));
    open = text.indexOf('{{', lineStart + close + 2);
  }
  return [...inners];
}

/**
 * Builds the Templates of one file. What stands in its `{{ }}` is read by the grammar up front,
 * in one call for the whole file and each distinct text once (files repeat `{{host}}` and
 * `{{token}}` on every request), so that each Template is complete when it is made: nothing
 * waits in memory for a batch at the end of the file.
 */
export class TemplateReader {
  private readonly known = new Map<string, PlaceholderSyntax>();

  constructor(
    private readonly spanOf: SpanOf,
    /** Unclosed placeholders are reported here. */
    private readonly diagnostics: Diagnostic[],
    inners: readonly string[],
  ) {
    this.learn(inners);
  }

  /** One Template from pieces of several lines, `joiner` between them. */
  read(pieces: readonly TemplatePiece[], joiner = ''): Template {
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    if (first === undefined || last === undefined) throw new Error('a template needs at least one piece');
    const span = this.spanAcross(first, last);
    let marked = false;
    for (let p = 0; p < pieces.length && !marked; p++) marked = MAY_HOLD_MARK.test(pieces[p]!.text);
    if (marked) return { parts: this.partsOf(pieces, joiner), span };
    // Most templates (body lines, header values) hold no mark: one text part, joined once.
    const value = pieces.length === 1 ? first.text : pieces.map((piece) => piece.text).join(joiner);
    return { parts: value === '' ? [] : [{ kind: 'text', value }], span };
  }

  readPiece(line: number, start: number, text: string): Template {
    return this.read([{ line, start, text }]);
  }

  private learn(inners: readonly string[]): void {
    const syntaxes = classifyPlaceholders(inners);
    for (let i = 0; i < inners.length; i++) this.known.set(inners[i]!, syntaxes[i]!);
  }

  private placeholder(inner: string, span: Span): TemplatePart {
    // The scan up front finds every placeholder the walk below finds, but for escapes and
    // secrets next to braces; those few are read one at a time.
    let syntax = this.known.get(inner);
    if (syntax === undefined) {
      syntax = classifyPlaceholders([inner])[0]!;
      this.known.set(inner, syntax);
    }
    return partOf(syntax, span);
  }

  private partsOf(pieces: readonly TemplatePiece[], joiner: string): TemplatePart[] {
    const parts: TemplatePart[] = [];
    // Text is collected in a list and joined once: `+=` would leave a rope of cons strings in the AST.
    let text: string[] = [];
    const flush = (): void => {
      if (text.length === 0) return;
      const value = text.join('');
      if (value !== '') parts.push({ kind: 'text', value });
      text = [];
    };
    for (let p = 0; p < pieces.length; p++) {
      const { line, start, text: piece } = pieces[p]!;
      if (p > 0 && joiner !== '') text.push(joiner);
      if (!MAY_HOLD_MARK.test(piece)) {
        text.push(piece);
        continue;
      }
      let from = 0;
      let unclosed = false;
      MARK.lastIndex = 0;
      for (let match = MARK.exec(piece); match !== null; match = MARK.exec(piece)) {
        const at = match.index;
        const mark = match[0];
        if (at > from) text.push(piece.slice(from, at));
        if (mark === '{{') {
          // No `}}` after an unclosed `{{` means none after a later one either: no scan per `{{`.
          const close = unclosed ? -1 : piece.indexOf('}}', at + 2);
          if (close === -1) unclosed = true;
          if (close === -1) {
            text.push('{{');
            const written = piece.slice(at).trimEnd();
            this.diagnostics.push(
              diagnostic(
                'error',
                'syntax/unclosed-placeholder',
                `unclosed placeholder: \`${shorten(written)}\` has no closing \`}}\` on its line`,
                this.spanOf(line, start + at, start + at + written.length),
                'close it with `}}`, or write `\\{\\{` to send literal braces',
              ),
            );
            from = at + 2;
          } else {
            flush();
            parts.push(this.placeholder(piece.slice(at + 2, close), this.spanOf(line, start + at, start + close + 2)));
            from = close + 2;
          }
        } else if (mark === '<<') {
          SECRET.lastIndex = at;
          const secret = SECRET.exec(piece);
          if (secret === null) {
            text.push('<<');
            from = at + 2;
          } else {
            flush();
            parts.push({ kind: 'secret', name: secret[1] ?? '', span: this.spanOf(line, start + at, SECRET.lastIndex + start) });
            from = SECRET.lastIndex;
          }
        } else {
          text.push(mark === '\\{\\{' ? '{{' : '}}');
          from = at + 4;
        }
        MARK.lastIndex = from;
      }
      if (from < piece.length) text.push(from === 0 ? piece : piece.slice(from));
    }
    flush();
    return exact(parts);
  }

  private spanAcross(first: TemplatePiece, last: TemplatePiece): Span {
    if (first === last || first.line === last.line) return this.spanOf(first.line, first.start, last.start + last.text.length);
    const start = this.spanOf(first.line, first.start, first.start);
    const end = this.spanOf(last.line, last.start + last.text.length, last.start + last.text.length);
    return { file: start.file, start: start.start, end: end.end };
  }
}

/**
 * Parses a value written outside a .http file (an env-file value, `--var k=v`) whose first
 * character stands at `span.start`; line breaks inside it become "\n". An unclosed `{{` stays
 * text; pass `diagnostics` to hear about it.
 */
export function parseTemplate(text: string, span: Span, diagnostics: Diagnostic[] = []): Template {
  const pieces: TemplatePiece[] = [];
  // Offset of each stand-in line's column 0, counted from the value's first character at span.start.
  const lineOffsets: number[] = [];
  const lineBreak = /\r\n|\r|\n/g;
  let lineStart = 0;
  let column = span.start.column - 1;
  for (;;) {
    const match = lineBreak.exec(text);
    const lineText = text.slice(lineStart, match === null ? text.length : match.index);
    lineOffsets.push(span.start.offset + lineStart - column);
    pieces.push({ line: pieces.length, start: column, text: lineText });
    if (match === null) break;
    lineStart = match.index + match[0].length;
    column = 0;
  }
  const spanOf: SpanOf = (line, from, to) => ({
    file: span.file,
    start: { line: span.start.line + line, column: from + 1, offset: lineOffsets[line]! + from },
    end: { line: span.start.line + line, column: to + 1, offset: lineOffsets[line]! + to },
  });
  const template = new TemplateReader(spanOf, diagnostics, placeholderInners(text)).read(pieces, '\n');
  return { parts: template.parts, span };
}

/** The part for a `{{ }}`, built field by field (a spread of the grammar's object is slow). */
function partOf(syntax: PlaceholderSyntax, span: Span): TemplatePart {
  switch (syntax.kind) {
    case 'variable':
      return { kind: 'variable', name: syntax.name, span };
    case 'dynamic':
      return { kind: 'dynamic', name: syntax.name, args: syntax.args, span };
    case 'expression':
      return { kind: 'expression', code: syntax.code, span };
  }
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
