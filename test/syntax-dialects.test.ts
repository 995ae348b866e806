import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { BodyPart, HeaderNode, RequestNode, Template } from '../src/syntax/ast.js';
import { parse } from '../src/syntax/parse.js';

// The peers' own example files (httpyac, JetBrains spec, REST Client README, kulala), kept byte
// for byte in ../shared/dialects beside the clone.
const dialects = resolve(import.meta.dirname, '../../shared/dialects');
const present = existsSync(dialects);
if (!present) console.log(`dialect tests skipped: ${dialects} is absent`);

function httpFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return httpFiles(path);
    return name.endsWith('.http') ? [relative(dialects, path)] : [];
  });
}

function load(file: string) {
  return parse(readFileSync(join(dialects, file), 'utf8'), { file });
}

function requests(file: string): RequestNode[] {
  const result = load(file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.ast.requests;
}

function flat(template: Template): string {
  return template.parts
    .map((part) => (part.kind === 'text' ? part.value : part.kind === 'secret' ? `<<${part.name}>>` : `{{${part.kind}:${'name' in part ? part.name : part.code}}}`))
    .join('');
}

function body(request: RequestNode | undefined): string[] {
  return (request?.body?.parts ?? []).map((part: BodyPart) => (part.kind === 'text' ? flat(part.text) : `< ${flat(part.path)}`));
}

describe.skipIf(!present)('dialect example files', () => {
  const files = present ? httpFiles(dialects).sort() : [];

  test('every example file parses with no error', () => {
    expect(files.length).toBeGreaterThan(50);
    const failing = files.filter((file) => load(file).diagnostics.some((d) => d.severity === 'error'));
    expect(failing).toEqual([]);
  });

  test('JetBrains §4.2.1: a multi-line path is joined without whitespace', () => {
    expect(requests('jetbrains/s4.2.1-multiline-path.http').map((r) => flat(r.target))).toEqual(['http://example.com/api/get']);
    expect(requests('jetbrains/s4.2.1-encoded-whitespace.http').map((r) => flat(r.target))).toEqual(['http://example.com/%20api%20+/get+']);
  });

  test('JetBrains §4.2.2: blank lines around an in-place body are not part of it', () => {
    expect(body(requests('jetbrains/s4.2.2-body-trim.http')[0])).toEqual(['message-body']);
    expect(body(requests('jetbrains/file-body/s4.2.2-file-body.http')[0])).toEqual(['< input.txt']);
  });

  test('JetBrains §3.2: body file, response handler and response reference in one request', () => {
    const [request] = requests('jetbrains/s3.2-request-sections.http');
    expect(body(request)).toEqual(['< input.json']);
    expect(request!.scripts.map((s) => s.code)).toEqual(['client.global.set("auth", response.body.token);']);
    expect(request!.foreign.map((f) => f.what)).toEqual(['response-ref']);
  });

  test('JetBrains request-line forms: no method, asterisk form, origin form, fragment', () => {
    expect(requests('jetbrains/s3.2.1-no-method.http').map((r) => [r.method, flat(r.target)])).toEqual([['GET', 'http://example.com']]);
    expect(requests('jetbrains/s3.2.1.1-asterisk-form.http').map((r) => [r.method, flat(r.target), r.httpVersion])).toEqual([['OPTIONS', '*', 'HTTP/1.1']]);
    expect(requests('jetbrains/s3.2.1.1-origin-form.http').map((r) => [flat(r.target), (r.headers[0] as HeaderNode).name])).toEqual([['/api/get', 'Host']]);
    expect(requests('jetbrains/s3.2.1.4-fragment.http').map((r) => flat(r.target))).toEqual(['http://example.com/api/get#q=hello+world']);
    expect(requests('jetbrains/s3.1-requests-file.http')).toHaveLength(2);
  });

  test('JetBrains {{ element-id }} with spaces and a hyphen is a variable', () => {
    const [request] = requests('jetbrains/s3.2.6-env-variables.http');
    expect(flat(request!.target)).toBe('http://{{variable:host}}/api/get?id={{variable:element-id}}');
  });

  test('kulala: commented-out query lines and headers, version on the last continuation line', () => {
    const request = requests('kulala/simple.http').find((r) => r.name === 'REQUEST_WITH_QUERY_PARAMS_AND_HEADERS_AND_COMMENTS_AND_OPERATORS')!;
    expect(flat(request.target)).toBe('https://httpbin.org/post?someKey=someValue1&someKey3=someValue3&someKey5=someValue5&someKey7=someValue7');
    expect(request.httpVersion).toBe('HTTP/1.1');
    expect(request.headers.map((h) => (h as HeaderNode).name)).toEqual(['Content-Type', 'X-My-Custom-Header2', 'X-My-Custom-Header5', 'X-My-Custom-Header7']);
  });

  test('kulala: #### titles, GRAPHQL requests, file parts', () => {
    const all = requests('kulala/graphql.http');
    expect(all.map((r) => [r.name, r.method])).toEqual([
      ['GQL_STARWARS_QUERY_PERSON', 'GRAPHQL'],
      ['GQL_STARWARS_QUERY_PLANET', 'GRAPHQL'],
      ['GQL_STARWARS_QUERY_FILM', 'GRAPHQL'],
      ['GQL_STARWARS_QUERY_FILM_INLINE', 'GRAPHQL'],
    ]);
    expect(body(all[2])).toEqual(['< ./graphql.graphql', '\n{\n  "id": 1\n}']);
  });

  test('kulala: import and run lines', () => {
    const result = load('kulala/import-one-from-graphql.http');
    expect(result.ast.foreign.map((f) => [f.what, f.text])).toEqual([
      ['import', 'import ./graphql.http'],
      ['run', 'run #GQL_STARWARS_QUERY_PERSON'],
      ['run', 'run #GQL_STARWARS_QUERY_PLANET'],
    ]);
    expect(result.ast.requests).toEqual([]);
  });

  test('kulala: a URL with a space, two Cookie headers kept', () => {
    expect(flat(requests('kulala/url-encoding.http')[0]!.target)).toBe('https://echo.kulala.app/get?name=John Doe&age=30');
    const cookies = requests('kulala/simple.http').find((r) => r.name === 'COOKIE_REQUEST')!;
    expect(cookies.headers.filter((h) => h.kind === 'header' && h.name === 'Cookie')).toHaveLength(2);
  });

  test('httpyac: every method of httpMethods.http, split without ###', () => {
    const result = load('httpyac/project/http/httpMethods.http');
    expect(result.ast.requests.map((r) => r.method)).toEqual([
      'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE',
      'LOCK', 'UNLOCK', 'CHECKOUT', 'CHECKIN', 'REPORT', 'MERGE', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL', 'BASELINE-CONTROL',
    ]);
    expect(body(result.ast.requests[1])).toEqual(['{\n  "name": "john smith"\n}']);
    expect(result.diagnostics.every((d) => d.code === 'syntax/implicit-separator')).toBe(true);
  });

  test('httpyac: a pasted response is kept and the next request found', () => {
    const [first, second] = requests('httpyac/project/http/requestAndResponse.http');
    expect(first!.foreign.map((f) => f.what)).toEqual(['pasted-response']);
    expect(first!.body).toBeNull();
    expect(flat(second!.target)).toBe('/json');
  });

  test('httpyac: \\{\\{ escapes are literal braces, not a placeholder', () => {
    expect(body(requests('httpyac/variables/escapeVariableSubstitution.http')[0])).toEqual(['{\n  "template": "My {{someVerb}} template!!"\n}']);
  });

  test('httpyac: dynamic variables in JetBrains and REST Client spellings', () => {
    const target = requests('httpyac/variables/intellij.http')[0]!.target;
    expect(target.parts.filter((p) => p.kind === 'dynamic').map((p) => (p.kind === 'dynamic' ? [p.name, p.args] : []))).toEqual([
      ['timestamp', ''], ['uuid', ''], ['random.uuid', ''], ['randomInt', ''], ['isoTimestamp', ''], ['random.integer', '2, 8'],
      ['random.float', '2, 8'], ['random.alphabetic', '50'], ['random.email', ''], ['random.hexadecimal', '3'],
    ]);
    const restClient = requests('httpyac/variables/restClient.http');
    expect(restClient.map((r) => r.target.parts.find((p) => p.kind === 'dynamic')).slice(0, 3)).toMatchObject([
      { name: 'guid', args: '' },
      { name: 'randomInt', args: '100 200' },
      { name: 'randomInt', args: '-100 100' },
    ]);
    expect(restClient.find((r) => flat(r.target).includes("DD.MM.YYYY' 3 d"))).toBeUndefined();
    expect(restClient.map((r) => r.target.parts.find((p) => p.kind !== 'text'))).toContainEqual(expect.objectContaining({ kind: 'dynamic', name: 'datetime', args: "'DD.MM.YYYY' 3 d" }));
  });

  test('httpyac: a request line right below another one starts a new request', () => {
    expect(requests('httpyac/variables/host.http').map((r) => flat(r.target))).toEqual(['/anything?q=1', '/anything?q=2']);
  });

  test('REST Client: request variables, {{%name}}, X-REQUEST-TYPE GraphQL, multipart', () => {
    const refs = requests('restclient/request-variables.http');
    expect(refs.map((r) => r.name)).toEqual(['login', 'createComment', 'getCreatedComment', 'getReplies', 'getFirstReply']);
    const ast = load('restclient/request-variables.http').ast;
    expect(ast.variables.map((v) => [v.name, flat(v.value)])).toEqual([
      ['baseUrl', 'https://example.com/api'],
      ['authToken', '{{variable:login.response.headers.X-AuthToken}}'],
      ['commentId', '{{variable:createComment.response.body.$.id}}'],
    ]);
    expect(flat(refs[4]!.target)).toBe('{{variable:baseUrl}}/comments/{{variable:commentId}}/replies/{{variable:getReplies.response.body.//reply[1]/@id}}');
    expect(flat(requests('restclient/file-variables.http')[0]!.target)).toBe('https://{{variable:host}}/authors/{{variable:%name}}');
    expect(body(requests('restclient/multipart.http')[0])).toEqual([
      '------WebKitFormBoundary7MA4YWxkTrZu0gW\nContent-Disposition: form-data; name="text"\n\ntitle\n------WebKitFormBoundary7MA4YWxkTrZu0gW\nContent-Disposition: form-data; name="image"; filename="1.png"\nContent-Type: image/png\n',
      '< ./1.png',
      '------WebKitFormBoundary7MA4YWxkTrZu0gW--',
    ]);
    expect(body(requests('restclient/graphql.http')[0])[0]).toMatch(/^query \(\$name: String!, \$owner: String!\) \{\n[\s\S]*"owner": "Huachao"\n\}$/);
  });
});
