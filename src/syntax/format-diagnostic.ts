import { createColors } from 'picocolors';
import type { Diagnostic } from '../diagnostics.js';
import { SourceLines, stripBom } from './source-lines.js';

const LONG_LINE = 240;
const CONTEXT = 80;

// Every diagnostic of a file is formatted against the same text: split it once, not once per diagnostic.
let cached: { text: string; lines: SourceLines } | null = null;
function lineOf(sourceText: string, line: number): string | undefined {
  if (cached === null || cached.text !== sourceText) cached = { text: sourceText, lines: new SourceLines('', stripBom(sourceText)) };
  return line >= 0 && line < cached.lines.length ? cached.lines.text(line) : undefined;
}

/**
 * `file:line:col: error: message [code]`, then the source line with a caret under the span and
 * the hint. `sourceText` is the file as read (a BOM is fine); color is off unless asked for.
 */
export function formatDiagnostic(d: Diagnostic, sourceText: string, options: { color?: boolean } = {}): string {
  const c = createColors(options.color ?? false);
  const { start, end } = d.span;
  const severity = d.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
  const out = [`${c.bold(`${d.span.file}:${start.line}:${start.column}`)}: ${severity}: ${d.message} ${c.dim(`[${d.code}]`)}`];

  // '' means the source is not shown (an env file's lines may hold secrets): no empty line and caret.
  const line = sourceText === '' ? undefined : lineOf(sourceText, start.line - 1);
  if (line !== undefined) {
    const gutter = String(start.line);
    const pad = ' '.repeat(gutter.length);
    const lastColumn = end.line === start.line ? end.column : line.length + 1;
    // A very long line (minified JSON, a hostile file) is shown around the span only.
    const spanStart = Math.max(start.column - 1, 0);
    const spanEnd = Math.max(lastColumn - 1, spanStart + 1);
    const long = line.length > LONG_LINE;
    const from = long ? Math.max(spanStart - CONTEXT, 0) : 0;
    const to = long ? Math.min(Math.min(spanEnd, spanStart + CONTEXT) + CONTEXT, line.length) : line.length;
    const shown = `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
    const before = `${from > 0 ? '…' : ''}${line.slice(from, spanStart)}`;
    const width = Math.max((long ? Math.min(spanEnd, to) : spanEnd) - spanStart, 1);
    // Tabs stay tabs under the line so the caret lines up in any terminal.
    const indent = before.replace(/[^\t]/g, ' ');
    out.push(`  ${c.dim(`${gutter} |`)} ${shown}`);
    out.push(`  ${c.dim(`${pad} |`)} ${indent}${(d.severity === 'error' ? c.red : c.yellow)('^'.repeat(width))}`);
  }
  if (d.hint !== undefined) out.push(`  ${c.cyan('hint')}: ${d.hint}`);
  return out.join('\n');
}
