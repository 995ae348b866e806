import type { Position, Span } from '../diagnostics.js';

/** The BOM is not part of the text: offsets and columns count from after it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A file's text as lines: `texts[i]` is line i + 1 without its line break, `starts[i]` the offset
 * of its first character. Two flat arrays rather than an object per line: a 5 MB file has 300k
 * lines, and the parser looks at each of them.
 */
export class SourceLines {
  readonly texts: string[];
  readonly starts: number[];

  constructor(
    readonly file: string,
    text: string,
  ) {
    // CRLF, LF and lone CR, also mixed (JetBrains spec §2.2). Most files have no CR: split natively.
    if (text.indexOf('\r') === -1) {
      this.texts = text.split('\n');
      this.starts = new Array<number>(this.texts.length);
      let offset = 0;
      for (let i = 0; i < this.texts.length; i++) {
        this.starts[i] = offset;
        offset += this.texts[i]!.length + 1;
      }
    } else {
      this.texts = [];
      this.starts = [];
      let start = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code !== 10 && code !== 13) continue;
        this.texts.push(text.slice(start, i));
        this.starts.push(start);
        if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
      this.texts.push(text.slice(start));
      this.starts.push(start);
    }
    // A final line break does not start another line.
    if (this.texts.length > 1 && this.texts[this.texts.length - 1] === '') {
      this.texts.pop();
      this.starts.pop();
    }
  }

  get length(): number {
    return this.texts.length;
  }

  /** Columns `from`..`to` (0-based) of line index `line`. */
  span(line: number, from: number, to: number): Span {
    const start = this.starts[line]!;
    return new SourceSpan(this.file, this.starts, start + from, start + to);
  }

  /** Line index `line` from its first to its last character. */
  lineSpan(line: number): Span {
    const start = this.starts[line]!;
    return new SourceSpan(this.file, this.starts, start, start + this.texts[line]!.length);
  }

  /** From the start of line index `first` to the end of line index `last`. */
  linesSpan(first: number, last: number): Span {
    return new SourceSpan(this.file, this.starts, this.starts[first]!, this.starts[last]! + this.texts[last]!.length);
  }
}

/**
 * A Span that keeps two offsets and computes line and column when asked: an AST has a span on
 * every node, most are never read, and three objects per span were a third of a large file's
 * parse time (allocation and garbage collection). Reads as a plain Span; JSON shows positions.
 * The file's line starts are a private field, so two spans compare by file and offsets.
 */
export class SourceSpan implements Span {
  // Assigned, not defined as class fields: a span is made for every node, and field
  // initializers cost as much as the rest of the parse.
  declare readonly file: string;
  declare readonly startOffset: number;
  declare readonly endOffset: number;
  readonly #starts: readonly number[];

  constructor(file: string, starts: readonly number[], startOffset: number, endOffset: number) {
    this.file = file;
    this.#starts = starts;
    this.startOffset = startOffset;
    this.endOffset = endOffset;
  }

  // A copy of a span (a test runner's diff) has no line starts: it has no positions either.
  get start(): Position {
    return #starts in this ? positionAt(this.#starts, this.startOffset) : (undefined as never);
  }

  get end(): Position {
    return #starts in this ? positionAt(this.#starts, this.endOffset) : (undefined as never);
  }

  toJSON(): Span {
    return { file: this.file, start: this.start, end: this.end };
  }
}

function positionAt(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1, offset };
}
