import type { Position, Span } from '../diagnostics.js';

/** One line of the source, without its line break. */
export interface SourceLine {
  text: string;
  /** 0-based offset of the line's first character in the (BOM-less) text. */
  offset: number;
  /** 1-based line number. */
  number: number;
}

/** The BOM is not part of the text: offsets and columns count from after it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits at CRLF, LF and lone CR (JetBrains spec §2.2 accepts all three, also mixed). */
export function splitLines(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  let number = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 10 && code !== 13) continue;
    lines.push({ text: text.slice(start, i), offset: start, number: number++ });
    if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
    start = i + 1;
  }
  // A final line break does not start another line.
  if (start < text.length || lines.length === 0) lines.push({ text: text.slice(start), offset: start, number });
  return lines;
}

export function positionIn(line: SourceLine, column: number): Position {
  return { line: line.number, column: column + 1, offset: line.offset + column };
}

export function spanIn(file: string, line: SourceLine, start: number, end: number): Span {
  return { file, start: positionIn(line, start), end: positionIn(line, end) };
}

export function spanOfLine(file: string, line: SourceLine): Span {
  return spanIn(file, line, 0, line.text.length);
}

export function spanBetween(file: string, first: SourceLine, last: SourceLine): Span {
  return { file, start: positionIn(first, 0), end: positionIn(last, last.text.length) };
}
