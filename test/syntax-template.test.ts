import { describe, expect, test } from 'vitest';
import type { Diagnostic, Span } from '../src/diagnostics.js';
import { parse, parseTemplate } from '../src/syntax/parse.js';

const at: Span = { file: '.env', start: { line: 3, column: 7, offset: 40 }, end: { line: 3, column: 30, offset: 63 } };

function parts(text: string) {
  return parseTemplate(text, at).parts;
}

describe('placeholders', () => {
  test('{{name}} and {{ name }} are variables with trimmed names', () => {
    expect(parts('a {{host}} b {{ element-id }}')).toMatchObject([
      { kind: 'text', value: 'a ' },
      { kind: 'variable', name: 'host' },
      { kind: 'text', value: ' b ' },
      { kind: 'variable', name: 'element-id' },
    ]);
  });

  test('request references keep the full dotted name', () => {
    for (const name of ['login.response.body.$.token', 'login.response.headers.Location', 'login.response.body.//status/id', "two.response.headers['Date']", 'x.response.body.$.items[0].id', 'x.response.status']) {
      expect(parts(`{{${name}}}`)).toMatchObject([{ kind: 'variable', name }]);
    }
  });

  test('{{$name args}} is dynamic: name without $, args raw and trimmed, JetBrains parentheses removed', () => {
    expect(parts('{{$uuid}}{{ $datetime iso8601 1 d }}{{$random.integer(1, 10)}}{{$processEnv HOME}}{{$datetime "DD.MM.YYYY" 2 d}}{{$env.TOKEN}}')).toEqual([
      expect.objectContaining({ kind: 'dynamic', name: 'uuid', args: '' }),
      expect.objectContaining({ kind: 'dynamic', name: 'datetime', args: 'iso8601 1 d' }),
      expect.objectContaining({ kind: 'dynamic', name: 'random.integer', args: '1, 10' }),
      expect.objectContaining({ kind: 'dynamic', name: 'processEnv', args: 'HOME' }),
      expect.objectContaining({ kind: 'dynamic', name: 'datetime', args: '"DD.MM.YYYY" 2 d' }),
      expect.objectContaining({ kind: 'dynamic', name: 'env.TOKEN', args: '' }),
    ]);
  });

  test('anything else between {{ }} is an expression, kept as written and never evaluated', () => {
    expect(parts('{{ a + b }}{{ }}{{JSON.stringify(x)}}')).toMatchObject([
      { kind: 'expression', code: 'a + b' },
      { kind: 'expression', code: '' },
      { kind: 'expression', code: 'JSON.stringify(x)' },
    ]);
  });

  test('REST Client {{%name}} is the variable "%name" (percent-encoded when resolved)', () => {
    expect(parts('{{%name}}')).toMatchObject([{ kind: 'variable', name: '%name' }]);
    expect(parts('{{%login.response.body.$.token}}')).toMatchObject([{ kind: 'variable', name: '%login.response.body.$.token' }]);
  });

  test('<<NAME>> is a secret; << without a name is text', () => {
    expect(parts('Bearer <<API_TOKEN>> and a << b >>')).toMatchObject([
      { kind: 'text', value: 'Bearer ' },
      { kind: 'secret', name: 'API_TOKEN' },
      { kind: 'text', value: ' and a << b >>' },
    ]);
  });

  test('httpyac escapes \\{\\{ and \\}\\} are literal braces', () => {
    expect(parts('My \\{\\{someVerb\\}\\} template')).toEqual([{ kind: 'text', value: 'My {{someVerb}} template' }]);
  });

  test('single braces and JSON stay text', () => {
    expect(parts('{"a": {"b": [1]}}')).toEqual([{ kind: 'text', value: '{"a": {"b": [1]}}' }]);
  });
});

describe('positions', () => {
  test('parts carry spans counted from the template start', () => {
    const template = parseTemplate('x {{a}} <<S>>', at);
    expect(template.span).toBe(at);
    expect(template.parts[1]).toMatchObject({ span: { file: '.env', start: { line: 3, column: 9, offset: 42 }, end: { line: 3, column: 14, offset: 47 } } });
    expect(template.parts[3]).toMatchObject({ span: { start: { line: 3, column: 15, offset: 48 }, end: { line: 3, column: 20, offset: 53 } } });
  });

  test('a value over several lines keeps line numbers; line breaks become \\n', () => {
    const template = parseTemplate('a\r\n  {{b}}', at);
    expect(template.parts).toMatchObject([
      { kind: 'text', value: 'a\n  ' },
      { kind: 'variable', name: 'b', span: { start: { line: 4, column: 3, offset: 45 } } },
    ]);
  });
});

describe('unclosed placeholders', () => {
  test('an unclosed {{ in a file is an error at its position; the text is kept', () => {
    const result = parse('GET {{host/x\n', { file: 'a.http' });
    expect(result.diagnostics).toMatchObject([
      {
        severity: 'error',
        code: 'syntax/unclosed-placeholder',
        message: 'unclosed placeholder: `{{host/x` has no closing `}}` on its line',
        hint: 'close it with `}}`, or write `\\{\\{` to send literal braces',
        span: { file: 'a.http', start: { line: 1, column: 5, offset: 4 }, end: { line: 1, column: 13, offset: 12 } },
      },
    ]);
    expect(result.ast.requests[0]!.target.parts).toEqual([{ kind: 'text', value: '{{host/x' }]);
  });

  test('a placeholder does not continue on the next line', () => {
    const result = parse('POST /x\n\n{"a": "{{name\n}}"}\n', { file: 'a.http' });
    expect(result.diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).toEqual([['syntax/unclosed-placeholder', 3, 8]]);
  });

  test('parseTemplate reports unclosed placeholders only when asked', () => {
    const diagnostics: Diagnostic[] = [];
    expect(parseTemplate('a {{b', at, diagnostics).parts).toEqual([{ kind: 'text', value: 'a {{b' }]);
    expect(diagnostics.map((d) => [d.code, d.span.start.column])).toEqual([['syntax/unclosed-placeholder', 9]]);
    expect(() => parseTemplate('a {{b', at)).not.toThrow();
  });
});
