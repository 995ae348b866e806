import { describe, expect, test } from 'vitest';
import { classifyLines as classifyTexts } from '../src/syntax/classify-line.js';
import { grammarWork, resetGrammarWork, tryStructuredLine, tryStructuredLines } from '../src/syntax/grammar.js';
import { parse } from '../src/syntax/parse.js';

// What the grammar's StructuredLine rule reads from one line (grammar/http.peggy).

const classifyLines = (texts: string[]) => classifyTexts({ length: texts.length, text: (line) => texts[line]! });

describe('file variables: @name = value', () => {
  test.each([
    ['@host = https://example.com', 'host', 'https://example.com', 8],
    ['@host=https://example.com', 'host', 'https://example.com', 6],
    ['@host   =   spaced value   ', 'host', 'spaced value', 12],
    ['@host\t=\tx', 'host', 'x', 8],
    ['@token = abc==', 'token', 'abc==', 9],
    ['@query = a=1&b=2', 'query', 'a=1&b=2', 9],
    ['@x = = y', 'x', '= y', 5],
    ['@empty =', 'empty', '', 8],
    ['@empty=', 'empty', '', 7],
    ['@empty =   ', 'empty', '', 11],
    ['@größe = 42', 'größe', '42', 9],
    ['@名前 = 値', '名前', '値', 6],
    ['@$dollar = 1', '$dollar', '1', 11],
    ['@a.b-c_d = 1', 'a.b-c_d', '1', 11],
    ['@url = {{host}}/a # not a comment', 'url', '{{host}}/a # not a comment', 7],
  ])('%j', (line, name, value, valueStart) => {
    expect(tryStructuredLine(line)).toEqual({ type: 'variable', name, nameStart: 1, value, valueStart, lazy: false });
  });

  test.each([
    ['@foo:=foo{{bar}}', 'foo', 'foo{{bar}}', 6],
    ['@foo := x', 'foo', 'x', 8],
  ])("httpyac's lazy %j", (line, name, value, valueStart) => {
    expect(tryStructuredLine(line)).toEqual({ type: 'variable', name, nameStart: 1, value, valueStart, lazy: true });
  });

  test.each([['@name'], ['@name value'], ['@ name = 1'], ['@1x = 1'], ['@x: 1'], [' @x = 1']])('%j is no definition', (line) => {
    expect(tryStructuredLine(line)).toBeNull();
  });

  test('a name in any script can be defined and used', () => {
    const result = parse('@größe = 42\nGET /x?q={{größe}}\n', { file: 'test.http' });
    expect(result.diagnostics).toEqual([]);
    expect(result.ast.variables.map((v) => v.name)).toEqual(['größe']);
    expect(result.ast.requests[0]!.target.parts[1]).toMatchObject({ kind: 'variable', name: 'größe' });
  });

  test('`@name` without `=` stays an error that shows how a definition is written', () => {
    const result = parse('@name\nGET /x\n', { file: 'test.http' });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['syntax/expected-request-line', 'expected a request line (`METHOD URL`), a comment, `@name = value` or `###`, but found `@name`'],
    ]);
    expect(result.ast.variables).toEqual([]);
  });
});

describe('metadata: # @key value', () => {
  test.each([
    ['# @name login', 'name', 2, 'login', 8],
    ['# @name = login', 'name', 2, 'login', 10],
    ['# @name=login', 'name', 2, 'login', 8],
    ['// @name login', 'name', 3, 'login', 9],
    ['//@name=login', 'name', 2, 'login', 8],
    ['#@tag a, b', 'tag', 1, 'a, b', 6],
    ['# @timeout 5 s', 'timeout', 2, '5 s', 11],
    ['  # @name  spaced  ', 'name', 4, 'spaced', 11],
    ['\t// @name x', 'name', 4, 'x', 10],
    ['\u00a0# @name x', 'name', 3, 'x', 9],
    ['# @no-redirect', 'no-redirect', 2, '', 14],
    ['// @no-cookie-jar   ', 'no-cookie-jar', 3, '', 20],
    ['# @name==x', 'name', 2, '=x', 8],
    ['# @prompt password Your password', 'prompt', 2, 'password Your password', 10],
    ['# @a.b_c-d v', 'a.b_c-d', 2, 'v', 11],
  ])('%j', (line, key, keyStart, value, valueStart) => {
    expect(tryStructuredLine(line)).toEqual({ type: 'metadata', key, keyStart, value, valueStart });
  });

  test.each([['# @'], ['# @1x'], ['# @name:x'], ['## @name x'], ['# name @x'], ['# @größe 1'], ['/ @name x']])('%j is a comment', (line) => {
    expect(tryStructuredLine(line)).toBeNull();
    expect(classifyLines([line])[0]!.type).toBe(line.startsWith('/ ') ? 'other' : 'comment');
  });
});

// The response tail and body-file lines are a marker and the rest of the line: read by patterns.
describe('response tail and body-file lines', () => {
  test.each([
    ['?? status == 200', { type: 'assertion', text: 'status == 200', start: 3, end: 16 }],
    ['??status == 200  ', { type: 'assertion', text: 'status == 200', start: 2, end: 15 }],
    ['??', { type: 'assertion', text: '', start: 2, end: 2 }],
    ['?? body $.a == "x y"', { type: 'assertion', text: 'body $.a == "x y"', start: 3, end: 20 }],
    ['>> ./out.json', { type: 'save', overwrite: false, text: './out.json', start: 3, end: 13 }],
    ['>>! ./out.json', { type: 'save', overwrite: true, text: './out.json', start: 4, end: 14 }],
    ['>>./out.json', { type: 'save', overwrite: false, text: './out.json', start: 2, end: 12 }],
    ['<> ./previous.json', { type: 'response-ref', text: './previous.json', start: 3, end: 18 }],
    ['< ./body.json', { type: 'file', substitute: false, encoding: null, text: './body.json', start: 2, end: 13 }],
    ['<\t{{dir}}/body.json ', { type: 'file', substitute: false, encoding: null, text: '{{dir}}/body.json', start: 2, end: 19 }],
    ['<@ ./body.json', { type: 'file', substitute: true, encoding: null, text: './body.json', start: 3, end: 14 }],
    ['<@latin1 ./body.txt', { type: 'file', substitute: true, encoding: 'latin1', text: './body.txt', start: 9, end: 19 }],
    ['> ./handler.js', { type: 'post-script-file', text: './handler.js', start: 2, end: 14 }],
  ])('%j', (line, expected) => {
    expect(classifyLines([line])[0]).toEqual(expected);
    expect(tryStructuredLine(line)).toBeNull();
  });

  test.each([['< {% client.log(1) %}'], ['> {% client.log(1) %}'], ['<./body.json'], ['<@./body.json'], ['>./handler.js'], ['?x'], ['<root>']])(
    '%j is none of them',
    (line) => {
      expect(['assertion', 'save', 'response-ref', 'file', 'post-script-file']).not.toContain(classifyLines([line])[0]!.type);
    },
  );

  test('`??` is split from its source: the assertion keeps its line, its source starts after `??`', () => {
    const result = parse('GET /x\n\n??   status == 200\n', { file: 'test.http' });
    const assertion = result.ast.requests[0]!.assertions[0]!;
    expect(assertion.text).toBe('??   status == 200');
    expect(assertion.source.parts).toEqual([{ kind: 'text', value: 'status == 200' }]);
    expect(assertion.source.span.start).toEqual({ line: 3, column: 6, offset: 13 });
  });
});

describe('batches', () => {
  test('all candidates of a file are read in one call, with columns relative to each line', () => {
    const lines = ['# @name a', '@x = 1', '@ 1', 'not structured', '  // @tag t'];
    resetGrammarWork();
    const read = tryStructuredLines(lines);
    expect(grammarWork().calls).toBe(1);
    expect(read).toEqual([
      { type: 'metadata', key: 'name', keyStart: 2, value: 'a', valueStart: 8 },
      { type: 'variable', name: 'x', nameStart: 1, value: '1', valueStart: 5, lazy: false },
      null,
      null,
      { type: 'metadata', key: 'tag', keyStart: 5, value: 't', valueStart: 10 },
    ]);
  });

  test('the classifier sends only candidates: body text and headers never reach the grammar', () => {
    const lines = ['POST /x', 'Content-Type: application/json', '', '{', '  "a": 1', '}', '# @name b', '?? status == 200'];
    resetGrammarWork();
    const classes = classifyLines(lines);
    expect(grammarWork()).toEqual({ calls: 1, characters: '# @name b'.length });
    expect(classes.map((c) => c.type)).toEqual(['other', 'other', 'blank', 'other', 'other', 'other', 'metadata', 'assertion']);
  });

  test('a file without candidates makes no call for them', () => {
    resetGrammarWork();
    classifyLines(['GET /x', 'Accept: */*']);
    expect(grammarWork().calls).toBe(0);
  });
});
