// Parse rules that no other syntax test reached (found with line and branch coverage of
// src/syntax): each test writes what a user would write and reads the exact AST or diagnostic.
import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import type { RequestNode, Template } from '../src/syntax/ast.js';
import { formatDiagnostic } from '../src/syntax/format-diagnostic.js';
import { parse } from '../src/syntax/parse.js';
import { SourceLines } from '../src/syntax/source-lines.js';

function parsed(text: string) {
  return parse(text, { file: 'c.http' });
}

function only(text: string): RequestNode {
  const result = parsed(text);
  expect(messages(result.diagnostics)).toEqual([]);
  expect(result.ast.requests).toHaveLength(1);
  return result.ast.requests[0]!;
}

function flat(template: Template): string {
  return template.parts
    .map((part) => (part.kind === 'text' ? part.value : part.kind === 'variable' ? `{{${part.name}}}` : `<${part.kind}>`))
    .join('');
}

function body(request: RequestNode): string[] {
  return (request.body?.parts ?? []).map((part) => (part.kind === 'text' ? flat(part.text) : `< ${flat(part.path)}`));
}

function headers(request: RequestNode): string[] {
  return request.headers.map((header) => (header.kind === 'header' ? `${header.name}: ${flat(header.value)}` : flat(header.line)));
}

function messages(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.severity} ${d.code}: ${d.message}`);
}

describe('before the request line', () => {
  test('a `> {% %}` response handler above the request line is an error that names it; the request below still parses', () => {
    const result = parsed('> {% client.test("ok", () => {}) %}\nGET http://x/\n');
    expect(messages(result.diagnostics)).toEqual([
      '1:1 error syntax/expected-request-line: expected a request line before `> {% client.test("ok", () => {}) %}`: it belongs after a request',
    ]);
    expect(result.diagnostics[0]!.hint).toBe('write the request (`GET https://example.com/`) above it, or remove the line');
    expect(result.ast.requests.map((r) => [r.method, flat(r.target), r.scripts.length])).toEqual([['GET', 'http://x/', 0]]);
  });

  test('a block with pre-request scripts and no request line keeps them as the file’s foreign scripts (inline code, file path)', () => {
    const result = parsed('###\n< {% request.variables.set("a", "1") %}\n< ./pre.js\n\n### next\nGET http://x/\n');
    expect(messages(result.diagnostics)).toEqual([]);
    expect(result.ast.foreign.map((f) => [f.what, f.text, f.span.start.line])).toEqual([
      ['script', 'request.variables.set("a", "1")', 2],
      ['script', './pre.js', 3],
    ]);
    expect(result.ast.requests.map((r) => [r.title, r.scripts.length])).toEqual([['next', 0]]);
  });

  test('the line above a request line is a GraphQL fragment: the request and its continuation line are still read', () => {
    const result = parsed('fragment F on User { id }\nhttps://example.com/a\n  ?b=1\n');
    expect(messages(result.diagnostics)).toEqual([]);
    expect(result.ast.requests.map((r) => [r.method, flat(r.target), r.graphqlFragments?.map((f) => f.name)])).toEqual([
      ['GET', 'https://example.com/a?b=1', ['F']],
    ]);
  });
});

describe('between the request line and the body', () => {
  test('a `/* */` comment among the headers is skipped: the header below it is read', () => {
    expect(headers(only('GET http://x/\n/* the key */\nX-Key: 1\n'))).toEqual(['X-Key: 1']);
    expect(headers(only('GET http://x/\nX-A: 1\n/* two\n   lines */\nX-B: 2\n'))).toEqual(['X-A: 1', 'X-B: 2']);
  });

  test('a `< ./file` line right below the headers is the body, with a warning for the missing blank line', () => {
    const result = parsed('POST http://x/\nAccept: text/plain\n< ./body.json\n');
    expect(messages(result.diagnostics)).toEqual(['3:1 warning syntax/missing-blank-line: the body starts without a blank line after the headers']);
    const request = result.ast.requests[0]!;
    expect([headers(request), body(request)]).toEqual([['Accept: text/plain'], ['< ./body.json']]);
  });

  test('a file variable among the headers is no header: an error names it, and no variable is defined', () => {
    const result = parsed('GET http://x/\n@v = 1\n');
    expect(messages(result.diagnostics)).toEqual([
      '2:1 error syntax/expected-header: expected a header `Name: value` or a blank line before the body, but found `@v = 1`',
    ]);
    expect(result.ast.variables).toEqual([]);
  });

  test('a header line longer than 60 characters is shortened in the message; the span covers the whole line', () => {
    const line = 'this line has no colon and goes on well past sixty characters, to the end';
    const result = parsed(`GET http://x/\n${line}\n`);
    expect(messages(result.diagnostics)).toEqual([
      '2:1 error syntax/expected-header: expected a header `Name: value` or a blank line before the body, but found `this line has no colon and goes on well past sixty charac...`',
    ]);
    expect(result.diagnostics[0]!.span.end.column).toBe(line.length + 1);
  });
});

describe('after the request (the response tail)', () => {
  test('comments and metadata between `??` lines are skipped: both assertions stay the request’s', () => {
    const request = only('GET http://x/\n\n?? status == 200\n# the body\n// @note kept out\n?? body.ok == true\n');
    expect(request.assertions.map((a) => [a.text, a.span.start.line])).toEqual([
      ['?? status == 200', 3],
      ['?? body.ok == true', 6],
    ]);
    expect(request.metadata).toEqual([]);
  });

  test('a `/* */` comment between `??` lines is skipped', () => {
    const request = only('GET http://x/\n\n?? status == 200\n/* not yet:\n?? status == 201 */\n?? header content-type == text/plain\n');
    expect(request.assertions.map((a) => a.text)).toEqual(['?? status == 200', '?? header content-type == text/plain']);
  });

  test('an httpyac `run` line after an assertion is kept as the request’s foreign line, not an error', () => {
    const request = only('GET http://x/\n\n?? status == 200\nrun #login\n');
    expect(request.foreign.map((f) => [f.what, f.text, f.span.start.line])).toEqual([['run', 'run #login', 4]]);
    expect(request.assertions.map((a) => a.text)).toEqual(['?? status == 200']);
  });

  test('an unclosed `> {%` handler before the next `###` says so; the next request is still read', () => {
    const result = parsed('GET http://x/\n\n> {%\n  client.log(1)\n###\nGET http://y/\n');
    expect(messages(result.diagnostics)).toEqual([
      '3:3 error syntax/unclosed-script: the script opened here with `{%` is not closed with `%}` before the next `###`',
    ]);
    expect(result.diagnostics[0]!.span.end.column).toBe(5);
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['http://x/', 'http://y/']);
  });

  test('an unclosed httpyac `{{` script block at the end of the file says so', () => {
    const result = parsed('GET http://x/\n\n{{\n  console.log(response)\n');
    expect(messages(result.diagnostics)).toEqual([
      '3:1 error syntax/unclosed-script: the script block opened here with `{{` is not closed by a line `}}` before the end of the file',
    ]);
    expect(result.diagnostics[0]!.hint).toBe('end the block with a line holding only `}}`');
  });

  test('each unclosed construct names where it ends: the end of the file, or the next `###`', () => {
    expect(messages(parsed('GET http://x/\n\n> {%\n  client.log(1)\n').diagnostics)).toEqual([
      '3:3 error syntax/unclosed-script: the script opened here with `{%` is not closed with `%}` before the end of the file',
    ]);
    expect(messages(parsed('GET http://x/\n\n{{\n  x\n###\nGET http://y/\n').diagnostics)).toEqual([
      '3:1 error syntax/unclosed-script: the script block opened here with `{{` is not closed by a line `}}` before the next `###`',
    ]);
    expect(messages(parsed('GET http://x/\n/*\n').diagnostics)).toEqual([
      '2:1 error syntax/unclosed-comment: the comment opened here with `/*` is not closed with `*/` before the end of the file',
    ]);
  });

  test('an unclosed `/*` before the next `###` says so; the next request is still read', () => {
    const result = parsed('GET http://x/\n/* headers to come\n###\nGET http://y/\n');
    expect(messages(result.diagnostics)).toEqual([
      '2:1 error syntax/unclosed-comment: the comment opened here with `/*` is not closed with `*/` before the next `###`',
    ]);
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['http://x/', 'http://y/']);
  });
});

describe('templates', () => {
  test('a `{{ }}` right after an escaped `\\{\\{` is a placeholder (the up-front scan read it as `{x`)', () => {
    const request = only('GET http://x/?a=\\{\\{{{x}}\n');
    expect(request.target.parts.map((part) => (part.kind === 'text' ? part.value : `${part.kind}:${'name' in part ? part.name : ''}@${part.span.start.column}`))).toEqual([
      'http://x/?a={{',
      'variable:x@21',
    ]);
  });
});

describe('curl commands', () => {
  test('`--json @file` sends the file as a JSON body', () => {
    const request = only('curl --json @./item.json http://x/items\n');
    expect([request.method, body(request), headers(request)]).toEqual([
      'POST',
      ['< ./item.json'],
      ['Content-Type: application/json', 'Accept: application/json'],
    ]);
    const path = request.body!.parts[0]!.kind === 'file' ? request.body!.parts[0]!.path : null;
    expect(path?.span.start.column).toBe(14);
  });

  test('a `#` shell comment ends the command: its words are not arguments', () => {
    const request = only('curl http://x/a # then -X DELETE http://y/\n');
    expect([request.method, flat(request.target)]).toEqual(['GET', 'http://x/a']);
  });

  test('`--url-query` adds `?` to a URL without a query, and `&` after a query that `-G` made', () => {
    expect(flat(only('curl --url-query a=1 --url-query b=2 http://x/\n').target)).toBe('http://x/?a=1&b=2');
    expect(flat(only('curl -G -d a=1 --url-query b=2 http://x/\n').target)).toBe('http://x/?a=1&b=2');
  });

  test('a lone `--` ends the options, as in curl: the word after it is the URL, even one starting with `-`', () => {
    const request = only('curl -X PUT -- http://x/up\n');
    expect([request.method, flat(request.target)]).toEqual(['PUT', 'http://x/up']);
    const result = parsed('curl -- http://x/ -d a=1\n');
    expect(messages(result.diagnostics)).toEqual([
      '1:19 warning syntax/curl-extra-url: curl argument `-d` skipped: httprun sends one request per command, to the first URL',
      '1:22 warning syntax/curl-extra-url: curl argument `a=1` skipped: httprun sends one request per command, to the first URL',
    ]);
    expect(result.ast.requests.map((r) => [r.method, flat(r.target), r.body])).toEqual([['GET', 'http://x/', null]]);
  });

  test('`--data-urlencode name=content` with `@` in the content encodes it (only `@` before `=` names a file)', () => {
    expect(body(only("curl --data-urlencode 'q=a@b' http://x/\n"))).toEqual(['q=a%40b']);
  });

  test('`-F name` without `=` (curl refuses it) is a warning, and an empty field of that name is sent', () => {
    const result = parsed('curl -F flag http://x/\n');
    expect(messages(result.diagnostics)).toEqual([
      '1:9 warning syntax/curl-form-field: curl form field `flag` has no `=`: curl refuses it; httprun sends an empty field named flag',
    ]);
    expect(result.diagnostics[0]?.hint).toBe('write the field as `-F name=value`');
    expect(body(result.ast.requests[0]!)).toEqual([
      '--httprun-curl-form-boundary\nContent-Disposition: form-data; name="flag"\n\n',
      '--httprun-curl-form-boundary--',
    ]);
  });
});

describe('formatted diagnostics', () => {
  const long = `{"data": "${'a'.repeat(200)}", "id": {{id}, "tail": "${'b'.repeat(200)}"}`;
  const text = `POST http://x/\nContent-Type: application/json\n\n${long}\n`;

  test('on a line over 240 characters only the span and 80 characters around it are shown, with `…` where the line goes on', () => {
    const [d] = parsed(text).diagnostics;
    expect(messages([d!])).toEqual(['4:220 error syntax/unclosed-placeholder: unclosed placeholder: `{{id}, "tail": "bbbbbbbbbbbbbbbbbbbbb...` has no closing `}}` on its line']);
    const [, source, caret] = formatDiagnostic(d!, text).split('\n');
    const at = 219;
    const to = Math.min(at + 80 + 80, long.length);
    expect(source).toBe(`  4 | …${long.slice(at - 80, to)}…`);
    // The caret starts under `{{` and stops where the shown text ends.
    expect(caret).toBe(`    | ${' '.repeat(81)}${'^'.repeat(to - at)}`);
  });

  test('an empty source text shows no source line (env-file values may be secret); a span past the text’s end neither', () => {
    const [d] = parsed(text).diagnostics;
    const plain = 'c.http:4:220: error: unclosed placeholder: `{{id}, "tail": "bbbbbbbbbbbbbbbbbbbbb...` has no closing `}}` on its line [syntax/unclosed-placeholder]';
    const hint = '  hint: close it with `}}`, or write `\\{\\{` to send literal braces';
    expect(formatDiagnostic(d!, '')).toBe([plain, hint].join('\n'));
    expect(formatDiagnostic(d!, 'GET http://x/\n')).toBe([plain, hint].join('\n'));
  });
});

test('a span copied without its line starts (as a test runner copies one) reads no position instead of throwing', () => {
  const span = new SourceLines('a.http', 'GET /x\n').span(0, 0, 3);
  expect([span.start.column, span.end.column]).toEqual([1, 4]);
  const copy = Object.assign(Object.create(Object.getPrototypeOf(span) as object) as typeof span, span);
  expect(copy.start).toBeUndefined();
  expect(copy.end).toBeUndefined();
  expect(copy.file).toBe('a.http');
});
