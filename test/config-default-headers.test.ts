import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { headerProblem } from '../src/config/header-problem.js';
import { clearConfigCache } from '../src/config/file-cache.js';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

// A default header no request can carry (REST Client's "rest-client.defaultHeaders", httpyac's
// "defaultHeaders") failed every request at send time with undici's "invalid request: invalid header
// key" (exit 3). It is a configuration error: located in the file that writes it, exit 2, nothing sent.

let server: TestServer;
beforeAll(async () => {
  server = await serve((_request, response) => response.writeHead(204).end());
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});
afterEach(() => clearConfigCache());

describe('a default header that cannot be sent', () => {
  test('REST Client: a bad name and a value with a line break are located errors in settings.json; nothing is sent', async () => {
    const settings = '{\n  "rest-client.defaultHeaders": {\n    "Bad Name": "x",\n    "X-Token": "secret-1\\nInjected: yes",\n    "X-Fine": "1"\n  }\n}\n';
    const root = project({ '.vscode/settings.json': settings, 'a.http': `GET ${server.url}/\n` });
    const ran = await runCli(['a.http'], { cwd: root });
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(
      '.vscode/settings.json:3:5: error: "rest-client.defaultHeaders" in .vscode/settings.json: "Bad Name" is not a valid header name ' +
        "(letters, digits and !#$%&'*+.^_`|~- only; no spaces or colons) [config/invalid-header]\n",
    );
    expect(ran.stdout).toContain(
      '.vscode/settings.json:4:16: error: "rest-client.defaultHeaders" in .vscode/settings.json: the value of header "X-Token" contains a line break (CR or LF), which no HTTP request can carry [config/invalid-header]\n',
    );
    expect(ran.stdout).toContain('  ✗ a.http did not run: ');
    expect(ran.stdout).not.toContain('invalid header key');
    // The value may be a token: the message names the header, never the value.
    expect(ran.stdout + ran.stderr).not.toContain('secret-1');
    expect(server.requests).toHaveLength(0);

    const checked = await runCli(['check', 'a.http'], { cwd: root });
    expect(checked.code).toBe(2);
    expect(checked.stdout).toContain('1 file checked: 0 clean, 2 errors, 0 warnings\n');
  });

  test('httpyac: the same in .httpyac.json, a CR alone included', async () => {
    const config = '{\n  "defaultHeaders": {\n    "Bad:Name": "x",\n    "X-A": "a\\rb"\n  }\n}\n';
    const root = project({ '.httpyac.json': config, 'a.http': `GET ${server.url}/\n` });
    const ran = await runCli(['a.http'], { cwd: root });
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(
      '.httpyac.json:3:5: error: "defaultHeaders" in .httpyac.json: "Bad:Name" is not a valid header name ' +
        "(letters, digits and !#$%&'*+.^_`|~- only; no spaces or colons) [config/invalid-header]\n",
    );
    expect(ran.stdout).toContain(
      '.httpyac.json:4:12: error: "defaultHeaders" in .httpyac.json: the value of header "X-A" contains a line break (CR or LF), which no HTTP request can carry [config/invalid-header]\n',
    );
    expect(ran.stdout).not.toContain('invalid header key');
    expect(server.requests).toHaveLength(0);
  });

  test('good default headers still go out: a tab, Latin-1 text and a placeholder are fine', async () => {
    const settings = '{ "rest-client.defaultHeaders": { "X-Tab": "a\\tb", "X-Latin": "café", "X-Team": "{{team}}" } }\n';
    const root = project({ '.vscode/settings.json': settings, 'a.http': `@team = core\nGET ${server.url}/\n` });
    const ran = await runCli(['a.http'], { cwd: root });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const sent = server.requests[0]!.headers;
    expect([sent['x-tab'], sent['x-latin'], sent['x-team']]).toEqual(['a\tb', 'café', 'core']);
  });
});

describe('headerProblem', () => {
  test('names follow RFC 9110 tokens; values refuse what undici refuses, and the message never shows the value', () => {
    expect(headerProblem("X-a.b_c!#$%&'*+^`|~9", 'v')).toBeNull();
    expect(headerProblem('', 'v')?.part).toBe('name');
    expect(headerProblem('Ünicode', 'v')?.part).toBe('name');
    expect(headerProblem('X', 'a\u0000b')).toEqual({ part: 'value', message: 'the value of header "X" contains a control character, which no HTTP request can carry' });
    expect(headerProblem('X', 'a\u007fb')?.message).toContain('a control character');
    expect(headerProblem('X', 'price: 5€')).toEqual({ part: 'value', message: 'the value of header "X" contains a character beyond Latin-1, which no HTTP request can carry' });
    expect(headerProblem('X', 'é\t ~')).toBeNull();
  });
});

describe('a header in a request file that cannot be sent', () => {
  test('a value beyond Latin-1, written or from a variable, and a header-line variable with a bad name: located errors in check and run, nothing sent, the value never shown', async () => {
    const root = project({
      'a.http':
        `@v = 5 €\n@line = X(y): 1\nGET ${server.url}/1\nX-Euro: 5 €\nX-Var: {{v}}\n{{line}}\n\n###\nGET ${server.url}/2\nX-Fine: café\n`,
    });
    const checked = await runCli(['check', 'a.http', '--no-color'], { cwd: root });
    expect(checked.code).toBe(2);
    const message = (line: number, name: string) =>
      `a.http:${line}:1: error: the value of header "${name}" contains a character beyond Latin-1, which no HTTP request can carry [resolve/invalid-header]`;
    expect(checked.stdout).toContain(message(4, 'X-Euro'));
    expect(checked.stdout).toContain(message(5, 'X-Var'));
    expect(checked.stdout).toContain(`a.http:6:1: error: "X(y)" is not a valid header name (letters, digits and !#$%&'*+.^_\`|~- only; no spaces or colons) [resolve/invalid-header]`);
    const ran = await runCli(['a.http', '--no-color'], { cwd: root });
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(message(4, 'X-Euro'));
    expect(server.requests).toEqual([]);
    // Latin-1 is what a header may carry: the file's other request is fine on its own.
    const fine = await runCli(['a.http', '--line', '9'], { cwd: root });
    expect(fine.code).toBe(0);
    expect(server.requests.map((r) => r.headers['x-fine'])).toEqual([Buffer.from('café', 'latin1').toString('latin1')]);
  });
});

test('an httpyac default header whose variable gives a character beyond Latin-1 is an error at the request line', async () => {
  const root = project({
    '.httpyac.json': '{ "defaultHeaders": { "X-Who": "{{who}}" } }\n',
    'a.http': `@who = 5 €\nGET ${server.url}/\n`,
  });
  const checked = await runCli(['check', 'a.http', '--no-color'], { cwd: root });
  expect(checked.code).toBe(2);
  expect(checked.stdout).toContain(
    'a.http:2:1: error: default header: the value of header "X-Who" contains a character beyond Latin-1, which no HTTP request can carry [resolve/invalid-header]',
  );
  expect(server.requests).toEqual([]);
});
