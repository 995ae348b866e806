// `curl ...` commands where a request goes (REST Client sends such blocks): the options that
// describe a request become one, the others are named in a warning. Read through parse(), and
// sent through run() to a recording server on 127.0.0.1.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import type { Diagnostic } from '../src/diagnostics.js';
import type { RequestNode, Template } from '../src/syntax/ast.js';
import { parse } from '../src/syntax/parse.js';
import { project } from './helpers/cli.js';
import { serve, type Recorded, type TestServer } from './helpers/server.js';

function parsed(text: string) {
  return parse(text, { file: 'curl.http' });
}

function only(text: string): RequestNode {
  const result = parsed(text);
  expect(result.diagnostics).toEqual([]);
  expect(result.ast.requests).toHaveLength(1);
  return result.ast.requests[0]!;
}

function flat(template: Template): string {
  return template.parts.map((part) => (part.kind === 'text' ? part.value : part.kind === 'variable' ? `{{${part.name}}}` : part.kind === 'dynamic' ? `{{$${part.name}}}` : `<${part.kind}>`)).join('');
}

function headers(request: RequestNode): string[] {
  return request.headers.map((header) => (header.kind === 'header' ? `${header.name}: ${flat(header.value)}` : flat(header.line)));
}

function body(request: RequestNode): string[] {
  return (request.body?.parts ?? []).map((part) => (part.kind === 'text' ? flat(part.text) : `< ${flat(part.path)}`));
}

function messages(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.severity} ${d.code}: ${d.message}`);
}

describe('curl commands: what they send', () => {
  test('a URL alone is a GET; the name is METHOD URL', () => {
    const request = only('curl https://example.com/items\n');
    expect([request.method, flat(request.target), request.name]).toEqual(['GET', 'https://example.com/items', 'GET https://example.com/items']);
    expect(request.body).toBeNull();
  });

  test('`CURL` in any case, after blanks, starts a command', () => {
    expect(flat(only('  CURL http://x/a\n').target)).toBe('http://x/a');
  });

  test('-X / --request / -XPOST set the method as written; -I is HEAD; data without -X is POST', () => {
    expect(only('curl -X PUT http://x/\n').method).toBe('PUT');
    expect(only('curl --request patch http://x/\n').method).toBe('patch');
    expect(only('curl -XDELETE http://x/\n').method).toBe('DELETE');
    expect(only('curl -I http://x/\n').method).toBe('HEAD');
    expect(only('curl -d a=1 http://x/\n').method).toBe('POST');
  });

  test('-H headers in order, with placeholders; an empty `-H "X:"` sends nothing', () => {
    const request = only('curl http://x/ -H "Accept: text/plain" --header \'Authorization: Bearer {{token}}\' -H "X-Gone:"\n');
    expect(headers(request)).toEqual(['Accept: text/plain', 'Authorization: Bearer {{token}}']);
  });

  test('-d values are joined with &, form-encoded by default; --data-raw keeps a leading @', () => {
    const request = only("curl http://x/ -d a=1 --data 'b=2' --data-raw '@c'\n");
    expect(body(request)).toEqual(['a=1&b=2&@c']);
    expect(headers(request)).toEqual(['Content-Type: application/x-www-form-urlencoded']);
  });

  test('a Content-Type given with -H wins over the default', () => {
    const request = only('curl http://x/ -H "content-type: text/plain" -d hello\n');
    expect(headers(request)).toEqual(['content-type: text/plain']);
  });

  test('-d @file and --data-binary @file send the file', () => {
    expect(body(only('curl http://x/ -d @./payload.json\n'))).toEqual(['< ./payload.json']);
    expect(body(only('curl http://x/ --data-binary @data.bin\n'))).toEqual(['< data.bin']);
  });

  test('--data-urlencode percent-encodes the content, keeping the name', () => {
    expect(body(only("curl http://x/ --data-urlencode 'q=a b&c' --data-urlencode 'plain text' --data-urlencode '=x y'\n"))).toEqual(['q=a%20b%26c&plain%20text&x%20y']);
  });

  test('--data-urlencode keeps placeholders and secrets as placeholders, marked to be encoded once rendered; the name is not encoded', () => {
    const request = only("curl http://x/ --data-urlencode 'pw={{pw}}' --data-urlencode '{{field}}=<<S>> x'\n");
    const parts = request.body!.parts[0]!.kind === 'text' ? request.body!.parts[0]!.text.parts : [];
    expect(parts.map((part) => (part.kind === 'text' ? part.value : `${part.kind}:${'name' in part ? part.name : ''}:${part.percentEncoded ?? false}`))).toEqual([
      'pw=',
      'variable:pw:true',
      '&',
      'variable:field:false',
      '=',
      'secret:S:true',
      '%20x',
    ]);
  });

  test('-F name=<<S>> is a secret field, not curl\'s `<file` form', () => {
    expect(body(only("curl -F 'pw=<<S>>' -F 'note=<./n.txt' http://x/upload\n"))).toEqual([
      '--httprun-curl-form-boundary\nContent-Disposition: form-data; name="pw"\n\n<secret>',
      '--httprun-curl-form-boundary\nContent-Disposition: form-data; name="note"\n',
      '< ./n.txt',
      '--httprun-curl-form-boundary--',
    ]);
  });

  test('--json sets Content-Type and Accept to application/json', () => {
    const request = only(`curl http://x/ --json '{"a": 1}'\n`);
    expect([request.method, ...headers(request), ...body(request)]).toEqual(['POST', 'Content-Type: application/json', 'Accept: application/json', '{"a": 1}']);
  });

  test('-G puts the data in the query', () => {
    const request = only('curl -G -d q=1 --data r=2 "http://x/search?z=0"\n');
    expect([request.method, flat(request.target)]).toEqual(['GET', 'http://x/search?z=0&q=1&r=2']);
    expect(only('curl -G -d q=1 http://x/s\n').target.parts).toEqual([{ kind: 'text', value: 'http://x/s?q=1' }]);
  });

  test('-u is Basic auth (encoded when sent), -b a cookie, -A and -e their headers, --url the URL', () => {
    const request = only('curl --url http://x/ -u admin:{{password}} -b "sid=1; lang=en" -A httprun-test -e http://from/\n');
    expect(headers(request)).toEqual(['Authorization: Basic admin:{{password}}', 'Cookie: sid=1; lang=en', 'User-Agent: httprun-test', 'Referer: http://from/']);
    expect(flat(request.target)).toBe('http://x/');
  });

  test('--oauth2-bearer is a Bearer header, -T a PUT of the file, --url-query adds to the query', () => {
    const request = only("curl --oauth2-bearer '{{token}}' -T ./data.bin --url-query 'q=a b' --url-query n=1 'http://x/up?z=0'\n");
    expect([request.method, flat(request.target), ...headers(request), ...body(request)]).toEqual([
      'PUT', 'http://x/up?z=0&q=a%20b&n=1', 'Authorization: Bearer {{token}}', '< ./data.bin',
    ]);
  });

  test('an option that takes a value httprun does not read is warned about, and its value is not the URL', () => {
    const result = parsed('curl --proxy http://proxy:3128 -x http://p2 --cacert ca.pem http://real/x\n');
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['http://real/x']);
    expect(messages(result.diagnostics)).toEqual([
      '1:6 warning syntax/curl-option-skipped: curl option `--proxy` skipped: httprun does not read it',
      '1:32 warning syntax/curl-option-skipped: curl option `-x` skipped: httprun does not read it',
      '1:45 warning syntax/curl-option-skipped: curl option `--cacert` skipped: httprun does not read it',
    ]);
  });

  test('-m, --connect-timeout, --retry and -k become metadata; -s, -L, -v, -i, --compressed change nothing', () => {
    const request = only('curl -s -L -v -i --compressed -m 5 --connect-timeout 2.5 --retry 3 -k http://x/\n');
    expect(request.metadata.map((m) => `${m.key}=${m.value}`)).toEqual(['timeout=5 s', 'connection-timeout=2.5 s', 'retry=3', 'insecure=']);
  });

  test('short flags written together are read one by one (`-sSLk`, `-kXPUT`)', () => {
    expect(only('curl -sSLk http://x/\n').metadata.map((m) => m.key)).toEqual(['insecure']);
    const request = only('curl -kXPUT http://x/\n');
    expect([request.method, request.metadata.map((m) => m.key)]).toEqual(['PUT', ['insecure']]);
  });

  test('metadata and a ### title above the command belong to it', () => {
    const request = only('### Items\n# @name list\n# @no-redirect\ncurl http://x/items\n');
    expect([request.title, request.name, request.metadata.map((m) => m.key)]).toEqual(['Items', 'list', ['name', 'no-redirect']]);
  });

  test('lines ending in \\ go on; a quote left open goes on to the line that closes it', () => {
    const text = [
      "curl -X POST 'http://x/items' \\",
      "  -H 'Content-Type: application/json' \\",
      `  -d '{"name": "x",`,
      `  "id": "{{$uuid}}"}'`,
      '',
      '?? status == 201',
    ].join('\n');
    const request = only(text);
    expect(headers(request)).toEqual(['Content-Type: application/json']);
    expect(body(request)).toEqual(['{"name": "x",\n  "id": "{{$uuid}}"}']);
    expect(request.assertions.map((a) => a.text)).toEqual(['?? status == 201']);
  });

  test("shell quoting: $'...' escapes, '\\'' and double-quoted escapes", () => {
    const request = only(`curl http://x/ -H $'X-A: a\\tb' -H 'X-B: it'\\''s' -H "X-C: \\"q\\""\n`);
    expect(headers(request)).toEqual(['X-A: a\tb', "X-B: it's", 'X-C: "q"']);
  });

  test('$NAME stays as written (no shell environment); {{$dynamic}} survives', () => {
    const request = only('curl "http://x/$HOME" -H "X-Id: {{$uuid}}"\n');
    expect([flat(request.target), ...headers(request)]).toEqual(['http://x/$HOME', 'X-Id: {{$uuid}}']);
  });

  test('placeholders are located where they are written, on every line of the command', () => {
    const request = only('curl http://x/ \\\n  -H "Authorization: Bearer {{token}}"\n');
    const header = request.headers[0]!;
    const part = header.kind === 'header' ? header.value.parts[1] : undefined;
    expect(part?.kind === 'variable' && [part.span.start.line, part.span.start.column]).toEqual([2, 29]);
    const target = only('curl  "{{host}}/a"\n').target.parts[0]!;
    expect(target.kind === 'variable' && [target.span.start.line, target.span.start.column]).toEqual([1, 8]);
  });

  test('-F fields and files become a multipart body with its boundary', () => {
    const request = only("curl -F name=Bob -F 'file=@./a.txt;type=text/plain' -F 'note=<./n.txt' http://x/upload\n");
    expect(request.method).toBe('POST');
    expect(headers(request)).toEqual(['Content-Type: multipart/form-data; boundary=httprun-curl-form-boundary']);
    expect(body(request)).toEqual([
      '--httprun-curl-form-boundary\nContent-Disposition: form-data; name="name"\n\nBob',
      '--httprun-curl-form-boundary\nContent-Disposition: form-data; name="file"; filename="a.txt"\nContent-Type: text/plain\n',
      '< ./a.txt',
      '--httprun-curl-form-boundary\nContent-Disposition: form-data; name="note"\n',
      '< ./n.txt',
      '--httprun-curl-form-boundary--',
    ]);
  });
});

describe('curl commands: what is reported', () => {
  test('an unknown option and a second URL are warnings at their place; the request still runs', () => {
    const result = parsed('curl --foo -L http://x/a http://other/b\n');
    expect(messages(result.diagnostics)).toEqual([
      '1:6 warning syntax/curl-option-skipped: curl option `--foo` skipped: httprun does not read it',
      '1:26 warning syntax/curl-extra-url: curl argument `http://other/b` skipped: httprun sends one request per command, to the first URL',
    ]);
    expect(result.ast.requests.map((r) => flat(r.target))).toEqual(['http://x/a']);
  });

  test('a command without a URL is an error, and no request', () => {
    const result = parsed('curl -X POST -d a=1\n');
    expect(messages(result.diagnostics)).toEqual(['1:1 error syntax/curl-missing-url: this curl command has no URL']);
    expect(result.diagnostics[0]!.hint).toBe('write the URL after `curl` (`curl https://example.com/items`)');
    expect(result.ast.requests).toEqual([]);
  });

  test('an unquoted & is a shell operator: an error that says to quote', () => {
    const result = parsed('curl http://x/a?b=1&c=2\n');
    expect(messages(result.diagnostics)).toEqual([
      '1:1 error syntax/curl-shell-operator: `&` in a curl command is a shell operator: httprun reads one curl command and stops here',
    ]);
    expect(result.diagnostics[0]!.hint).toBe('quote the argument that holds it (`curl "https://example.com/?a=1&b=2"`)');
  });

  test('an option without its value is an error', () => {
    expect(messages(parsed('curl http://x/ -H\n').diagnostics)).toEqual(['1:16 error syntax/curl-missing-value: curl option `-H` needs a value']);
  });

  test('a header without a colon, a cookie file and --data-urlencode @file are skipped with a warning', () => {
    expect(messages(parsed("curl http://x/ -H 'NoColon' -b cookies.txt --data-urlencode q@file.txt\n").diagnostics)).toEqual([
      '1:20 warning syntax/curl-header-skipped: curl header `NoColon` skipped: it has no `Name: value`',
      '1:32 warning syntax/curl-option-skipped: curl cookie file `cookies.txt` skipped: httprun reads cookies given as `name=value`',
      '1:61 warning syntax/curl-option-skipped: curl `--data-urlencode q@file.txt` skipped: httprun does not read its file form',
    ]);
  });

  test('a line after the command that is no assertion or handler is the usual error', () => {
    expect(messages(parsed('curl http://x/\n\nnot a tail line\n').diagnostics)).toEqual([
      '3:1 error syntax/unexpected-line: expected an assertion (`??`), a response handler (`>`), `>>`, `<>` or `###` after the request, but found `not a tail line`',
    ]);
  });
});

describe('curl commands on the wire', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve((request, response) => {
      response.writeHead(request.url === '/created' ? 201 : 200, { 'content-type': 'application/json' }).end('{"ok": true}');
    });
  });
  afterAll(() => server?.close());

  async function send(files: Record<string, string>): Promise<{ sent: Recorded[]; passed: boolean }> {
    const root = project(files);
    const before = server.requests.length;
    const result = await run([join(root, 'main.http')], { cwd: root, vars: { server: server.url, token: 'T-1', password: 's3cret' }, reporters: [] });
    return { sent: server.requests.slice(before), passed: result.summary.exitCode === 0 };
  }

  test('method, headers, JSON body and assertions after the command', async () => {
    const { sent, passed } = await send({
      'main.http': [
        "curl -X POST '{{server}}/created' \\",
        '  -H "Authorization: Bearer {{token}}" \\',
        `  --json '{"a": 1}'`,
        '',
        '?? status == 201',
        '?? body $.ok == true',
        '',
      ].join('\n'),
    });
    expect(passed).toBe(true);
    expect(sent).toHaveLength(1);
    expect([sent[0]!.method, sent[0]!.headers['authorization'], sent[0]!.headers['content-type'], sent[0]!.body.toString()]).toEqual([
      'POST', 'Bearer T-1', 'application/json', '{"a": 1}',
    ]);
  });

  test('-u is sent as Basic auth, -G data in the query', async () => {
    const { sent } = await send({ 'main.http': 'curl -G -u admin:{{password}} -d q=a "{{server}}/s"\n' });
    expect([sent[0]!.method, sent[0]!.url, sent[0]!.headers['authorization']]).toEqual(['GET', '/s?q=a', `Basic ${Buffer.from('admin:s3cret').toString('base64')}`]);
  });

  test('--data-urlencode renders {{variables}} and <<SECRETS>> first, then percent-encodes them, in the body and with -G in the query', async () => {
    const files = {
      'main.http': [
        '@pw = a b&c=d',
        "curl {{server}}/form --data-urlencode 'pw={{pw}}' --data-urlencode 'secret=<<S>>' --data-urlencode '=<<S>>' --data-urlencode 'lit=x{{pw}}y z'",
        '',
        '###',
        "curl -G {{server}}/query --data-urlencode 'q={{pw}}' --url-query 'k=<<S>>'",
        '',
      ].join('\n'),
      '.env': "S='s3/c r+t&x=1'\n",
    };
    const { sent, passed } = await send(files);
    expect(passed).toBe(true);
    const secret = encodeURIComponent('s3/c r+t&x=1');
    expect(sent[0]!.body.toString()).toBe(`pw=a%20b%26c%3Dd&secret=${secret}&${secret}&lit=xa%20b%26c%3Ddy%20z`);
    expect(new URLSearchParams(sent[0]!.body.toString()).get('secret')).toBe('s3/c r+t&x=1');
    expect(sent[1]!.url).toBe(`/query?q=a%20b%26c%3Dd&k=${secret}`);
  });

  test('-F name=<<S>> sends the secret as the field value (it is no file to read)', async () => {
    const { sent, passed } = await send({ 'main.http': "curl -F 'pw=<<S>>' -F 'note=<./n.txt' {{server}}/upload\n", 'n.txt': 'from a file', '.env': 'S=s3cret-value\n' });
    expect(passed).toBe(true);
    const boundary = 'httprun-curl-form-boundary';
    expect(sent[0]!.body.toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="pw"\r\n\r\ns3cret-value\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nfrom a file\r\n--${boundary}--`,
    );
  });

  test('-F sends multipart/form-data with CRLF framing and the file byte for byte', async () => {
    const { sent } = await send({ 'main.http': "curl -F name=Bob -F 'file=@./a.txt;type=text/plain' {{server}}/upload\n", 'a.txt': 'line 1\nline 2' });
    const boundary = 'httprun-curl-form-boundary';
    expect(sent[0]!.headers['content-type']).toBe(`multipart/form-data; boundary=${boundary}`);
    expect(sent[0]!.body.toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nBob\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n` +
        `line 1\nline 2\r\n--${boundary}--`,
    );
  });
});
