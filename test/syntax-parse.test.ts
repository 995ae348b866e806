import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import type { BodyPart, HeaderNode, RequestNode, Template } from '../src/syntax/ast.js';
import { lastParseWork, parse } from '../src/syntax/parse.js';

function parsed(text: string) {
  return parse(text, { file: 'test.http' });
}

/** Parses text that must have no error, and returns its AST. */
function clean(text: string) {
  const result = parsed(text);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.ast;
}

function only(text: string): RequestNode {
  const { requests } = clean(text);
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

/** A template's text with placeholders written as {{name}} / {{$name args}} / <<NAME>> / {{=code}}. */
function flat(template: Template | undefined): string {
  if (template === undefined) return '<none>';
  return template.parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.value;
        case 'variable':
          return `{{${part.name}}}`;
        case 'dynamic':
          return `{{$${part.name}|${part.args}}}`;
        case 'secret':
          return `<<${part.name}>>`;
        case 'expression':
          return `{{=${part.code}}}`;
      }
    })
    .join('');
}

function bodyParts(request: RequestNode): string[] {
  return (request.body?.parts ?? []).map((part: BodyPart) =>
    part.kind === 'text' ? `text:${flat(part.text)}` : `file${part.substitute ? '@' : ''}${part.encoding ?? ''}:${flat(part.path)}`,
  );
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.severity} ${d.code} ${d.span.start.line}:${d.span.start.column}`);
}

describe("kulala's shared block", () => {
  test('the metadata of a first `### Shared` block goes with every later request, before its own; names stay their own', () => {
    const ast = clean('### Shared\n# @name setup\n# @curl-connect-timeout 20\n# @no-redirect\n\n### one\nGET /a\n\n### two\n# @curl-connect-timeout 5\nGET /b\n');
    expect(ast.requests.map((r) => [r.name, r.metadata.map((m) => `${m.key}=${m.value}`)])).toEqual([
      ['one', ['curl-connect-timeout=20', 'no-redirect=']],
      ['two', ['curl-connect-timeout=20', 'no-redirect=', 'curl-connect-timeout=5']],
    ]);
  });

  test('`### Shared each` with a request: the request is the first of the file, and its metadata is shared too', () => {
    const ast = clean('### Shared each\n# @timeout 3\nPOST /setup\n\n### one\nGET /a\n');
    expect(ast.requests.map((r) => [r.name, r.metadata.map((m) => m.key)])).toEqual([
      ['Shared each', ['timeout']],
      ['one', ['timeout']],
    ]);
  });

  test('the pre-request scripts of a `### Shared` block without a request go first in every later request', () => {
    const ast = clean('### Shared\n< {% request.variables.set("t", "1") %}\n< ./setup.js\n\n### one\n< {% own() %}\nGET /a\n\n### two\nGET /b\n');
    expect(ast.requests.map((r) => r.scripts.map((s) => `${s.phase}:${s.code ?? s.path}`))).toEqual([
      ['pre:request.variables.set("t", "1")', 'pre:./setup.js', 'pre:own()'],
      ['pre:request.variables.set("t", "1")', 'pre:./setup.js'],
    ]);
    // Not also a file-level script that nothing runs.
    expect(ast.foreign).toEqual([]);
    // With a request of its own, the block's scripts are that request's.
    const own = clean('### Shared\n< {% setup() %}\nPOST /login\n\n### one\nGET /a\n');
    expect(own.requests.map((r) => r.scripts.length)).toEqual([1, 0]);
  });

  test('only the first block shares: a later `### Shared` is an ordinary title', () => {
    const ast = clean('### first\nGET /a\n\n### Shared\n# @timeout 3\nGET /b\n\n### after\nGET /c\n');
    expect(ast.requests.map((r) => r.metadata.length)).toEqual([0, 1, 0]);
  });
});

describe('separators and titles', () => {
  test("httpyac's # @title is the title where the ### line has none; # @name still wins for the name", () => {
    const ast = clean('# @title login here\nPOST /auth/login\n\n### written\n# @title ignored\nGET /a\n\n###\n# @title shown\n# @name ref\nGET /b\n');
    expect(ast.requests.map((r) => [r.title, r.name])).toEqual([
      ['login here', 'login here'],
      ['written', 'written'],
      ['shown', 'ref'],
    ]);
  });

  test('### splits requests; the rest of the line is the title and the name', () => {
    const ast = clean('### Login\nPOST /login\n\n###\nGET /me\n### \nGET /x\n');
    expect(ast.requests.map((r) => [r.title, r.name])).toEqual([
      ['Login', 'Login'],
      [null, 'GET /me'],
      [null, 'GET /x'],
    ]);
  });

  test('#### and banners give the title without the #s', () => {
    const ast = clean('#### Plain\nGET /a\n\n##### Auth #####\nGET /b\n\n########\nGET /c\n');
    expect(ast.requests.map((r) => r.title)).toEqual(['Plain', 'Auth', null]);
  });

  test('a file may start and end with separators; empty blocks make no request', () => {
    const ast = clean('###\n###\nGET http://example.com\n###\n###\n');
    expect(ast.requests).toHaveLength(1);
  });

  test('the request span runs from the ### line to the end of its block', () => {
    const ast = clean('@a = 1\n\n### One\n# @name one\nGET /a\n\n###\nGET /b\n');
    const [first, second] = ast.requests;
    expect(first!.span.start.line).toBe(3);
    expect(first!.span.end.line).toBe(6);
    expect(first!.requestLine.start).toEqual({ line: 5, column: 1, offset: 28 });
    expect(second!.span.start.line).toBe(7);
  });

  test('without ###, the request span starts at its metadata', () => {
    const request = only('# a comment\n# @name x\nGET /a\n');
    expect(request.span.start.line).toBe(2);
  });
});

describe('file region, comments, metadata', () => {
  test('a region before the first request holds variables, comments and file metadata', () => {
    const ast = clean('# @kulala-vscode-restclient-compat\n// comment\n@host = http://h\n\n### one\nGET {{host}}/a\n');
    expect(ast.metadata.map((m) => m.key)).toEqual(['kulala-vscode-restclient-compat']);
    expect(ast.variables.map((v) => [v.name, flat(v.value)])).toEqual([['host', 'http://h']]);
    expect(ast.requests[0]!.metadata).toEqual([]);
  });

  test('metadata in # and // spellings, with and without =', () => {
    const request = only('# @name = first\n// @no-redirect\n#@tag a, b\n# @timeout 5 s\n// @name=second\nGET /x\n');
    expect(request.metadata.map((m) => [m.key, m.value])).toEqual([
      ['name', 'first'],
      ['no-redirect', ''],
      ['tag', 'a, b'],
      ['timeout', '5 s'],
      ['name', 'second'],
    ]);
    expect(request.name).toBe('second');
  });

  test('the metadata span covers the line', () => {
    const request = only('  # @name x  \nGET /x\n');
    expect(request.metadata[0]!.span).toMatchObject({ start: { line: 1, column: 3 }, end: { line: 1, column: 12 } });
  });

  test('every key the peers document is known; an unknown key is kept with a warning', () => {
    const keys = ['name', 'no-redirect', 'no-cookie-jar', 'no-log', 'timeout', 'connection-timeout', 'ref', 'forceRef', 'tag',
      'skip', 'retry', 'prompt', 'import', 'note', 'title', 'description', 'secret', 'insecure', 'jwt', 'debug', 'verbose',
      'keepStreaming', 'sleep', 'loop', 'disabled', 'ratelimit', 'save', 'openWith', 'extension', 'no-client-cert',
      'responseRef', 'curl', 'graphql', 'env', 'curl-insecure', 'no-auto-encoding'];
    const text = `${keys.map((k) => `# @${k} v`).join('\n')}\nGET /x\n`;
    const result = parsed(text);
    expect(result.diagnostics.filter((d) => d.code === 'syntax/unknown-metadata')).toEqual([]);

    const unknown = parsed('# @no-redirct\n# @frobnicate 3\nGET /x\n');
    expect(unknown.ast.requests[0]!.metadata.map((m) => m.key)).toEqual(['no-redirct', 'frobnicate']);
    expect(unknown.diagnostics.map((d) => [d.severity, d.code, d.message, d.hint])).toEqual([
      ['warning', 'syntax/unknown-metadata', 'unknown metadata `@no-redirct`: kept, but no editor that httprun follows defines it', 'did you mean `@no-redirect`?'],
      ['warning', 'syntax/unknown-metadata', 'unknown metadata `@frobnicate`: kept, but no editor that httprun follows defines it', 'a plain comment does not start with `@`'],
    ]);
    expect(unknown.diagnostics[0]!.span).toMatchObject({ start: { line: 1, column: 3 }, end: { line: 1, column: 14 } });
  });

  test('/* */ block comments outside bodies are skipped, also across lines', () => {
    const ast = clean('/* one line */\n/*\nGET /not-a-request\n*/\nGET /a\n\n###\n/* x\n */\nGET /b\n');
    expect(ast.requests.map((r) => flat(r.target))).toEqual(['/a', '/b']);
  });

  test('an unclosed block comment is an error that names what closes it', () => {
    const result = parsed('/* comment\nGET /a\n\n###\nGET /b\n');
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['syntax/unclosed-comment', 'the comment opened here with `/*` is not closed with `*/` before the next `###`'],
    ]);
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['/b']);
  });
});

describe('variables', () => {
  test('@name = value anywhere outside bodies, value trimmed and a template', () => {
    const ast = clean('@a = 1\n@b=two  \n@c =  {{a}}-{{$uuid}}\n###\n@d = in block\nGET /x\n\n?? status == 200\n@e = after\n');
    expect(ast.variables.map((v) => [v.name, flat(v.value)])).toEqual([
      ['a', '1'],
      ['b', 'two'],
      ['c', '{{a}}-{{$uuid|}}'],
      ['d', 'in block'],
      ['e', 'after'],
    ]);
    expect(ast.variables[2]!.value.parts[0]).toMatchObject({ kind: 'variable', span: { start: { line: 3, column: 7 } } });
    expect(ast.variables[0]!.span).toMatchObject({ start: { line: 1, column: 1 }, end: { line: 1, column: 7 } });
  });

  test('an @ line inside a body is body text', () => {
    const request = only('POST /x\n\n@not = a variable\n');
    expect(bodyParts(request)).toEqual(['text:@not = a variable']);
  });
});

describe('request line', () => {
  test('method, target and version', () => {
    const request = only('POST https://example.com/a?b=1 HTTP/1.1\n');
    expect([request.method, flat(request.target), request.httpVersion]).toEqual(['POST', 'https://example.com/a?b=1', 'HTTP/1.1']);
    expect(request.name).toBe('POST https://example.com/a?b=1');
  });

  test.each([
    ['GET /x HTTP/2', 'HTTP/2'],
    ['GET /x HTTP/2.0', 'HTTP/2'],
    ['GET /x HTTP/2 (Prior Knowledge)', 'HTTP/2 (Prior Knowledge)'],
    ['GET /x HTTP/3', 'HTTP/3'],
    ['GET /x HTTP/1.0', 'HTTP/1.0'],
    ['GET /x', null],
  ])('version of %s', (line, version) => {
    expect(only(`${line}\n`).httpVersion).toBe(version);
  });

  test('the method defaults to GET', () => {
    const request = only('http://example.com/a\n');
    expect([request.method, flat(request.target), request.name]).toEqual(['GET', 'http://example.com/a', 'http://example.com/a']);
  });

  test.each([
    'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'GRAPHQL', 'PROPFIND', 'PROPPATCH',
    'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH', 'CHECKOUT', 'MERGE', 'VERSION-CONTROL', 'BASELINE-CONTROL',
  ])('%s is a method', (method) => {
    expect(only(`${method} /x\n`).method).toBe(method);
  });

  test('known methods are case-insensitive and sent upper-case; custom all-capitals tokens are kept', () => {
    expect(only('get /x\n').method).toBe('GET');
    expect(only('Post /x\n').method).toBe('POST');
    expect(only('PURGEALL https://cdn.example.com/x\n').method).toBe('PURGEALL');
  });

  test.each([
    ['{{url}}', '{{url}}'],
    ['/api/get', '/api/get'],
    ['OPTIONS * HTTP/1.1', '*'],
    ['localhost:8080/x', 'localhost:8080/x'],
    ['example.com', 'example.com'],
    ['http://[::1]:8080/x', 'http://[::1]:8080/x'],
    ['GET {{host}}/a/{{id}}', '{{host}}/a/{{id}}'],
    ['http://example.com/api/get#q=hello+world', 'http://example.com/api/get#q=hello+world'],
    ['GET https://echo.kulala.app/get?name=John Doe', 'https://echo.kulala.app/get?name=John Doe'],
  ])('target forms: %s', (line, target) => {
    expect(flat(only(`${line}\n`).target)).toBe(target);
  });

  test('continuation lines: indented, ?, &, /path; joined without whitespace', () => {
    expect(flat(only('GET https://example.com\n  /api\n    /get\n?a=1\n&b=2\n/more\n').target)).toBe('https://example.com/api/get?a=1&b=2/more');
  });

  test('commented-out query lines inside the continuation are skipped; the version may end the last one', () => {
    const request = only('POST https://h/post\n  ?k=1\n  # &k2=2\n  &k3=3\n  // &k4=4\n  &k5=5 HTTP/1.1\n# X-Off: 1\nContent-Type: text/plain\n');
    expect(flat(request.target)).toBe('https://h/post?k=1&k3=3&k5=5');
    expect(request.httpVersion).toBe('HTTP/1.1');
    expect(request.headers.map((h) => (h as HeaderNode).name)).toEqual(['Content-Type']);
  });

  test('a version alone on a continuation line', () => {
    const request = only('GET https://h/a\n  ?x=1\n  HTTP/2\n');
    expect([flat(request.target), request.httpVersion]).toEqual(['https://h/a?x=1', 'HTTP/2']);
  });

  test('continuation parts keep the position of each line', () => {
    const request = only('GET https://h\n    /{{id}}\n');
    expect(request.target.parts[1]).toMatchObject({ kind: 'variable', name: 'id', span: { start: { line: 2, column: 6, offset: 19 } } });
    expect(request.requestLine).toMatchObject({ start: { line: 1, column: 1 }, end: { line: 1, column: 14 } });
  });

  test('a line that is no request line is an error that says what was expected, once per paragraph', () => {
    const result = parsed('this is not a request\nHeader: x\n\n###\nGET /ok\n');
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['syntax/expected-request-line', 'expected a request line (`METHOD URL`), a comment, `@name = value` or `###`, but found `this is not a request`'],
    ]);
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['/ok']);
  });

  test('a request line commented out with its headers and body left below: a warning, and the block is skipped', () => {
    const result = parsed('### off\n#POST https://h/a\nContent-Type: application/json\n\n{"a": 1}\n\n### on\nGET https://h/b\n');
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.message, d.span.start.line])).toEqual([
      ['warning', 'syntax/commented-out-request', 'this request line is commented out, so the headers and body below it are skipped', 2],
    ]);
    expect(result.diagnostics[0]?.hint).toBe('remove the comment marker to send the request, or comment out its other lines too');
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['https://h/b']);
  });

  test('a commented-out request skips up to a request line after a blank line when there is no ###', () => {
    const result = parsed('// GET https://h/a\nAccept: x\n\nGET https://h/b\n');
    expect(codes(result.diagnostics)).toEqual(['warning syntax/commented-out-request 1:1']);
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['https://h/b']);
  });

  test('a plain comment above a header line is still an error: only a commented request line switches a request off', () => {
    const result = parsed('# the users\nAccept: x\n');
    expect(codes(result.diagnostics)).toEqual(['error syntax/expected-request-line 2:1']);
  });

  test('a method without a URL', () => {
    const result = parsed('POST\n');
    expect(result.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['syntax/expected-url', 'expected a URL after `POST`', 'write the request as `POST https://example.com/path`'],
    ]);
  });
});

describe("httpyac's lazy variables", () => {
  test('@name := value is a variable marked lazy; = is not', () => {
    const ast = clean('@a = 1\n@b := {{a}}\nGET /x\n');
    expect(ast.variables.map((v) => [v.name, flat(v.value), v.lazy])).toEqual([
      ['a', '1', undefined],
      ['b', '{{a}}', true],
    ]);
  });
});

describe('headers', () => {
  test('Name: value up to the first blank line, repeated headers kept in order', () => {
    const request = only('GET /x\nAccept: a\nCookie: a=1\nCookie: b=2\nX-Empty:\n\nbody\n');
    expect(request.headers.map((h) => (h.kind === 'header' ? [h.name, flat(h.value)] : h.kind))).toEqual([
      ['Accept', 'a'],
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
      ['X-Empty', ''],
    ]);
    expect(bodyParts(request)).toEqual(['text:body']);
  });

  test('the header value is a template with positions', () => {
    const request = only('GET /x\nAuthorization: Bearer {{token}} <<KEY>>\n');
    const header = request.headers[0] as HeaderNode;
    expect(flat(header.value)).toBe('Bearer {{token}} <<KEY>>');
    expect(header.value.parts[1]).toMatchObject({ kind: 'variable', span: { start: { line: 2, column: 23 } } });
    expect(header.value.parts[3]).toMatchObject({ kind: 'secret', name: 'KEY', span: { start: { line: 2, column: 33 }, end: { line: 2, column: 40 } } });
  });

  test('blanks around the colon, a name up to a colon or blank, a value without a line separator', () => {
    const request = only('GET /x\nX-A\t \f: \t b \t\nX-B :\n');
    expect(request.headers.map((h) => (h.kind === 'header' ? [h.name, flat(h.value)] : h.kind))).toEqual([
      ['X-A', 'b'],
      ['X-B', ''],
    ]);
    expect((request.headers[0] as HeaderNode).value.span).toMatchObject({ start: { line: 2, column: 11 }, end: { line: 2, column: 12 } });
    // U+2028 in a value ends what a header line may hold (as in the peers' `(.*)$` patterns).
    const { diagnostics } = parse('GET /x\nX-A: a\u2028b\n: no name\n', { file: 'x.http' });
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ['syntax/expected-header', 2],
      ['syntax/expected-header', 3],
    ]);
  });

  test('an indented line continues the header above it (JetBrains §3.2.2)', () => {
    const request = only('GET /x\nX-Long: first\n   second\n\tthird\nAccept: b\n');
    expect(request.headers.map((h) => (h.kind === 'header' ? [h.name, flat(h.value)] : h.kind))).toEqual([
      ['X-Long', 'first second third'],
      ['Accept', 'b'],
    ]);
    expect(request.headers[0]!.span).toMatchObject({ start: { line: 2 }, end: { line: 4 } });
  });

  test('{{auth}} alone where a header goes is a header line', () => {
    const request = only('GET /x\n{{auth}}\nAccept: a\n');
    expect(request.headers[0]).toMatchObject({ kind: 'header-line' });
    expect(request.headers[0]!.kind === 'header-line' && flat(request.headers[0]!.line)).toBe('{{auth}}');
  });

  test('comment lines inside the header section are skipped', () => {
    const request = only('GET /x\n# X-Off: 1\n// X-Off: 2\nAccept: a\n');
    expect(request.headers).toHaveLength(1);
  });

  test('a header-section line without a colon is an error; the others are still read', () => {
    const result = parsed('GET /x\nContent-Type application/json\nAccept: a\nnope\n\n{}\n\n###\nGET /y\nbad line\n');
    expect(result.diagnostics.map((d) => [d.code, d.message, d.span.start.line, d.span.start.column, d.span.end.column])).toEqual([
      ['syntax/expected-header', 'expected a header `Name: value` or a blank line before the body, but found `Content-Type application/json`', 2, 1, 30],
      ['syntax/expected-header', 'expected a header `Name: value` or a blank line before the body, but found `nope`', 4, 1, 5],
      ['syntax/expected-header', 'expected a header `Name: value` or a blank line before the body, but found `bad line`', 10, 1, 9],
    ]);
    expect(result.diagnostics[0]!.hint).toBe('a header needs a colon (`Content-Type: application/json`); leave a blank line before the body');
    expect(result.ast.requests).toHaveLength(2);
    expect(result.ast.requests[0]!.headers).toHaveLength(1);
  });

  test('a body that starts without a blank line (httpyac) is read, with a warning', () => {
    const result = parsed('POST /x\nContent-Type: application/json\n{\n  "a": 1\n}\n');
    expect(codes(result.diagnostics)).toEqual(['warning syntax/missing-blank-line 3:1']);
    expect(result.diagnostics[0]!.message).toBe('the body starts without a blank line after the headers');
    expect(bodyParts(result.ast.requests[0]!)).toEqual(['text:{\n  "a": 1\n}']);
  });
});

describe('body', () => {
  test('runs to the next ###, without its trailing blank lines or its last line break', () => {
    const request = clean('POST /x\n\n{\n  "a": 1\n}\n\n\n###\nGET /y\n').requests[0]!;
    expect(bodyParts(request)).toEqual(['text:{\n  "a": 1\n}']);
    expect(request.body!.span).toMatchObject({ start: { line: 3, column: 1 }, end: { line: 5, column: 2 } });
  });

  test('blank lines before the body are not part of it (JetBrains §4.2.2); blank lines inside are', () => {
    const request = only('POST /x\n\n\n\nquery { a }\n\n{"v": 1}\n\n');
    expect(bodyParts(request)).toEqual(['text:query { a }\n\n{"v": 1}']);
  });

  test('a request without a body has body null', () => {
    expect(only('GET /x\nAccept: a\n\n\n').body).toBeNull();
    expect(only('GET /x').body).toBeNull();
  });

  test('// lines (after optional indent) are comments and removed', () => {
    const request = only('POST /x\n\n{\n  // the id\n  "id": 1,\n// "off": 2\n  "on": 3\n}\n');
    expect(bodyParts(request)).toEqual(['text:{\n  "id": 1,\n  "on": 3\n}']);
  });

  test('a # line is body (Markdown, CSV) unless only comments and blank lines follow it', () => {
    const request = only('POST /x\n\n# Heading\n\ntext\n#,csv,header\nrow\n\n# section comment for what follows\n// another\n\n');
    expect(bodyParts(request)).toEqual(['text:# Heading\n\ntext\n#,csv,header\nrow']);
  });

  test('the body ends at ??, > {%, > file, >>, <>, {{ and a pasted response line', () => {
    for (const tail of ['?? status == 200', '> {% client.log(1) %}', '> ./check.js', '>> out.json', '>>! out.json', '<> previous.json', '{{\n}}', 'HTTP/1.1 200 OK']) {
      const result = parsed(`POST /x\n\nbody line\n\n${tail}\n`);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(bodyParts(result.ast.requests[0]!)).toEqual(['text:body line']);
    }
  });

  test('< file is a verbatim file part, <@ substitutes, <@latin1 names an encoding', () => {
    expect(bodyParts(only('POST /x\n\n< ./input.json \n'))).toEqual(['file:./input.json']);
    expect(bodyParts(only('POST /x\n\n<@ ./t.json\n'))).toEqual(['file@:./t.json']);
    expect(bodyParts(only('POST /x\n\n<@latin1 ./t.xml\n'))).toEqual(['file@latin1:./t.xml']);
    expect(bodyParts(only('POST /x\n\n< {{dir}}/a.json\n'))).toEqual(['file:{{dir}}/a.json']);
  });

  test('multipart: text and file parts in order; a part is whole lines', () => {
    const request = only(
      'POST /upload\nContent-Type: multipart/form-data; boundary=abcd\n\n--abcd\nContent-Disposition: form-data; name="text"\n\nText\n--abcd\nContent-Disposition: form-data; name="f"; filename="input.txt"\n\n< ./input.txt\n--abcd--\n',
    );
    expect(bodyParts(request)).toEqual([
      'text:--abcd\nContent-Disposition: form-data; name="text"\n\nText\n--abcd\nContent-Disposition: form-data; name="f"; filename="input.txt"\n',
      'file:./input.txt',
      'text:--abcd--',
    ]);
    expect(request.body!.parts[1]!.span).toMatchObject({ start: { line: 11, column: 1 } });
  });

  test('XML lines starting with < are text, not file parts', () => {
    expect(bodyParts(only('POST /x\n\n<request>\n  <name>a</name>\n</request>\n'))).toEqual(['text:<request>\n  <name>a</name>\n</request>']);
  });

  test('body text is a template with positions; CRLF line breaks become \\n', () => {
    const request = only('POST /x\r\n\r\n{"id": "{{id}}",\r\n "t": "{{$timestamp}}"}\r\n');
    expect(bodyParts(request)).toEqual(['text:{"id": "{{id}}",\n "t": "{{$timestamp|}}"}']);
    const part = request.body!.parts[0]!;
    expect(part.kind === 'text' && part.text.parts[1]).toMatchObject({ kind: 'variable', name: 'id', span: { start: { line: 3, column: 9, offset: 19 } } });
  });

  test('form-urlencoded over several & lines stays in the body', () => {
    expect(bodyParts(only('POST /login\nContent-Type: application/x-www-form-urlencoded\n\nname=foo\n&password=bar\n'))).toEqual(['text:name=foo\n&password=bar']);
  });
});

describe('response tail', () => {
  test('assertions after headers or body: text as written, source after ??', () => {
    const request = only('GET /x\n?? status == 200\n\n###\n'.replace('\n\n###\n', '\n'));
    expect(request.assertions.map((a) => [a.text, flat(a.source)])).toEqual([['?? status == 200', 'status == 200']]);

    const withBody = only('POST /x\n\n{"a":1}\n\n??   body $.a == {{a}}   \n?? header content-type includes json\n');
    expect(withBody.assertions.map((a) => [a.text, flat(a.source), a.span.start.line])).toEqual([
      ['??   body $.a == {{a}}', 'body $.a == {{a}}', 5],
      ['?? header content-type includes json', 'header content-type includes json', 6],
    ]);
    expect(withBody.assertions[0]!.source.span.start.column).toBe(6);
  });

  test('> {% %} response handlers, on one line or several', () => {
    const request = only('GET /x\n\n> {% client.global.set("a", 1); %}\n> {%\n  client.test("ok", function () {});\n%}\n> ./handler.js\n');
    expect(request.scripts.map((s) => [s.phase, s.code, s.path, s.span.start.line, s.span.end.line])).toEqual([
      ['post', 'client.global.set("a", 1);', null, 3, 3],
      ['post', 'client.test("ok", function () {});', null, 4, 6],
      ['post', null, './handler.js', 7, 7],
    ]);
  });

  test('< {% %} pre-request scripts before the request line (JetBrains), also < ./file.js', () => {
    const request = clean('### With script\n< {%\n  request.variables.set("a", "1");\n%}\n< ./pre.js\nGET /x\n').requests[0]!;
    expect(request.scripts.map((s) => [s.phase, s.code, s.path])).toEqual([
      ['pre', 'request.variables.set("a", "1");', null],
      ['pre', null, './pre.js'],
    ]);
    expect(request.span.start.line).toBe(1);
  });

  test('an unclosed script is an error at its {%', () => {
    const result = parsed('GET /x\n\n> {% client.log(1)\n\n###\nGET /y\n');
    expect(result.diagnostics.map((d) => [d.code, d.message, d.span.start.line, d.span.start.column])).toEqual([
      ['syntax/unclosed-script', 'the script opened here with `{%` is not closed with `%}` before the next `###`', 3, 3],
    ]);
    expect(result.ast.requests).toHaveLength(2);
  });

  test('>> and >>! save the response; <> is a response reference', () => {
    const request = only('GET /x\n\n>> ./out/{{id}}.json\n>>! ./last.json\n<> ./2024-01-01T000000.200.json\n');
    expect(request.saves.map((s) => [flat(s.path), s.overwrite])).toEqual([
      ['./out/{{id}}.json', false],
      ['./last.json', true],
    ]);
    expect(request.foreign.map((f) => [f.what, f.text])).toEqual([['response-ref', '<> ./2024-01-01T000000.200.json']]);
  });

  test('a line after the tail that is neither tail nor request is an error', () => {
    const result = parsed('GET /x\n\n?? status == 200\n{"late": "body"}\n');
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['syntax/unexpected-line', 'expected an assertion (`??`), a response handler (`>`), `>>`, `<>` or `###` after the request, but found `{"late": "body"}`'],
    ]);
  });

  test('a tail line other than ?? before any request line is an error', () => {
    const result = parsed('> ./after.js\n');
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['syntax/expected-request-line', 'expected a request line before `> ./after.js`: it belongs after a request'],
    ]);
  });

  test("httpyac: ?? in a block without a request line is the file's (every request's); above a request line, that request's", () => {
    const ast = clean('?? status == 200\n\n###\n?? header x exists\nGET /a\n\n?? body $.id == 1\n\n###\n  ?? duration < 500\n');
    expect(ast.assertions.map((a) => [a.text, a.span.start.line, a.span.start.column])).toEqual([
      ['?? status == 200', 1, 1],
      ['?? duration < 500', 10, 3],
    ]);
    expect(ast.requests[0]!.assertions.map((a) => a.text)).toEqual(['?? header x exists', '?? body $.id == 1']);
  });
});

describe('foreign constructs', () => {
  test('httpyac {{ }} script blocks are kept and skipped with a warning', () => {
    const result = parsed('{{\n  exports.a = 1;\n}}\nGET /x\n\n{{@response\n  console.log(response);\n}}\n');
    const request = result.ast.requests[0]!;
    expect(request.foreign.map((f) => [f.what, f.text, f.span.start.line, f.span.end.line])).toEqual([
      ['httpyac-script', '{{\n  exports.a = 1;\n}}', 1, 3],
      ['httpyac-script', '{{@response\n  console.log(response);\n}}', 6, 8],
    ]);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.message, d.span.start.line])).toEqual([
      ['warning', 'syntax/script-skipped', 'httpyac script block `{{ ... }}` skipped: httprun does not run JavaScript from `{{ }}` blocks', 1],
      ['warning', 'syntax/script-skipped', 'httpyac script block `{{ ... }}` skipped: httprun does not run JavaScript from `{{ }}` blocks', 6],
    ]);
  });

  test('an unclosed {{ block is an error', () => {
    const result = parsed('{{\n  exports.a = 1;\nGET /x\n');
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['syntax/unclosed-script', 'the script block opened here with `{{` is not closed by a line `}}` before the end of the file'],
    ]);
  });

  test('# @import, import and run lines', () => {
    const ast = clean('# @import ./auth.http\nimport ./graphql.http\n\n### all\nrun ./other.http\n\n### one\nrun #Login\nGET /x\n');
    expect(ast.foreign.map((f) => [f.what, f.text])).toEqual([
      ['import', '# @import ./auth.http'],
      ['import', 'import ./graphql.http'],
      ['run', 'run ./other.http'],
    ]);
    expect(ast.metadata.map((m) => [m.key, m.value])).toEqual([['import', './auth.http']]);
    expect(ast.requests[0]!.foreign.map((f) => [f.what, f.text])).toEqual([['run', 'run #Login']]);
  });

  test('a pasted response after a request ends the body and is kept whole', () => {
    const result = parsed('GET /json\n\n\n//response example\nHTTP/2.0 200 OK\ncontent-type: application/json\n\n{\n  "a": 1\n}\n\n\nGET /json\n');
    const [first, second] = result.ast.requests;
    expect(first!.body).toBeNull();
    expect(first!.foreign.map((f) => [f.what, f.span.start.line, f.span.end.line])).toEqual([['pasted-response', 5, 10]]);
    expect(first!.foreign[0]!.text).toBe('HTTP/2.0 200 OK\ncontent-type: application/json\n\n{\n  "a": 1\n}');
    expect(flat(second!.target)).toBe('/json');
    expect(codes(result.diagnostics)).toEqual(['warning syntax/implicit-separator 13:1']);
  });
});

describe('requests without ###', () => {
  test('METHOD URL after a blank line starts a new request, with a warning', () => {
    const result = parsed('GET /a\n\nPOST /b\n\n{"x": 1}\n\nDELETE /c\n');
    expect(result.ast.requests.map((r) => [r.method, flat(r.target), bodyParts(r)])).toEqual([
      ['GET', '/a', []],
      ['POST', '/b', ['text:{"x": 1}']],
      ['DELETE', '/c', []],
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.message, d.span.start.line])).toEqual([
      ['syntax/implicit-separator', 'a new request starts here without `###`: `POST /b`', 3],
      ['syntax/implicit-separator', 'a new request starts here without `###`: `DELETE /c`', 7],
    ]);
  });

  test('metadata right above the new request line belongs to it', () => {
    const ast = parsed('POST /a\n\n{}\n\n# @name second\nGET /b\n').ast;
    expect(ast.requests.map((r) => [r.name, bodyParts(r)])).toEqual([
      ['POST /a', ['text:{}']],
      ['second', []],
    ]);
  });

  test('a request line right after the headers starts a new request (httpyac)', () => {
    const ast = parsed('@host=https://h\n###\nGET /anything?q=1\nGET /anything?q=2').ast;
    expect(ast.requests.map((r) => flat(r.target))).toEqual(['/anything?q=1', '/anything?q=2']);
  });

  test('a request line after an assertion starts a new request', () => {
    const ast = parsed('GET /a\n?? status == 200\nGET /b\n').ast;
    expect(ast.requests.map((r) => [flat(r.target), r.assertions.length])).toEqual([
      ['/a', 1],
      ['/b', 0],
    ]);
  });

  test('text in a body that only looks like a request line does not split it', () => {
    // Not after a blank line; lower-case; no URL after the method.
    const request = only('POST /x\n\ntext\nGET /not-split\n\nget /y\n\nPOST is a verb\n');
    expect(bodyParts(request)).toEqual(['text:text\nGET /not-split\n\nget /y\n\nPOST is a verb']);
  });
});

describe('names', () => {
  test('# @name beats the title, the title beats METHOD URL', () => {
    const ast = clean('### Title\n# @name explicit\nGET /a\n\n### Title only\nGET /b\n\n###\nPOST {{host}}/c HTTP/1.1\n');
    expect(ast.requests.map((r) => r.name)).toEqual(['explicit', 'Title only', 'POST {{host}}/c']);
  });

  test('a duplicate chosen name is a warning at the later one', () => {
    const result = parsed('# @name login\nPOST /a\n\n###\n# @name login\nPOST /b\n\n### Same\nGET /c\n\n### Same\nGET /d\n\n###\nGET /e\n\n###\nGET /e\n');
    expect(result.diagnostics.map((d) => [d.code, d.message, d.span.start.line])).toEqual([
      ['syntax/duplicate-name', 'duplicate request name `login`: the request at line 2 has it too', 5],
      ['syntax/duplicate-name', 'duplicate request name `Same`: the request at line 9 has it too', 11],
    ]);
  });
});

describe('positions', () => {
  test('CRLF, lone CR and mixed line endings give the right lines, columns and offsets', () => {
    const request = only('@a = 1\r\nGET /x\rAccept: {{a}}\n');
    expect(request.requestLine.start).toEqual({ line: 2, column: 1, offset: 8 });
    const header = request.headers[0] as HeaderNode;
    expect(header.value.parts[0]).toMatchObject({ span: { start: { line: 3, column: 9, offset: 23 }, end: { line: 3, column: 14, offset: 28 } } });
  });

  test('a BOM is stripped: columns and offsets count from after it', () => {
    const result = parsed('\uFEFFGET /x\n');
    expect(result.ast.requests[0]!.requestLine.start).toEqual({ line: 1, column: 1, offset: 0 });
    expect(result.ast.requests[0]!.method).toBe('GET');
  });

  test('every node carries the file name', () => {
    const request = parse('GET /x\n', { file: 'dir/a.http' }).ast.requests[0]!;
    expect([request.span.file, request.requestLine.file, request.target.span.file]).toEqual(['dir/a.http', 'dir/a.http', 'dir/a.http']);
  });
});

describe('robustness', () => {
  test('empty and blank files parse to no requests', () => {
    for (const text of ['', '\n', '   \n\n', '###', '# only a comment']) {
      const result = parsed(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.ast.requests).toEqual([]);
    }
  });

  test('errors in several blocks are all reported; the good blocks still parse', () => {
    const result = parsed('GET /a\nbad header\n\n###\nGET /b {{unclosed\n\n###\nGET /c\n\n> {% never closed\n\n###\nGET /d\n');
    expect(codes(result.diagnostics)).toEqual([
      'error syntax/expected-header 2:1',
      'error syntax/unclosed-placeholder 5:8',
      'error syntax/unclosed-script 10:3',
    ]);
    expect(result.ast.requests.map((r) => r.requestLine.start.line)).toEqual([1, 5, 8, 13]);
  });

  // Speed is the benchmark's job (npm run bench): a timed test fails on a busy machine. Here
  // the parser's work is counted instead: the grammar is called a fixed number of times per file
  // (batches, never a call per line) and reads each character at most twice (in its line, then
  // inside its `{{ }}`), and lines are looked at a bounded number of times each, so that four
  // times the text is four times the work.
  test.each([
    ['many small requests', '### Item\n# @name item\nPOST https://example.com/items?x=1\nContent-Type: application/json\nAuthorization: Bearer {{token}}\n\n{\n  "id": "{{$uuid}}",\n  // comment\n  "text": "lorem ipsum"\n}\n\n?? status == 201\n\n'],
    ['one body of # lines', '# line\n'],
    ['one body of // lines and text', '// c\ntext {{a}} <<B>>\n'],
    ['headers', 'X-Header: {{value}}\n'],
    ['implicit requests', 'GET /a\n\n'],
    ['URL continuation lines', 'GET /a\n  ?x=1\n  &y={{y}} HTTP/1.1\n\n###\n'],
    ['variables and metadata', '@a = 1\n# @name = x\n// @no-redirect\n'],
    ['response tail', 'GET /a\n\n?? status == 200\n>> ./x.json\n>>! ./y.json\n<> ./z.json\n> ./h.js\n\n###\n'],
    ['body files', '< ./a.json\n<@ ./b.json\n'],
  ])('parse work is linear in file size: %s', (_name, unit) => {
    const prefix = unit.startsWith('GET') || unit.startsWith('###') || unit.startsWith('@') ? '' : 'POST /x\n\n';
    const small = prefix + unit.repeat(Math.ceil(20_000 / unit.length));
    const large = prefix + unit.repeat(Math.ceil(80_000 / unit.length));
    parsed(small);
    const before = lastParseWork();
    parsed(large);
    const after = lastParseWork();
    expect(after.lines).toBeGreaterThan(3.9 * before.lines);
    expect(after.grammarCalls).toBe(before.grammarCalls);
    expect(after.grammarCalls).toBeLessThanOrEqual(5);
    expect(after.grammarCharacters).toBeLessThanOrEqual(2 * large.length);
    expect(after.lineReads / after.lines).toBeLessThanOrEqual(6);
    expect(after.lineReads / after.lines).toBeCloseTo(before.lineReads / before.lines, 1);
  });

  test('the work counters see a grammar call per line where there is one', () => {
    // `GET` alone is no request-line candidate: it is read alone, then once more for the message.
    // The test above relies on the counters seeing such calls.
    parsed('GET\n\n###\n'.repeat(3));
    expect(lastParseWork().grammarCalls).toBe(6);
    parsed('GET\n\n###\n'.repeat(12));
    expect(lastParseWork().grammarCalls).toBe(24);
  });

  test('a 5 MB file parses and keeps every request', () => {
    const block = '### Item\nPOST https://example.com/items\nContent-Type: application/json\n\n{"text": "lorem ipsum dolor sit amet, consectetur adipiscing elit"}\n\n?? status == 201\n\n';
    const text = block.repeat(Math.ceil((5 * 1024 * 1024) / block.length));
    const result = parsed(text);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ast.requests).toHaveLength(Math.ceil((5 * 1024 * 1024) / block.length));
  }, 60_000);

  test('a long line of unclosed {{ is read once, not once per {{ (it took 20 s when each looked for its }})', () => {
    const text = `POST http://x/\n\n${'{{a '.repeat(40_000)}\n\n###\nGET http://x/{{b}}\n`;
    const result = parsed(text);
    expect(result.diagnostics).toHaveLength(40_000);
    expect(result.diagnostics[0]!.code).toBe('syntax/unclosed-placeholder');
    expect(result.ast.requests[1]!.target.parts).toMatchObject([{ kind: 'text', value: 'http://x/' }, { kind: 'variable', name: 'b' }]);
  }, 5_000);
});

describe('httpyac indentation', () => {
  test('an indented `?? ` line after the body ends it and is an assertion; its spans start at `??`', () => {
    const request = only('GET /get\n\n    ?? status == 200\n');
    expect(request.body).toBeNull();
    expect(request.assertions.map((a) => [a.text, flat(a.source)])).toEqual([['?? status == 200', 'status == 200']]);
    const assertion = request.assertions[0]!;
    expect([assertion.span.start.line, assertion.span.start.column, assertion.source.span.start.column]).toEqual([3, 5, 8]);

    const withBody = only('POST /x\n\n{"a": 1}\n\t?? body $.a == 1\n  ?? status == 200\n');
    expect(bodyParts(withBody)).toEqual(['text:{"a": 1}']);
    expect(withBody.assertions.map((a) => [a.text, a.span.start.line, a.span.start.column])).toEqual([
      ['?? body $.a == 1', 4, 2],
      ['?? status == 200', 5, 3],
    ]);
  });

  test('an indented `?? ` right after the request line or a header is an assertion, not a URL or header continuation', () => {
    const afterLine = only('GET /x\n  ?? status == 200\n');
    expect(flat(afterLine.target)).toBe('/x');
    expect(afterLine.assertions.map((a) => a.text)).toEqual(['?? status == 200']);

    const afterHeader = only('GET /x\nAccept: text/plain\n  ?? status == 200\n');
    expect(afterHeader.headers.map((h) => (h.kind === 'header' ? [h.name, flat(h.value)] : []))).toEqual([['Accept', 'text/plain']]);
    expect(afterHeader.assertions.map((a) => a.text)).toEqual(['?? status == 200']);

    // Indented URL and header continuations are kept (JetBrains, SPEC §3).
    const continued = only('GET /x\n  ?a=1\nAccept: a,\n  b\n');
    expect(flat(continued.target)).toBe('/x?a=1');
    expect(continued.headers.map((h) => (h.kind === 'header' ? flat(h.value) : ''))).toEqual(['a, b']);
  });

  test('only `??` and a blank after it: indented `>`, `>>` and `??x` lines stay body text', () => {
    const request = only('POST /x\n\n<a>\n  > quoted\n  >> saved?\n  ??no-space\n  a\n</a>\n    ?? b\n');
    expect(bodyParts(request)).toEqual(['text:<a>\n  > quoted\n  >> saved?\n  ??no-space\n  a\n</a>']);
    expect(request.assertions.map((a) => a.text)).toEqual(['?? b']);
  });

  test('an indented `??` above a request line is that request\'s, read from the `??`', () => {
    const request = only('  ?? status == 200\nGET /x\n');
    expect(request.assertions.map((a) => [a.text, a.span.start.line, a.span.start.column])).toEqual([['?? status == 200', 1, 3]]);
  });
});

describe('httpyac indentation before the request line', () => {
  test('an indented @name = value is a file variable; its spans start at `@`', () => {
    const ast = clean('  @host = http://localhost\n\t@id=7\nGET {{host}}/items/{{id}}\n');
    expect(ast.variables.map((v) => [v.name, flat(v.value), v.span.start.column, v.value.span.start.column])).toEqual([
      ['host', 'http://localhost', 3, 11],
      ['id', '7', 2, 6],
    ]);
    expect(ast.requests).toHaveLength(1);
  });

  test('an indented # @key is metadata, an indented < {% %} a pre-request script, also after ###', () => {
    const text = '###\n    # @name first\n    @a = 1\n    < {%\n      request.variables.set("b", "2");\n    %}\n    < {% request.variables.set("c", "3"); %}\n    GET /x?a={{a}}\n';
    const request = only(text);
    expect(request.name).toBe('first');
    expect(request.scripts.map((s) => [s.phase, s.code, s.span.start.line, s.span.end.line])).toEqual([
      ['pre', 'request.variables.set("b", "2");', 4, 6],
      ['pre', 'request.variables.set("c", "3");', 7, 7],
    ]);
    expect(flat(request.target)).toBe('/x?a={{a}}');
  });

  test('after the request line nothing changes: indented @ and < {% lines are body text, and an error after the tail', () => {
    const request = only('POST /x\n\n  @a = 1\n  < {% not a script %}\n');
    expect(bodyParts(request)).toEqual(['text:  @a = 1\n  < {% not a script %}']);

    const result = parsed('GET /x\n\n?? status == 200\n  @a = 1\n');
    expect(result.ast.variables).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['syntax/unexpected-line', 'expected an assertion (`??`), a response handler (`>`), `>>`, `<>` or `###` after the request, but found `@a = 1`'],
    ]);

    // Right after a header, an indented line continues it (JetBrains §3.2.2).
    const continued = only('GET /x\nX-A: 1\n  @b = 2\n');
    expect(continued.headers.map((h) => (h.kind === 'header' ? flat(h.value) : ''))).toEqual(['1 @b = 2']);
  });

  test('an indented @ line that is no definition is still an error before the request line', () => {
    const result = parsed('  @nothing\nGET /x\n');
    expect(result.diagnostics.map((d) => [d.code, d.message, d.span.start.column])).toEqual([
      ['syntax/expected-request-line', 'expected a request line (`METHOD URL`), a comment, `@name = value` or `###`, but found `@nothing`', 3],
    ]);
  });
});

describe('GraphQL fragments (httpyac)', () => {
  test('a fragment outside request bodies runs to the next blank line and is kept for every request of the file', () => {
    const text = [
      'fragment Parts on Rocket {',
      '  name',
      '  id({{unit}})',
      '}',
      '',
      'POST /graphql',
      '',
      'query { rocket { ...Parts ...More } }',
      '',
      '###',
      '# @name second',
      '  fragment More on Rocket { mass }',
      'POST /graphql',
      '',
      'query { a }',
      '',
    ].join('\n');
    const ast = clean(text);
    expect(ast.requests).toHaveLength(2);
    const fragments = ast.requests[0]!.graphqlFragments ?? [];
    expect(fragments.map((f) => [f.name, flat(f.text), f.span.start.line, f.span.end.line])).toEqual([
      ['Parts', 'fragment Parts on Rocket {\n  name\n  id({{unit}})\n}', 1, 4],
      ['More', '  fragment More on Rocket { mass }', 12, 12],
    ]);
    expect(ast.requests[1]!.graphqlFragments).toBe(fragments);
    expect(ast.requests[1]!.name).toBe('second');
    // The fragment is no part of the request's body.
    expect(bodyParts(ast.requests[0]!)).toEqual(['text:query { rocket { ...Parts ...More } }']);
  });

  test('a fragment ends where its braces close (braces in strings do not count), also with `{` on the next line', () => {
    const request = only('fragment A on T\n{\n  b(s: "}{")\n}\nGET /x\n');
    expect(request.graphqlFragments?.map((f) => [f.name, f.span.start.line, f.span.end.line])).toEqual([['A', 1, 4]]);
    expect(request.requestLine.start.line).toBe(5);
  });

  test('a file without fragments has none on its requests; `fragment` in a body is body text', () => {
    const request = only('POST /graphql\n\nquery { ...F }\nfragment F on T { a }\n');
    expect(request.graphqlFragments).toBeUndefined();
    expect(bodyParts(request)).toEqual(['text:query { ...F }\nfragment F on T { a }']);
  });

  test('a line that only starts with `fragment` is still read as a request line', () => {
    const result = parsed('fragment of a line\nGET /x\n');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['syntax/expected-request-line']);
    expect(result.ast.requests[0]?.graphqlFragments).toBeUndefined();
  });
});
