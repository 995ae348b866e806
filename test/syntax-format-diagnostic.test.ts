import { expect, test } from 'vitest';
import { diagnostic } from '../src/diagnostics.js';
import { formatDiagnostic } from '../src/syntax/format-diagnostic.js';
import { parse } from '../src/syntax/parse.js';

test('file:line:col, severity, message and code; the source line with a caret under the span; the hint', () => {
  const text = '###\n# @name broken\nGET {{host/x\n';
  const [d] = parse(text, { file: 'api/users.http' }).diagnostics;
  expect(formatDiagnostic(d!, text)).toBe(
    [
      'api/users.http:3:5: error: unclosed placeholder: `{{host/x` has no closing `}}` on its line [syntax/unclosed-placeholder]',
      '  3 | GET {{host/x',
      '    |     ^^^^^^^^',
      '  hint: close it with `}}`, or write `\\{\\{` to send literal braces',
    ].join('\n'),
  );
});

test('warnings, wide line numbers, CRLF and BOM sources', () => {
  const text = `\uFEFF${'\r\n'.repeat(11)}# @no-redirct\r\nGET /x\r\n`;
  const [d] = parse(text, { file: 'a.http' }).diagnostics;
  expect(formatDiagnostic(d!, text)).toBe(
    [
      'a.http:12:3: warning: unknown metadata `@no-redirct`: kept, but no editor that httprun follows defines it [syntax/unknown-metadata]',
      '  12 | # @no-redirct',
      '     |   ^^^^^^^^^^^',
      '  hint: did you mean `@no-redirect`?',
    ].join('\n'),
  );
});

test('tabs before the span stay tabs so the caret lines up; a span over several lines is marked to the line end', () => {
  const text = 'POST /x\n\n\t\t{"a": 1}\nmore\n';
  const span = { file: 'a.http', start: { line: 3, column: 3, offset: 11 }, end: { line: 4, column: 5, offset: 24 } };
  expect(formatDiagnostic(diagnostic('error', 'test/x', 'message', span), text).split('\n').slice(1)).toEqual([
    '  3 | \t\t{"a": 1}',
    '    | \t\t^^^^^^^^',
  ]);
});

test('an empty span still gets one caret; no hint line without a hint', () => {
  const text = 'GET /x\n';
  const span = { file: 'a.http', start: { line: 1, column: 7, offset: 6 }, end: { line: 1, column: 7, offset: 6 } };
  expect(formatDiagnostic(diagnostic('error', 'test/x', 'at the end', span), text)).toBe(
    ['a.http:1:7: error: at the end [test/x]', '  1 | GET /x', '    |       ^'].join('\n'),
  );
});

test('color is off by default and on when asked', () => {
  const text = 'GET /x\nbad\n';
  const [d] = parse(text, { file: 'a.http' }).diagnostics;
  expect(formatDiagnostic(d!, text)).not.toMatch(/\u001b\[/);
  const colored = formatDiagnostic(d!, text, { color: true });
  expect(colored).toMatch(/\u001b\[31m/);
  expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatDiagnostic(d!, text));
});
