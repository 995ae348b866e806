import { createColors } from 'picocolors';
import type { Diagnostic } from '../diagnostics.js';
import { splitLines, stripBom } from './source-lines.js';

/**
 * `file:line:col: error: message [code]`, then the source line with a caret under the span and
 * the hint. `sourceText` is the file as read (a BOM is fine); color is off unless asked for.
 */
export function formatDiagnostic(d: Diagnostic, sourceText: string, options: { color?: boolean } = {}): string {
  const c = createColors(options.color ?? false);
  const { start, end } = d.span;
  const severity = d.severity === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning'));
  const out = [`${c.bold(`${d.span.file}:${start.line}:${start.column}`)}: ${severity}: ${d.message} ${c.dim(`[${d.code}]`)}`];

  const line = splitLines(stripBom(sourceText))[start.line - 1];
  if (line !== undefined) {
    const gutter = String(start.line);
    const pad = ' '.repeat(gutter.length);
    const before = line.text.slice(0, Math.max(start.column - 1, 0));
    const lastColumn = end.line === start.line ? end.column : line.text.length + 1;
    const width = Math.max(lastColumn - start.column, 1);
    // Tabs stay tabs under the line so the caret lines up in any terminal.
    const indent = before.replace(/[^\t]/g, ' ');
    out.push(`  ${c.dim(`${gutter} |`)} ${line.text}`);
    out.push(`  ${c.dim(`${pad} |`)} ${indent}${(d.severity === 'error' ? c.red : c.yellow)('^'.repeat(width))}`);
  }
  if (d.hint !== undefined) out.push(`  ${c.cyan('hint')}: ${d.hint}`);
  return out.join('\n');
}
