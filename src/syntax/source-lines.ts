import type { Position, Span } from '../diagnostics.js';

/** The BOM is not part of the text: offsets and columns count from after it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A file's text as lines: line index i (line i + 1) runs from `starts[i]` to `ends[i]`, its line
 * break excluded. Offsets in two arrays of small integers, and a line's text sliced when asked: a 5 MB
 * file has 300k lines, and a string or an object per line, alive for the whole parse, cost more
 * garbage collection than the slices made each time a line is read. (Plain arrays, not Int32Array: a
 * typed array of more than a few elements gets its memory outside the heap, which costs a small file
 * more than its whole line split.)
 */
export class SourceLines {
  readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** CRLF or lone CR somewhere: lines cannot be read as one slice with "\n" between them. */
  readonly hasCarriageReturn: boolean;

  constructor(
    readonly file: string,
    private readonly source: string,
    /**
     * Spans as plain `{ file, start, end }` data with their positions worked out now (the library's
     * `parse`: a caller copies and compares them), instead of SourceSpans that work them out when read.
     */
    private readonly plainSpans = false,
  ) {
    // CRLF, LF and lone CR, also mixed (JetBrains spec §2.2). Most files have no CR.
    const crlf = source.indexOf('\r') !== -1;
    this.hasCarriageReturn = crlf;
    const { starts, ends } = this;
    let start = 0;
    if (crlf) {
      for (let i = 0; i < source.length; i++) {
        const code = source.charCodeAt(i);
        if (code !== 10 && code !== 13) continue;
        starts.push(start);
        ends.push(i);
        if (code === 13 && source.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    } else {
      for (let at = source.indexOf('\n'); at !== -1; at = source.indexOf('\n', at + 1)) {
        starts.push(start);
        ends.push(at);
        start = at + 1;
      }
    }
    // A final line break does not start another line; an empty text is one empty line.
    if (start < source.length || starts.length === 0) {
      starts.push(start);
      ends.push(source.length);
    }
  }

  get length(): number {
    return this.starts.length;
  }

  /** The text of line index `line`, without its line break. */
  text(line: number): string {
    return this.source.slice(this.starts[line], this.ends[line]);
  }

  /** From the start of line index `first` to the end of line index `last`, line breaks included. */
  slice(first: number, last: number): string {
    return this.source.slice(this.starts[first], this.ends[last]);
  }

  /** Whether line index `line` starts with `prefix` (no slice of the line is made). */
  startsWith(line: number, prefix: string): boolean {
    return this.ends[line]! - this.starts[line]! >= prefix.length && this.source.startsWith(prefix, this.starts[line]);
  }

  /** The UTF-16 code at column `column` of line index `line`; NaN past its end. */
  charCode(line: number, column: number): number {
    const at = this.starts[line]! + column;
    return at < this.ends[line]! ? this.source.charCodeAt(at) : NaN;
  }

  /** The file offset of column `column` (0-based) of line index `line`. */
  offset(line: number, column: number): number {
    return this.starts[line]! + column;
  }

  /** File offsets `from`..`to`. */
  offsetSpan(from: number, to: number): Span {
    return this.spanOf(from, to);
  }

  /** Columns `from`..`to` (0-based) of line index `line`. */
  span(line: number, from: number, to: number): Span {
    const start = this.starts[line]!;
    return this.spanOf(start + from, start + to);
  }

  /** Line index `line` from its first to its last character. */
  lineSpan(line: number): Span {
    return this.spanOf(this.starts[line]!, this.ends[line]!);
  }

  /** From the start of line index `first` to the end of line index `last`. */
  linesSpan(first: number, last: number): Span {
    return this.spanOf(this.starts[first]!, this.ends[last]!);
  }

  private spanOf(from: number, to: number): Span {
    return this.plainSpans
      ? { file: this.file, start: positionAt(this.starts, from), end: positionAt(this.starts, to) }
      : new SourceSpan(this.file, this.starts, from, to);
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
  readonly #starts: ArrayLike<number>;

  constructor(file: string, starts: ArrayLike<number>, startOffset: number, endOffset: number) {
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

function positionAt(starts: ArrayLike<number>, offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1, offset };
}
