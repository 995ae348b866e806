import { diagnostic, type Diagnostic, type Span } from '../diagnostics.js';
import type { Template, TemplatePart } from './ast.js';
import { classifyPlaceholders, type PlaceholderSyntax } from './grammar.js';

/**
 * A run of template text: `text` starts at offset `at` of the file. It may span lines (a body
 * read in one slice); a placeholder never does.
 */
export interface TemplatePiece {
  at: number;
  text: string;
  /** Percent-encode this piece: its text as read, its placeholders' values when rendered (see TemplatePart). */
  percentEncoded?: boolean;
}

/** The span of file offsets `from`..`to`. */
export type SpanOf = (from: number, to: number) => Span;

const SECRET = /<<([A-Za-z_][A-Za-z0-9_.-]*)>>/y;

/** Whether `text` starts with a `<<NAME>>` secret, as the template reader reads one. */
export function startsWithSecret(text: string): boolean {
  SECRET.lastIndex = 0;
  return SECRET.test(text);
}
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
  const hasCarriageReturn = text.indexOf('\r') !== -1;
  for (let open = text.indexOf('{{'); open !== -1; ) {
    if (open > lineEnd) {
      if (hasCarriageReturn) {
        LINE_BREAK.lastIndex = open;
        lineEnd = LINE_BREAK.exec(text)?.index ?? text.length;
      } else {
        lineEnd = text.indexOf('\n', open);
        if (lineEnd === -1) lineEnd = text.length;
      }
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
  // Reused by every template (one is read at a time), filled up to a count and never shortened, so
  // that they keep their room: the parts so far, and the text since the last placeholder in pieces.
  private readonly parts: TemplatePart[] = [];
  private partCount = 0;
  private readonly chunks: string[] = [];
  private chunkCount = 0;
  /** Whether the piece being read is percent-encoded (see TemplatePiece). */
  private encoding = false;

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
    const span = this.spanOf(first.at, last.at + last.text.length);
    let marked = false;
    for (let p = 0; p < pieces.length && !marked; p++) marked = MAY_HOLD_MARK.test(pieces[p]!.text) || pieces[p]!.percentEncoded === true;
    if (marked) return { parts: this.partsOf(pieces, joiner), span };
    // Most templates (body lines, header values) hold no mark: one text part, joined once.
    const value = pieces.length === 1 ? first.text : pieces.map((piece) => piece.text).join(joiner);
    return { parts: value === '' ? [] : [{ kind: 'text', value }], span };
  }

  /** One Template from `text`, which starts at offset `at` of the file. */
  readPiece(at: number, text: string): Template {
    return this.read([{ at, text }]);
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
    this.partCount = 0;
    this.chunkCount = 0;
    for (let p = 0; p < pieces.length; p++) {
      const { at: base, text, percentEncoded = false } = pieces[p]!;
      this.encoding = false;
      if (p > 0 && joiner !== '') this.addText(joiner);
      this.encoding = percentEncoded;
      if (!MAY_HOLD_MARK.test(text)) {
        this.addText(text);
        continue;
      }
      let from = 0;
      // The end of the line the last `{{` stood on; once a `{{` there has no `}}`, no later one has.
      let lineEnd = -1;
      let unclosed = false;
      for (let at = nextMark(text, 0); at !== -1; at = nextMark(text, from)) {
        if (at > from) this.addText(text.slice(from, at));
        const code = text.charCodeAt(at);
        if (code === OPEN_BRACE) {
          if (at > lineEnd) {
            lineEnd = text.indexOf('\n', at);
            if (lineEnd === -1) lineEnd = text.length;
            unclosed = false;
          }
          const close = unclosed ? -1 : text.indexOf('}}', at + 2);
          if (close === -1 || close + 2 > lineEnd) {
            unclosed = true;
            this.addText('{{');
            const written = text.slice(at, lineEnd).trimEnd();
            this.diagnostics.push(
              diagnostic(
                'error',
                'syntax/unclosed-placeholder',
                `unclosed placeholder: \`${shorten(written)}\` has no closing \`}}\` on its line`,
                this.spanOf(base + at, base + at + written.length),
                'close it with `}}`, or write `\\{\\{` to send literal braces',
              ),
            );
            from = at + 2;
          } else {
            this.addPart(this.placeholder(text.slice(at + 2, close), this.spanOf(base + at, base + close + 2)));
            from = close + 2;
          }
        } else if (code === OPEN_ANGLE) {
          SECRET.lastIndex = at;
          const secret = SECRET.exec(text);
          if (secret === null) {
            this.addText('<<');
            from = at + 2;
          } else {
            this.addPart({ kind: 'secret', name: secret[1] ?? '', span: this.spanOf(base + at, base + SECRET.lastIndex) });
            from = SECRET.lastIndex;
          }
        } else {
          this.addText(text.charCodeAt(at + 1) === OPEN_BRACE ? '{{' : '}}');
          from = at + 4;
        }
      }
      if (from < text.length) this.addText(from === 0 ? text : text.slice(from));
    }
    this.encoding = false;
    this.flushText();
    return this.parts.slice(0, this.partCount);
  }

  private addText(text: string): void {
    this.chunks[this.chunkCount++] = this.encoding ? encodeURIComponent(text.toWellFormed()) : text;
  }

  private addPart(part: TemplatePart): void {
    this.flushText();
    // A spread, but only for the rare encoded piece (a curl --data-urlencode value).
    this.parts[this.partCount++] = this.encoding && part.kind !== 'text' ? { ...part, percentEncoded: true } : part;
  }

  /** The text since the last placeholder becomes one part, joined once (a `+=` rope would stay in the AST). */
  private flushText(): void {
    if (this.chunkCount === 0) return;
    const value = this.chunkCount === 1 ? this.chunks[0]! : this.chunks.slice(0, this.chunkCount).join('');
    this.chunkCount = 0;
    if (value !== '') this.parts[this.partCount++] = { kind: 'text', value };
  }
}

const OPEN_BRACE = 123;
const OPEN_ANGLE = 60;
const BACKSLASH = 92;

/**
 * Where the next mark starts at or after `from`: `{{`, `<<`, or httpyac's escapes `\{\{` / `\}\}`
 * for literal braces; -1 when there is none. A loop over character codes: no match objects.
 */
function nextMark(text: string, from: number): number {
  for (let i = from; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code === OPEN_BRACE || code === OPEN_ANGLE) {
      if (text.charCodeAt(i + 1) === code) return i;
    } else if (code === BACKSLASH && (text.startsWith('\\{\\{', i) || text.startsWith('\\}\\}', i))) {
      return i;
    }
  }
  return -1;
}

/**
 * Parses a value written outside a .http file (an env-file value, `--var k=v`) whose first
 * character stands at `span.start`; line breaks inside it become "\n". An unclosed `{{` stays
 * text; pass `diagnostics` to hear about it.
 */
export function parseTemplate(text: string, span: Span, diagnostics: Diagnostic[] = []): Template {
  const pieces: TemplatePiece[] = [];
  // Offsets into `text` where each of its lines starts; a line's first column is 1 but on the first.
  const lineStarts: number[] = [];
  const lineBreak = /\r\n|\r|\n/g;
  let lineStart = 0;
  for (;;) {
    const match = lineBreak.exec(text);
    lineStarts.push(lineStart);
    pieces.push({ at: lineStart, text: text.slice(lineStart, match === null ? text.length : match.index) });
    if (match === null) break;
    lineStart = match.index + match[0].length;
  }
  const position = (at: number) => {
    let line = lineStarts.length - 1;
    while (lineStarts[line]! > at) line--;
    const column = at - lineStarts[line]! + (line === 0 ? span.start.column : 1);
    return { line: span.start.line + line, column, offset: span.start.offset + at };
  };
  const spanOf: SpanOf = (from, to) => ({ file: span.file, start: position(from), end: position(to) });
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
