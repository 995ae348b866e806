import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import type { Template, TemplatePart } from './ast.js';
import { classifyPlaceholders, type PlaceholderSyntax } from './grammar.js';
import { positionIn, type SourceLine } from './source-lines.js';

/** A run of template text on one source line: `text` starts at column `start` of `line`. */
export interface TemplatePiece {
  line: SourceLine;
  start: number;
  text: string;
}

/** `{{`, `<<`, and httpyac's escapes `\{\{` / `\}\}` for literal braces. */
const MARK = /\{\{|<<|\\\{\\\{|\\\}\\\}/g;
const SECRET = /<<([A-Za-z_][A-Za-z0-9_.-]*)>>/y;

/** A piece cut at its placeholders; `{{ }}` contents wait for the grammar (`inner`). */
type Token =
  | { kind: 'text'; value: string }
  | { kind: 'placeholder'; inner: string; start: number; end: number }
  | { kind: 'secret'; name: string; start: number; end: number }
  | { kind: 'unclosed'; start: number };

const MAY_HOLD_MARK = /[{<\\]/;

/** Finds placeholders with a regex scan (linear, no grammar call); most pieces have none. */
function tokenize(text: string): Token[] | null {
  if (!MAY_HOLD_MARK.test(text)) return null;
  const tokens: Token[] = [];
  let from = 0;
  MARK.lastIndex = 0;
  for (let match = MARK.exec(text); match !== null; match = MARK.exec(text)) {
    const at = match.index;
    const mark = match[0];
    if (at > from) tokens.push({ kind: 'text', value: text.slice(from, at) });
    if (mark === '{{') {
      const close = text.indexOf('}}', at + 2);
      if (close === -1) {
        tokens.push({ kind: 'unclosed', start: at });
        from = at + 2;
      } else {
        tokens.push({ kind: 'placeholder', inner: text.slice(at + 2, close), start: at, end: close + 2 });
        from = close + 2;
      }
    } else if (mark === '<<') {
      SECRET.lastIndex = at;
      const secret = SECRET.exec(text);
      if (secret === null) {
        tokens.push({ kind: 'text', value: '<<' });
        from = at + 2;
      } else {
        tokens.push({ kind: 'secret', name: secret[1] ?? '', start: at, end: SECRET.lastIndex });
        from = SECRET.lastIndex;
      }
    } else {
      tokens.push({ kind: 'text', value: mark === '\\{\\{' ? '{{' : '}}' });
      from = at + 4;
    }
    MARK.lastIndex = from;
  }
  if (from < text.length) tokens.push({ kind: 'text', value: text.slice(from) });
  return tokens;
}

interface Job {
  template: Template;
  pieces: readonly TemplatePiece[];
  joiner: string;
}

/**
 * Collects the templates of a file and parses all their pieces in one grammar call (a call per
 * piece would dominate parse time). `add` returns the Template at once, with its span; its parts
 * are filled in by `resolve`.
 */
export class TemplateBatch {
  private readonly jobs: Job[] = [];

  constructor(private readonly file: string) {}

  /** One Template from pieces of several lines, `joiner` between them (placeholders never span lines). */
  add(pieces: readonly TemplatePiece[], joiner = ''): Template {
    const first = pieces[0];
    const last = pieces[pieces.length - 1];
    if (first === undefined || last === undefined) throw new Error('a template needs at least one piece');
    const template: Template = {
      parts: [],
      span: { file: this.file, start: positionIn(first.line, first.start), end: positionIn(last.line, last.start + last.text.length) },
    };
    this.jobs.push({ template, pieces, joiner });
    return template;
  }

  addPiece(line: SourceLine, start: number, text: string): Template {
    return this.add([{ line, start, text }]);
  }

  /** Fills in every template's parts; unclosed placeholders are reported to `diagnostics`. */
  resolve(diagnostics: Diagnostic[]): void {
    // Most pieces (body lines, header values) hold no mark: they stay null and become one text
    // part, joined once (a chain of `+` would keep a rope of cons strings in the AST).
    const tokenized: ((Token[] | null)[] | null)[] = new Array(this.jobs.length);
    const inners: string[] = [];
    for (let j = 0; j < this.jobs.length; j++) {
      const pieces = this.jobs[j]!.pieces;
      let tokensOfJob: (Token[] | null)[] | null = null;
      for (let p = 0; p < pieces.length; p++) {
        const tokens = tokenize(pieces[p]!.text);
        if (tokens === null) continue;
        tokensOfJob ??= new Array<Token[] | null>(pieces.length).fill(null);
        tokensOfJob[p] = tokens;
        for (const token of tokens) if (token.kind === 'placeholder') inners.push(token.inner);
      }
      tokenized[j] = tokensOfJob;
    }
    const classified = classifyPlaceholders(inners);
    let next = 0;
    for (let j = 0; j < this.jobs.length; j++) {
      const { template, pieces, joiner } = this.jobs[j]!;
      const tokensOfJob = tokenized[j];
      if (tokensOfJob === null || tokensOfJob === undefined) {
        const value = pieces.length === 1 ? pieces[0]!.text : pieces.map((piece) => piece.text).join(joiner);
        template.parts = value === '' ? [] : [{ kind: 'text', value }];
        continue;
      }
      const parts: TemplatePart[] = [];
      let text = '';
      for (let p = 0; p < pieces.length; p++) {
        const piece = pieces[p]!;
        if (p > 0) text += joiner;
        const tokens = tokensOfJob[p];
        if (tokens === null || tokens === undefined) {
          text += piece.text;
          continue;
        }
        for (const token of tokens) {
          if (token.kind === 'text') {
            text += token.value;
            continue;
          }
          if (token.kind === 'unclosed') {
            text += '{{';
            const written = piece.text.slice(token.start).trimEnd();
            diagnostics.push(
              diagnostic(
                'error',
                'syntax/unclosed-placeholder',
                `unclosed placeholder: \`${shorten(written)}\` has no closing \`}}\` on its line`,
                { file: this.file, start: positionIn(piece.line, piece.start + token.start), end: positionIn(piece.line, piece.start + token.start + written.length) },
                'close it with `}}`, or write `\\{\\{` to send literal braces',
              ),
            );
            continue;
          }
          if (text !== '') {
            parts.push({ kind: 'text', value: text });
            text = '';
          }
          const span: Span = { file: this.file, start: positionIn(piece.line, piece.start + token.start), end: positionIn(piece.line, piece.start + token.end) };
          if (token.kind === 'secret') {
            parts.push({ kind: 'secret', name: token.name, span });
          } else {
            parts.push(partOf(classified[next++], token.inner, span));
          }
        }
      }
      if (text !== '') parts.push({ kind: 'text', value: text });
      template.parts = parts;
    }
    this.jobs.length = 0;
  }
}

/**
 * Parses a value written outside a .http file (an env-file value, `--var k=v`) whose first
 * character stands at `span.start`; line breaks inside it become "\n". An unclosed `{{` stays
 * text; pass `diagnostics` to hear about it.
 */
export function parseTemplate(text: string, span: Span, diagnostics: Diagnostic[] = []): Template {
  const batch = new TemplateBatch(span.file);
  const pieces: TemplatePiece[] = [];
  const lineBreak = /\r\n|\r|\n/g;
  let lineStart = 0;
  let column = span.start.column - 1;
  for (;;) {
    const match = lineBreak.exec(text);
    const lineText = text.slice(lineStart, match === null ? text.length : match.index);
    // A stand-in source line on which this piece begins at `column`.
    const line: SourceLine = { text: lineText, offset: span.start.offset + lineStart - column, number: span.start.line + pieces.length };
    pieces.push({ line, start: column, text: lineText });
    if (match === null) break;
    lineStart = match.index + match[0].length;
    column = 0;
  }
  const template = batch.add(pieces, '\n');
  batch.resolve(diagnostics);
  return { parts: template.parts, span };
}

/** The part for a `{{ }}`, built field by field (a spread of the grammar's object is slow). */
function partOf(syntax: PlaceholderSyntax | undefined, inner: string, span: Span): TemplatePart {
  if (syntax === undefined) return { kind: 'expression', code: inner.trim(), span };
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
