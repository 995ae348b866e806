import type { ScriptNode } from '../syntax/ast.js';

/**
 * Where an inline script's code starts in the file (1-based), for `ScriptHost.line/column`.
 *
 * The parser keeps the code trimmed and a span over the whole `> {% ... %}` block, so the code may
 * start on the block's first line (`> {% client.global.set(...) %}`) or on a later one (`> {%` alone
 * on its line). `text` is the text the parser read. Searching for the code's first line suffices,
 * and also works when the file's line breaks are CRLF.
 */
export function scriptCodeOrigin(text: string, script: ScriptNode): { line: number; column: number } {
  const start = script.span.start;
  const firstLine = (script.code ?? '').split('\n')[0]!.replace(/\r$/, '');
  const at = firstLine === '' ? -1 : text.indexOf(firstLine, start.offset);
  if (at < 0 || at > script.span.end.offset) return { line: start.line, column: start.column };
  const between = text.slice(start.offset, at);
  const lines = between.split('\n');
  return lines.length === 1
    ? { line: start.line, column: start.column + at - start.offset }
    : { line: start.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1 };
}
