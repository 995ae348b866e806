import { isAbsolute, relative } from 'node:path';
import type { Diagnostic, Position, Span } from '../diagnostics.js';

/** Turns 0-based offsets into 1-based line/column positions for one file's text. */
export interface PositionIndex {
  file: string;
  position(offset: number): Position;
  span(start: number, end: number): Span;
}

export function indexPositions(file: string, text: string): PositionIndex {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) === 10) lineStarts.push(index + 1);

  function position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - (lineStarts[low] ?? 0) + 1, offset: clamped };
  }

  return { file, position, span: (start, end) => ({ file, start: position(start), end: position(Math.max(start, end)) }) };
}

/** Line 1, column 1: where a problem about a whole file (or a missing one) is shown. */
export function fileStartSpan(file: string): Span {
  const start = { line: 1, column: 1, offset: 0 };
  return { file, start, end: start };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A file as output names it: relative to the working directory, the way request files are shown. */
export function displayFile(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return (rel === '' ? file : rel).split('\\').join('/');
}

/**
 * Config files are parsed once and cached for every request file (and working directory), so
 * their diagnostics carry absolute paths; this copy names the file as the output should.
 */
export function displayDiagnostic(d: Diagnostic, cwd: string): Diagnostic {
  const file = displayFile(d.span.file, cwd);
  if (file === d.span.file) return d;
  return { ...d, message: d.message.split(d.span.file).join(file), span: { file, start: d.span.start, end: d.span.end } };
}
