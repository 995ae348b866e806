import { expect, test } from 'vitest';
import { scriptCodeOrigin } from '../src/script/script-code-origin.js';
import { parse } from '../src/syntax/parse.js';

function scripts(text: string) {
  return parse(text, { file: 'o.http' }).ast.requests.flatMap((request) => request.scripts);
}

test('code on the line of the opening marker', () => {
  const text = 'GET http://a.test/\n\n> {% client.global.set("a", response.body.id); %}\n';
  const [script] = scripts(text);
  expect(scriptCodeOrigin(text, script!)).toEqual({ line: 3, column: 6 });
});

test('code on the lines after the opening marker, also with CRLF line breaks', () => {
  for (const eol of ['\n', '\r\n']) {
    const text = ['### one', 'GET http://a.test/', '', '> {%', '', '    client.test("t", function () {', '    });', '%}', ''].join(eol);
    const [script] = scripts(text);
    expect(scriptCodeOrigin(text, script!), JSON.stringify(eol)).toEqual({ line: 6, column: 5 });
  }
});

test('a pre-request script before the request line', () => {
  const text = '###\n< {%\n  request.variables.set("t", "1");\n%}\nGET http://a.test/{{t}}\n';
  const [script] = scripts(text);
  expect(script?.phase).toBe('pre');
  expect(scriptCodeOrigin(text, script!)).toEqual({ line: 3, column: 3 });
});

test('an empty script falls back to the start of its block', () => {
  const text = 'GET http://a.test/\n\n> {% %}\n';
  const [script] = scripts(text);
  expect(scriptCodeOrigin(text, script!)).toEqual({ line: 3, column: 1 });
});
