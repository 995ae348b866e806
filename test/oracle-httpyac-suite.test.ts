// httpyac's own test suite (AnWeber/httpyac 6.16.7: src/plugins/*/test/*.spec.ts, formerly src/test/)
// used as an oracle. Each httpyac test sends an .http snippet to a stub client and checks what the
// client was asked to send (method, url, headers, body) or which `??` assertions passed. Here the
// same text goes to a real node:http server on 127.0.0.1 and we check what arrived on the wire.
// httpyac's stub has no host: its files write origin-form targets (`GET /json`) and pass
// `{ host }` as a variable, which is what `vars: { host }` (`--var host=...`) does here.
// Cases skipped (listed in the report): `{{ }}` JavaScript (script blocks, `{{JSON.stringify(x)}}`,
// `?? js`, `@disabled <expression>`, header spread `...defaultHeaders`), `@loop`, `@jwt`, prompts
// (`$input`/`$password`/`$pick` that ask), and httpyac's plugin internals (hook objects).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { parse, run, type RunCallOptions } from '../src/index.js';
import { project } from './helpers/cli.js';
import { json, serverPerTest, type Recorded } from './helpers/server.js';

const servers = serverPerTest();

interface SendOptions {
  /** Files beside the request file (httpyac's initFileProvider). */
  files?: Record<string, string | Buffer>;
  /** httpyac's `variables` argument; `host` is the test server unless the file sets it itself. */
  vars?: Record<string, string>;
  host?: boolean;
  handler?: (request: Recorded, response: ServerResponse) => void | Promise<void>;
  options?: RunCallOptions;
  fileName?: string;
}

/** `text` may be a function of the server's URL, for files that name the host themselves. */
async function send(text: string | ((url: string) => string), options: SendOptions = {}) {
  const server = options.handler ? await servers.serve(options.handler) : await servers.recording();
  const fileName = options.fileName ?? 'any.http';
  const root = project({ [fileName]: typeof text === 'string' ? text : text(server.url), ...options.files });
  const diagnostics: Diagnostic[] = [];
  const vars = { ...(options.host === false ? {} : { host: server.url }), ...options.vars };
  const result = await run([join(root, fileName)], {
    cwd: root,
    processEnv: {},
    vars,
    reporters: [
      {
        onEvent(event) {
          if (event.type === 'diagnostics') diagnostics.push(...event.diagnostics);
        },
        onEnd() {},
      },
    ],
    ...options.options,
  });
  const requests = result.files.flatMap((file) => file.requests);
  return { result, sent: server.requests, requests, diagnostics, url: server.url, root };
}

/** httpyac's stub answers `{ parsedBody }` as a JSON body. */
const answerJson = (value: unknown) => (_request: Recorded, response: ServerResponse) => json(response, 200, value);

describe('httpyac core/test/http.spec.ts (request.http)', () => {
  it('get http', async () => {
    const { sent, result } = await send('GET /get');
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]?.method).toBe('GET');
    expect(sent[0]?.url).toBe('/get');
  });

  it('get http with protocol', async () => {
    const { sent } = await send('GET /get HTTP/1.1');
    expect(sent[0]?.url).toBe('/get');
  });

  it('get http with multiline', async () => {
    const { sent } = await send('\nGET /bar\n  ?test=foo\n      ');
    expect(sent[0]?.url).toBe('/bar?test=foo');
  });

  it('get http with headers', async () => {
    const { sent } = await send('\nGET /get\nauthorization: Bearer test\ndate: 2015-06-01\n      ');
    expect(sent[0]?.headers.authorization).toBe('Bearer test');
    expect(sent[0]?.headers.date).toBe('2015-06-01');
  });

  it('post http', async () => {
    const body = JSON.stringify({ foo: 'foo', bar: 'bar' }, null, 2);
    const { sent } = await send(`\nPOST /post\ncontent-type: application/json\n\n${body}\n      `);
    expect(sent[0]?.method).toBe('POST');
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[0]?.body.toString()).toBe(body);
  });

  it('x-www-form-urlencoded (file variables, an indented request line)', async () => {
    const text = [
      '',
      '@clientId=test',
      '@clientSecret=xxxx-xxxxxxx-xxxxxx-xxxx',
      '',
      '          POST /post',
      'content-type: application/x-www-form-urlencoded',
      '',
      'grant_type=client_credentials&client_id={{clientId}}&client_secret={{clientSecret}}',
      '      ',
    ].join('\n');
    const { sent, result } = await send(text);
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent[0]?.body.toString()).toBe('grant_type=client_credentials&client_id=test&client_secret=xxxx-xxxxxxx-xxxxxx-xxxx');
  });
});

describe('httpyac core/test/body.spec.ts (request.body)', () => {
  const body = JSON.stringify({ foo: 'foo', bar: 'bar' }, null, 2);

  it('should send body', async () => {
    const { sent } = await send(`\nPOST /post\ncontent-type: application/json\n\n${body}\n    `);
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[0]?.body.toString()).toBe(body);
  });

  it('should send body with no empty line', async () => {
    const { sent } = await send(`\nPOST /post\ncontent-type: application/json\n${body}\n    `);
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[0]?.body.toString()).toBe(body);
  });

  it('should send imported body (<@)', async () => {
    const { sent } = await send('\nPOST /post\ncontent-type: application/json\n\n<@ ./body.json\n    ', {
      files: { 'body.json': body },
    });
    expect(sent[0]?.body.toString()).toBe(body);
  });

  it('should send imported buffer body (<)', async () => {
    const { sent } = await send('\nPOST /post\ncontent-type: application/json\n\n< ./body.json\n    ', {
      files: { 'body.json': body },
    });
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[0]?.body.toString('utf-8')).toBe(body);
  });

  it('should send imported buffer body with replace', async () => {
    const template = JSON.stringify({ foo: 'foo', bar: '{{bar}}' }, null, 2);
    const { sent } = await send('\n@bar=bar2\nPOST /post\ncontent-type: application/json\n\n<@ ./body.json\n      ', {
      files: { 'body.json': template },
    });
    expect(sent[0]?.body.toString()).toBe(JSON.stringify({ foo: 'foo', bar: 'bar2' }, null, 2));
  });

  it('should send mulitpart form body', async () => {
    const text = [
      '',
      '@bar=bar2',
      'POST /post',
      'content-type: multipart/form-data; boundary=WebKitFormBoundary',
      '',
      '--WebKitFormBoundary',
      'Content-Disposition: form-data; name="text"',
      '',
      'invoice_text: {{bar}}',
      '--WebKitFormBoundary--',
      '      ',
    ].join('\n');
    const { sent } = await send(text);
    expect(sent[0]?.headers['content-type']).toBe('multipart/form-data; boundary=WebKitFormBoundary');
    expect(sent[0]?.body.toString()).toBe(
      '--WebKitFormBoundary\r\nContent-Disposition: form-data; name="text"\r\n\r\ninvoice_text: bar2\r\n--WebKitFormBoundary--',
    );
  });

  it('should send mulitpart form body with variables and file', async () => {
    const text = [
      '',
      '@bar=bar2',
      'POST /post',
      'content-type: multipart/form-data; boundary=WebKitFormBoundary',
      '',
      '--WebKitFormBoundary',
      'Content-Disposition: form-data; name="text"',
      '',
      'invoice_text: {{bar}}',
      '--WebKitFormBoundary',
      'Content-Disposition: form-data; name="invoice"; filename="invoice.pdf"',
      'Content-Type: application/pdf',
      '',
      '< ./body.json',
      '--WebKitFormBoundary--',
      '      ',
    ].join('\n');
    const { sent } = await send(text, { files: { 'body.json': 'test' } });
    expect(sent[0]?.headers['content-type']).toBe('multipart/form-data; boundary=WebKitFormBoundary');
    expect(sent[0]?.body.toString()).toBe(
      '--WebKitFormBoundary\r\nContent-Disposition: form-data; name="text"\r\n\r\ninvoice_text: bar2\r\n' +
        '--WebKitFormBoundary\r\nContent-Disposition: form-data; name="invoice"; filename="invoice.pdf"\r\n' +
        'Content-Type: application/pdf\r\n\r\ntest\r\n--WebKitFormBoundary--',
    );
  });
});

describe('httpyac core/test/escape.spec.ts and replacer/escapeVariableReplacer.spec.ts', () => {
  it('escape handlebar', async () => {
    const { sent } = await send('\nPOST /post\n\n<html>\n<div>\\{\\{title\\}\\}</div>\n</html>\n    ');
    expect(sent[0]?.body.toString()).toBe('<html>\n<div>{{title}}</div>\n</html>');
  });

  it('returns escaped value', async () => {
    const { sent } = await send('POST /post\ncontent-type: text/plain\n\n\\{\\{1\\}\\} - \\{\\{2\\}\\} - \\{\\{3\\}\\}\n');
    expect(sent[0]?.body.toString()).toBe('{{1}} - {{2}} - {{3}}');
  });

  // Differs on purpose: httpyac sends an unclosed `{{` as it is; httprun's parser (src/syntax/
  // template.ts) makes it a located error, since it is nearly always a typo, and the file sends
  // nothing (exit 2). `\{\{` sends literal braces, as the hint says.
  it('returns same value: an unclosed {{ is an error here, not text', async () => {
    const { sent, result, diagnostics } = await send('POST /post\ncontent-type: text/plain\n\nfoo {{ asdf } asdf\n');
    expect(sent).toEqual([]);
    expect(result.summary.exitCode).toBe(2);
    expect(diagnostics.map((d) => d.message)).toContain('unclosed placeholder: `{{ asdf } asdf` has no closing `}}` on its line');
  });
});

describe('httpyac core/test/host.spec.ts (variables.host)', () => {
  it('host', async () => {
    const { sent, url, requests } = await send((url) => `\n@host=${url}\nGET /json\n    `, { host: false });
    expect(sent[0]?.url).toBe('/json');
    expect(requests[0]?.url).toBe(`${url}/json`);
  });
});

describe('httpyac core/test/variables.spec.ts (variables.set)', () => {
  it('file variables', async () => {
    const { sent } = await send('\n@foo=foo\n@bar={{foo}}bar\nGET /json?bar={{bar}}\n    ', {
      handler: answerJson({ foo: 'bar', test: 1 }),
    });
    expect(sent[0]?.url).toBe('/json?bar=foobar');
  });

  // Differs on purpose (SPEC §3, Body): after a request's blank line everything up to `###` is its
  // body, so httprun sends `@slideshow=...` as the GET's body text, and {{slideshow}} is undefined
  // (exit 2, nothing sent). httpyac reads an `@name=value` line anywhere in a region as a variable
  // set after the response. Written before the next request line, it works the same in both.
  it('set string variable: an @variable line after the request is its body here', async () => {
    const text = [
      '',
      '# @name fooString',
      'GET  /test',
      '',
      '@slideshow={{fooString.slideshow.author}}',
      '###',
      '#@ref fooString',
      'GET  /test?author={{slideshow}}',
      '    ',
    ].join('\n');
    const { sent, result, diagnostics } = await send(text, { handler: answerJson({ slideshow: { author: 'httpyac' } }) });
    expect(sent).toEqual([]);
    expect(result.summary.exitCode).toBe(2);
    // As body text the line reads the GET's own response, which cannot exist before it is sent.
    expect(diagnostics.map((d) => d.message)).toEqual([
      '{{fooString.slideshow.author}} reads the response of "fooString" itself, which does not exist before the request is sent',
      'undefined variable {{slideshow}}',
    ]);
  });

  it('set string variable, with @slideshow written before the second request line', async () => {
    const text = [
      '',
      '# @name fooString',
      'GET  /test',
      '',
      '###',
      '@slideshow={{fooString.slideshow.author}}',
      '#@ref fooString',
      'GET  /test?author={{slideshow}}',
      '    ',
    ].join('\n');
    const { sent, result } = await send(text, { handler: answerJson({ slideshow: { author: 'httpyac' } }) });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/test', '/test?author=httpyac']);
  });

  // As above, the @variable line stands before the second request line (SPEC §3: after the first
  // request's blank line it would be body text).
  it('set object variable', async () => {
    const text = [
      '',
      '# @name fooObject',
      'GET  /test',
      '',
      '###',
      '@slideshow={{fooObject.slideshow}}',
      'GET  /test?author={{slideshow.author}}',
      '    ',
    ].join('\n');
    const { sent, result } = await send(text, { handler: answerJson({ slideshow: { author: 'httpyac' } }) });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/test', '/test?author=httpyac']);
  });

  it('set object variable with number', async () => {
    const text = ['', '# @name objectNumber', 'GET /get', '', '###', '@foo={{objectNumber.foo}}', 'GET /get?test={{foo.test}}', '    '].join('\n');
    const { sent, result } = await send(text, { handler: answerJson({ foo: { test: 1 } }) });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/get', '/get?test=1']);
  });

  // A property of a variable's value is a look-up in its JSON, so what it cannot find is reported.
  it('set object variable: a property the object lacks is an error that names it', async () => {
    const text = ['', '# @name fooObject', 'GET  /test', '', '###', '@slideshow={{fooObject.slideshow}}', 'GET  /test?author={{slideshow.editor}}', ''].join('\n');
    const { sent, requests } = await send(text, { handler: answerJson({ slideshow: { author: 'httpyac' } }) });
    expect(sent.map((r) => r.url)).toEqual(['/test']);
    expect(requests[1]?.outcome).toBe('errored');
    expect(requests[1]?.error).toContain('undefined variable {{slideshow.editor}}: {{slideshow}} has no editor');
  });

  it('a dotted name on a variable that holds text is undefined, and says why', async () => {
    const { sent, result, diagnostics } = await send('@word = plain\nGET /x?y={{word.length}}\n');
    expect(sent).toEqual([]);
    expect(result.summary.exitCode).toBe(2);
    expect(diagnostics.map((d) => d.message)).toEqual(['undefined variable {{word.length}}: {{word}} holds text, not a JSON object or array']);
  });

  it('a property path into a file variable holding JSON, an array index as a key', async () => {
    const { sent } = await send('@list = {"items": [{"id": 7}, {"id": 8}]}\nGET /x?id={{list.items.1.id}}\n');
    expect(sent[0]?.url).toBe('/x?id=8');
  });
});

describe('httpyac http/test/basicAuth.spec.ts (variables.basicAuth)', () => {
  it('basic auth', async () => {
    const { sent } = await send('\nGET  /json\nauthorization: Basic john:doe\n\n###\nGET  /json\nauthorization: Basic john doe\n    ');
    expect(sent[0]?.headers.authorization).toBe('Basic am9objpkb2U=');
    expect(sent[1]?.headers.authorization).toBe('Basic am9objpkb2U=');
  });

  it('basic auth with empty password', async () => {
    const { sent } = await send('\nGET  /json\nauthorization: Basic john:\n\n###\nGET  /json\nauthorization: Basic am9objo=\n    ');
    expect(sent[0]?.headers.authorization).toBe('Basic am9objo=');
    expect(sent[1]?.headers.authorization).toBe('Basic am9objo=');
  });
});

describe('httpyac core/test/metadata/noRedirect.spec.ts (metadata.noRedirect)', () => {
  const redirecting = (request: Recorded, response: ServerResponse) => {
    if (request.url === '/redirect') response.writeHead(302, { location: '/target' }).end();
    else response.writeHead(200).end('target');
  };

  it('follow redirect', async () => {
    const { sent, requests } = await send('\n\nGET /redirect\n    ', { handler: redirecting });
    expect(sent.map((r) => r.url)).toEqual(['/redirect', '/target']);
    expect(requests[0]?.status).toBe(200);
  });

  it('noRedirect', async () => {
    const { sent, requests } = await send('\n# @no-redirect\nGET /redirect\n    ', { handler: redirecting });
    expect(sent.map((r) => r.url)).toEqual(['/redirect']);
    expect(requests[0]?.status).toBe(302);
  });
});

describe('httpyac core/test/metadata/disabled.spec.ts (metadata.disabled)', () => {
  it('disabled', async () => {
    const { sent, requests } = await send('\n# @disabled\nGET /json\n    ', { handler: answerJson({ foo: 'bar', test: 1 }) });
    expect(sent).toHaveLength(0);
    expect(requests[0]?.outcome).toBe('skipped');
  });
});

describe('httpyac core/test/metadata/ref.spec.ts (metadata.ref)', () => {
  it('name + ref', async () => {
    const text = [
      '',
      '# @name foo',
      'GET  /json',
      '',
      '###',
      '# @ref foo',
      'POST /post?test={{foo.test}}',
      '',
      'foo={{foo.foo}}',
      '',
      '###',
      '# @ref foo',
      'POST /post?test={{foo.test}}',
      '',
      'foo={{foo.foo}}',
      '    ',
    ].join('\n');
    // httpyac sends httpRegions[1] only: the request on line 7, which needs foo first.
    const { sent } = await send(text, { handler: answerJson({ foo: 'bar', test: 1 }), options: { lines: [7] } });
    expect(sent.map((r) => r.url)).toEqual(['/json', '/post?test=1']);
    expect(sent[1]?.body.toString()).toBe('foo=bar');
  });

  it('not found ref', async () => {
    const text = '\n\n# @ref not_found\nPOST /post?test={{foo.test}}\n\nfoo={{foo.foo}}\n\n    ';
    const { sent, result, diagnostics } = await send(text);
    expect(sent).toHaveLength(0);
    expect(result.summary.exitCode).toBe(2);
    expect(diagnostics.map((d) => d.message)).toContain('@ref not_found: there is no request named "not_found" in this file or an imported one');
  });

  it('name + ref + falsy body', async () => {
    const text = [
      '',
      '# @name child',
      'GET  /json',
      '',
      '###',
      '# @ref child',
      '# @name parent',
      'POST /post?test={{child}}',
      '',
      'foo={{child}}',
      '',
      '###',
      '# @ref child',
      '# @ref parent',
      'POST /post?test={{parent}}',
      '',
      'foo={{parent}}',
      '    ',
    ].join('\n');
    const { sent } = await send(text, {
      handler: (_request, response) => response.writeHead(200).end(''),
      options: { lines: [15] },
    });
    expect(sent.map((r) => r.url)).toEqual(['/json', '/post?test=', '/post?test=']);
    expect(sent[1]?.body.toString()).toBe('foo=');
    expect(sent[2]?.body.toString()).toBe('foo=');
  });

  it('name + import + ref', async () => {
    const text = '\n# @import ./import.http\n###\n# @ref foo\nPOST /post?test={{foo.test}}\n\nfoo={{foo.foo}}\n    ';
    const { sent } = await send(text, {
      files: { 'import.http': '\n# @name foo\nGET  /json\n      ' },
      handler: answerJson({ foo: 'bar', test: 1 }),
    });
    expect(sent.map((r) => r.url)).toEqual(['/json', '/post?test=1']);
    expect(sent[1]?.body.toString()).toBe('foo=bar');
  });

  it('name + forceRef', async () => {
    const text = [
      '',
      '# @name foo',
      'GET  /json',
      '',
      '###',
      '# @forceRef foo',
      'POST /post?test={{foo.test}}',
      '',
      'foo={{foo.foo}}',
      '',
      '###',
      '# @forceRef foo',
      'POST /post?test={{foo.test}}',
      '',
      'foo={{foo.foo}}',
      '    ',
    ].join('\n');
    // Differs on purpose (SPEC §7, Dependencies: every request runs at most once per run): httpyac
    // sends foo again for each @forceRef (4 requests); httprun sends foo once, then both posts.
    const { sent, result } = await send(text, { handler: answerJson({ foo: 'bar', test: 1 }), options: { lines: [7, 13] } });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/json', '/post?test=1', '/post?test=1']);
    expect(sent[2]?.body.toString()).toBe('foo=bar');
  });
});

describe('httpyac core/test/metadata/import.spec.ts (metadata.import)', () => {
  it('name + import + ref', async () => {
    const text = '\n# @import ./import.http\n###\n# @ref foo\nPOST /nameimport?test={{foo.test}}\n\nfoo={{foo.foo}}\n    ';
    const { sent } = await send(text, {
      files: { 'import.http': '\n# @name foo\nGET /nameimportjson\n      ' },
      handler: answerJson({ foo: 'bar', test: 1 }),
    });
    expect(sent.map((r) => r.url)).toEqual(['/nameimportjson', '/nameimport?test=1']);
    expect(sent[1]?.body.toString()).toBe('foo=bar');
  });

  it('import global variable', async () => {
    const text = '\n# @import ./import.http\nPOST /globalvarimport?foo={{foo}}\n\nbar={{bar}}\n    ';
    const { sent, result } = await send(text, { files: { 'import.http': '\n@foo=bar\n@bar=foo\n      ' } });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/globalvarimport?foo=bar']);
    expect(sent[0]?.body.toString()).toBe('bar=foo');
  });

  it('import named variable', async () => {
    const text = '\n# @import ./import.http\n# @ref test\nPOST /namedvar?foo={{foo}}\n\nbar={{bar}}\n    ';
    const { sent, result } = await send(text, { files: { 'import.http': '\n      ###\n# @name test\n@foo=bar\n@bar=foo\n      ' } });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/namedvar?foo=bar']);
    expect(sent[0]?.body.toString()).toBe('bar=foo');
  });

  // httpyac's imported file is indented by six spaces; here it is written at the margin, since an
  // indented `###` is no separator in httprun.
  it('import request with using global host variable', async () => {
    const imported = (url: string) =>
      [
        '',
        `@host=${url}`,
        '',
        '### Apple',
        '# @name send_apple',
        'POST /globalhostimport',
        'content-type: application/json',
        '',
        '{',
        '        "id": "0001",',
        '        "type": "fruit",',
        '        "name": "Apple"',
        '}',
        '',
      ].join('\n');
    const server = await servers.recording();
    const root = project({ 'any.http': '\n# @import ./import.http\n\n###\n# @forceRef send_apple\n    ', 'import.http': imported(server.url) });
    const result = await run([join(root, 'any.http')], { cwd: root, processEnv: {} });
    expect(result.summary.exitCode).toBe(0);
    expect(result.summary.requests).toBe(1);
    expect(server.requests.map((r) => [r.method, r.url, JSON.parse(r.body.toString()).name])).toEqual([['POST', '/globalhostimport', 'Apple']]);
  });

  it('should import httpFile in all files', async () => {
    const text = [
      '',
      '# @import ./foo.http',
      '# @import ./bar.http',
      '# @ref foo',
      '# @ref bar',
      'POST /test?test={{foo.foo}}{{bar.bar}}',
      '',
      'foo={{foo.foo}}',
      'bar={{bar.bar}}',
    ].join('\n');
    const { sent, result } = await send(text, {
      files: {
        'foo.http': '\n# @name foo\nGET /foo\n      ',
        'bar.http': '\n      # @name bar\n      # @import ./foo.http\n      # @ref foo\n      GET /bar?test={{foo.test}}\n            ',
      },
      handler: answerJson({ foo: 'bar', bar: 'foo', test: 1 }),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.map((r) => r.url)).toEqual(['/foo', '/bar?test=1', '/test?test=barfoo']);
    expect(sent[2]?.body.toString()).toBe('foo=bar\nbar=foo');
  });
});

describe('httpyac core/test/parser.spec.ts (parser)', () => {
  const three = ['GET https://httpbin.org/anything', 'GET https://httpbin.org/anything', 'GET https://httpbin.org/anything'];

  // httpyac's text is indented (a template literal inside the test). Here an indented line after a
  // request line continues its URL (README, "Request line"; SPEC §3), so the indented form is one
  // request; the same lines written at the margin are three, as in httpyac (with a warning each
  // for the missing `###`).
  it('should parse 3 httpregion: the indented text is one request with a continued URL', () => {
    const { ast } = parse(`\n${three.map((line) => `    ${line}`).join('\n')}\n    `, { file: 'any.http' });
    expect(ast.requests).toHaveLength(1);
    expect(ast.requests[0]?.target.parts).toEqual([{ kind: 'text', value: three.join('').slice(4) }]);
  });

  it('should parse 3 httpregion (written at the margin)', () => {
    const { ast, diagnostics } = parse(`\n${three.join('\n')}\n`, { file: 'any.http' });
    expect(ast.requests).toHaveLength(3);
    for (const request of ast.requests) {
      expect(request.method).toBe('GET');
      expect(request.target.parts).toEqual([{ kind: 'text', value: 'https://httpbin.org/anything' }]);
    }
    expect(diagnostics.map((d) => d.code)).toEqual(['syntax/implicit-separator', 'syntax/implicit-separator']);
  });

  it('should support asserts (indented as httpyac wrote them)', () => {
    const { ast, diagnostics } = parse('\n    GET https://httpbin.org/anything\n    ?? status == 200\n    ', { file: 'any.http' });
    expect(diagnostics).toEqual([]);
    expect(ast.requests).toHaveLength(1);
    expect(ast.requests[0]?.target.parts).toEqual([{ kind: 'text', value: 'https://httpbin.org/anything' }]);
    expect(ast.requests[0]?.assertions.map((a) => a.text)).toEqual(['?? status == 200']);
  });
});

describe('httpyac graphql/test/graphql.spec.ts (request.graphql)', () => {
  const launches = [
    'query launchesQuery($limit: Int!){',
    '  launchesPast(limit: $limit) {',
    '    mission_name',
    '    launch_date_local',
    '    launch_site {',
    '      site_name_long',
    '    }',
    '    rocket {',
    '      rocket_name',
    '      rocket_type',
    '    }',
    '    ships {',
    '      name',
    '      home_port',
    '      image',
    '    }',
    '  }',
    '}',
  ].join('\n');
  const company = 'query company_query {\n  company {\n    coo\n  }\n}';
  // httpyac writes the keys as query, operationName, variables; SPEC §7 orders them query,
  // variables, operationName. A server reads JSON, not key order: the parsed bodies are compared.
  const bodyOf = (sent: Recorded[]) => JSON.parse(sent[0]?.body.toString() ?? 'null') as unknown;

  it('query + operation + variables', async () => {
    const { sent } = await send(`\nPOST /graphql\n\n${launches}\n\n{\n    "limit": 10\n}\n    `);
    expect(sent[0]?.url).toBe('/graphql');
    expect(bodyOf(sent)).toEqual({ query: launches, operationName: 'launchesQuery', variables: { limit: 10 } });
  });

  it('should replace variables in query', async () => {
    const query = 'query getit {\n  product( id: "gid://shopify/Product/{{sku}}" ) {\n    id\n    status\n  }\n}';
    const { sent } = await send(`\n@sku=1\nPOST /graphql\n\n${query}\n    `);
    expect(bodyOf(sent)).toEqual({ query: query.replace('{{sku}}', '1'), operationName: 'getit' });
  });

  it('query with fragment', async () => {
    const fragment = [
      'fragment RocketParts on LaunchRocket {',
      '  rocket_name',
      '  first_stage {',
      '    cores {',
      '      flight',
      '      core {',
      '        reuse_count',
      '        status',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const query = [
      'query launchesQuery($limit: Int!){',
      '  launchesPast(limit: $limit) {',
      '    mission_name',
      '    launch_date_local',
      '    launch_site {',
      '      site_name_long',
      '    }',
      '    rocket {',
      '      ...RocketParts',
      '    }',
      '  }',
      '}',
    ].join('\n');
    // httpyac collects a GraphQL `fragment` block written anywhere in the file outside a body, and
    // appends the fragments a query spreads (`...RocketParts`) after a line break.
    const text = `\n${fragment}\n\nPOST /graphql HTTP/1.1\nContent-Type: application/json\n\n\n${query}\n\n{\n    "limit": 10\n}\n      `;
    const { sent, result, diagnostics } = await send(text);
    expect(diagnostics).toEqual([]);
    expect(result.summary.exitCode).toBe(0);
    expect(bodyOf(sent)).toEqual({ query: `${query}\n${fragment}`, operationName: 'launchesQuery', variables: { limit: 10 } });
  });

  it('only query', async () => {
    const { sent } = await send(`\nPOST /graphql\nContent-Type: application/json\n\n${company}\n      `);
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(bodyOf(sent)).toEqual({ query: company, operationName: 'company_query' });
  });

  it('imported query (gql name < ./file)', async () => {
    const file = `\n${launches}\n        `;
    const { sent, result } = await send('\nPOST /graphql\nContent-Type: application/json\n\ngql launchesQuery < ./graphql.gql\n\n{\n    "limit": 10\n}\n      ', {
      files: { 'graphql.gql': file },
    });
    expect(result.summary.exitCode).toBe(0);
    // httpyac sends the file's text as it is ("\nquery ...}\n        "); httprun trims the white
    // space around the query, which GraphQL ignores: the same request to any server.
    expect(bodyOf(sent)).toEqual({ query: file.trim(), operationName: 'launchesQuery', variables: { limit: 10 } });
  });

  it('use graphql method', async () => {
    const { sent } = await send(`\nGRAPHQL /graphql\nContent-Type: application/json\n\n${company}\n      `);
    expect(sent[0]?.method).toBe('POST');
    expect(bodyOf(sent)).toEqual({ query: company, operationName: 'company_query' });
  });

  it('imported buffer body with replace', async () => {
    const template = JSON.stringify({ foo: 'foo', bar: '{{bar}}' }, null, 2);
    const { sent } = await send('\n@bar=bar2\nPOST /post\ncontent-type: application/json\n\n<@ ./body.json\n      ', {
      files: { 'body.json': template },
    });
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[0]?.body.toString()).toBe(JSON.stringify({ foo: 'foo', bar: 'bar2' }, null, 2));
  });
});

describe('httpyac http/test/digestAuth.spec.ts (variables.digestAuth)', () => {
  it('digest auth', async () => {
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const challenge =
      'Digest realm="json@localhost",qop="auth,auth-int",nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",opaque="5ccc069c403ebaf9f0171e9517f40e41"';
    const handler = (request: Recorded, response: ServerResponse) => {
      if (!request.headers.authorization) response.writeHead(401, { 'www-authenticate': challenge }).end();
      else response.writeHead(200).end();
    };
    const { sent, result } = await send('\nGET  /json\nAuthorization: Digest john doe\n\n###\nGET  /json\nAuthorization: Digest john:doe\n    ', {
      handler,
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent.filter((r) => !r.headers.authorization)).toHaveLength(2);
    const answered = sent.filter((r) => r.headers.authorization);
    expect(answered).toHaveLength(2);
    for (const request of answered) {
      const fields = Object.fromEntries(
        [...(request.headers.authorization ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)].map((m) => [m[1], m[2] ?? m[3]]),
      );
      expect(fields).toMatchObject({
        username: 'john',
        realm: 'json@localhost',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        uri: '/json',
        opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      });
      // Differs on purpose: httpyac answers in RFC 2069 form (no qop), which gives its test's
      // response="4d157d692f3e05a1cbe192ddbc427782". The server offered qop="auth,auth-int", and
      // RFC 7616 §3.4 has the client use it: httprun sends qop=auth with nc and cnonce.
      const ha1 = md5('john:json@localhost:doe');
      const ha2 = md5('GET:/json');
      expect(md5(`${ha1}:dcd98b7102dd2f0e8b11d0f600bfb0c093:${ha2}`)).toBe('4d157d692f3e05a1cbe192ddbc427782');
      expect(fields.qop).toBe('auth');
      expect(fields.response).toBe(md5(`${ha1}:${fields.nonce}:${fields.nc}:${fields.cnonce}:auth:${ha2}`));
    }
  });
});

describe('httpyac intellij/test/intellij.spec.ts (scripts.intellij)', () => {
  it('pre request script (written at the margin)', async () => {
    const text = '\n\n< {%\n      request.variables.set("firstname", "John")\n%}\nGET /json?q={{firstname}}\n\n    ';
    const { sent, result } = await send(text, { handler: answerJson({ foo: 'bar', test: 1 }) });
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]?.url).toContain('/json?q=John');
  });

  // httpyac's text indents `< {%` and the request line by two spaces (its test's template literal):
  // before the request line, indented lines read as at the margin.
  it('pre request script, indented as httpyac wrote it', async () => {
    const text = '\n\n  < {%\n      request.variables.set("firstname", "John")\n  %}\n  GET /json?q={{firstname}}\n\n    ';
    const { sent, result } = await send(text, { handler: answerJson({ foo: 'bar', test: 1 }) });
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]?.url).toBe('/json?q=John');
  });
});

describe('httpyac core/request/transformMultilineFormUrlEncoded.spec.ts', () => {
  const form = async (body: string, contentType = 'application/x-www-form-urlencoded') =>
    (await send(`POST /form\ncontent-type: ${contentType}\n\n${body}\n`)).sent[0]?.body.toString();

  it('should return joined string', async () => {
    expect(await form('foo = a&\nbar = b')).toBe('foo=a&bar=b');
  });

  it('should return without whitespace around &', async () => {
    expect(await form('foo = a & bar = b')).toBe('foo=a&bar=b');
  });

  it('should ignore whitespace in content', async () => {
    // httpyac's unit test sees `bar=bl a` before its encoding step; on the wire httpyac 6.16.7 sends
    // `bl%20a`, as httprun does (README, "Body": an inline form is percent-encoded).
    expect(await form('foo = a & bar = bl a')).toBe('foo=a&bar=bl%20a');
  });

  it('should ignore content on wrong mimetype', async () => {
    expect(await form('foo = a&\nbar = b', 'text/plain')).toBe('foo = a&\nbar = b');
  });
});

describe('httpyac core/replacer/restClientVariableReplacer.spec.ts', () => {
  it('should replace $guid', async () => {
    const { sent } = await send('GET /x?foo={{$guid}}');
    expect(sent[0]?.url).toMatch(/^\/x\?foo=[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/u);
  });

  it('should replace $randomInt', async () => {
    const { sent } = await send('GET /x?foo={{$randomInt 1 9}}');
    expect(sent[0]?.url).toMatch(/^\/x\?foo=[0-9]$/u);
  });

  it('should replace $processEnv', async () => {
    const { sent } = await send('GET /x?foo={{$processEnv test}}', { options: { processEnv: { test: 'bar' } } });
    expect(sent[0]?.url).toBe('/x?foo=bar');
  });

  it('should replace $dotenv', async () => {
    const { sent } = await send('GET /x?foo={{$dotenv test}}', { files: { '.env': 'test=bar\n' } });
    expect(sent[0]?.url).toBe('/x?foo=bar');
  });
});

/** The `??` results of the file's requests: [text without `?? `, passed]. */
const outcomes = (requests: { assertions: { text: string; passed: boolean }[] }[]) =>
  requests.flatMap((request) => request.assertions.map((a) => [a.text.replace(/^\?\?\s*/, ''), a.passed] as const));

// httpyac's assertion specs indent every line by four spaces (a template literal in the test;
// httpyac trims each line). An indented `?? ` line is an assertion in httprun too (the first test
// runs the indented text); the other cases are written at the margin, because an indented `###`
// is no separator here (JetBrains reads separators at the margin).
/** httpyac's snippet without the indentation of its template literal. */
const margin = (text: string) => text.replace(/^ {4}/gm, '');

describe('httpyac assert specs, indented as httpyac wrote them', () => {
  it('an indented ?? line after the blank line is an assertion, as in httpyac', async () => {
    const { requests, result, sent } = await send('\n    GET /get\n\n    ?? status == 200\n    ', {
      handler: (_request, response) => response.writeHead(201).end(),
    });
    expect(sent[0]?.body.toString()).toBe('');
    expect(outcomes(requests)).toEqual([['status == 200', false]]);
    expect(result.summary.exitCode).toBe(1);
  });

  it('an indented ?? line that holds passes', async () => {
    const { requests, result } = await send('\n    GET /get\n\n    ?? status == 200\n    ');
    expect(outcomes(requests)).toEqual([['status == 200', true]]);
    expect(result.summary.exitCode).toBe(0);
  });
});

describe('httpyac assert/test/status.spec.ts (assert.status)', () => {
  it('should be equal 200', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? status == 200\n    '));
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual([['status == 200', true]]);
  });

  it('should be equal to 200 with global assert', async () => {
    const { requests, result } = await send(margin('\n    ?? status == 200\n    ###\n    GET /get\n\n    '));
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual([['status == 200', true]]);
  });

  it('should not be equal 200', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? status == 200\n    '), {
      handler: (_request, response) => response.writeHead(201).end(),
    });
    expect(result.summary.exitCode).toBe(1);
    expect(outcomes(requests)).toEqual([['status == 200', false]]);
    expect(requests[0]?.assertions[0]).toMatchObject({ expected: 200, actual: 201 });
  });

  it('should compare valid to 200', async () => {
    const lines = [
      'status > 199',
      'status >= 200',
      'status < 201',
      'status <= 200',
      'status isNumber',
      'status matches ^\\d+',
      'status exists',
      'status endsWith 00',
      'status startsWith 20',
      'status != 20',
    ];
    const { requests, result } = await send(margin(`\n    GET /get\n\n${lines.map((line) => `    ?? ${line}`).join('\n')}\n    `));
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual(lines.map((line) => [line, true]));
  });
});

describe('httpyac assert/test/header.spec.ts (assert.header)', () => {
  it('should equal header', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? header foo == bar\n    '), {
      handler: (_request, response) => response.writeHead(200, { foo: 'bar' }).end(),
    });
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual([['header foo == bar', true]]);
  });
});

describe('httpyac assert/test/body.spec.ts (assert.body)', () => {
  it('should equal body (and its sha256, sha512, md5 in base64)', async () => {
    const text = margin([
      '',
      '    GET /get',
      '',
      '    ?? body == {"foo":"bar"}',
      '    ?? body sha256 eji/gfOD9pQzrW6QDTWz4jhVk/dqe3q11DVbi6Qe4ks=',
      '    ?? body sha512 DbaK1OQdOya6P8SKXafJ9ha4E+d8tOlRGH4fKjfCutlAQQififYBLue0TiH4Y8XZVT47Zl7a6GQLsidLVVJm6w==',
      '    ?? body md5 m7WPJhkuS6APAeLnsTa72A==',
      '    ',
    ].join('\n'));
    const { requests, result } = await send(text, { handler: answerJson({ foo: 'bar' }) });
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests).map(([, passed]) => passed)).toEqual([true, true, true, true]);
  });

  it('a body digest that differs fails', async () => {
    const { requests, result } = await send('GET /get\n\n?? body md5 AAAAAAAAAAAAAAAAAAAAAA==\n', { handler: answerJson({ foo: 'bar' }) });
    expect(result.summary.exitCode).toBe(1);
    expect(outcomes(requests)).toEqual([['body md5 AAAAAAAAAAAAAAAAAAAAAA==', false]]);
  });

  it('should equal body property', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? body foo == bar\n    '), { handler: answerJson({ foo: 'bar' }) });
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual([['body foo == bar', true]]);
  });
});

describe('httpyac assert/test/duration.spec.ts (assert.duration)', () => {
  it('should be faster then 2000', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? duration < 2000\n    '));
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual([['duration < 2000', true]]);
  });
});

describe('httpyac assert/test/xpath.spec.ts (assert.xpath)', () => {
  const bookstore = (_request: Recorded, response: ServerResponse) =>
    response.writeHead(200, { 'content-type': 'application/xml' }).end('<bookstore><book><title>Everyday Italian</title></book></bookstore>');

  it('should equal xpath', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? xpath /bookstore/book/title == Everyday Italian\n    '), { handler: bookstore });
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual([['xpath /bookstore/book/title == Everyday Italian', true]]);
  });

  const harryPotter = (_request: Recorded, response: ServerResponse) =>
    response
      .writeHead(200, { 'content-type': 'application/xml' })
      .end("<book xmlns:bookml='http://example.com/book'><bookml:title>Harry Potter</bookml:title></book>");

  // Known gap (reported): httpyac's `@xpath_ns prefix=uri` line (no `#`) binds a prefix; httprun's
  // parser does not know the line (a parse error, nothing sent). httprun binds the prefixes the
  // document declares, so the same assertion passes without the line (next test).
  it('should equal xpath with namespaces: the @xpath_ns line is a parse error here', async () => {
    const text = margin('\n    @xpath_ns bookml=http://example.com/book\n    GET /get\n\n    ?? xpath //bookml:title/text() == Harry Potter\n    ');
    const { result, sent, diagnostics } = await send(text, { handler: harryPotter });
    expect(sent).toEqual([]);
    expect(result.summary.exitCode).toBe(2);
    expect(diagnostics[0]).toMatchObject({ code: 'syntax/expected-request-line', span: { start: { line: 2 } } });
  });

  it('should equal xpath with namespaces (prefix declared by the document)', async () => {
    const text = margin('\n    GET /get\n\n    ?? xpath //bookml:title/text() == Harry Potter\n    ');
    const { requests, result } = await send(text, { handler: harryPotter });
    expect(result.summary.exitCode).toBe(0);
    expect(outcomes(requests)).toEqual([['xpath //bookml:title/text() == Harry Potter', true]]);
  });

  it('should fail xpath', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? xpath /bookstore/book/title == Everyday Italian2\n    '), { handler: bookstore });
    expect(result.summary.exitCode).toBe(1);
    expect(outcomes(requests)).toEqual([['xpath /bookstore/book/title == Everyday Italian2', false]]);
  });

  it('should fail on empty body', async () => {
    const { requests, result } = await send(margin('\n    GET /get\n\n    ?? xpath /bookstore/book/title == Everyday Italian2\n    '), {
      handler: (_request, response) => response.writeHead(200).end(),
    });
    expect(result.summary.exitCode).toBe(1);
    expect(outcomes(requests)).toEqual([['xpath /bookstore/book/title == Everyday Italian2', false]]);
  });
});

describe('httpyac assert/test/assert.spec.ts (assert)', () => {
  // Differs on purpose (SPEC §5.2: a parse error exits 2, found before anything is sent): httpyac
  // sends the request and reports the assertion failed; httprun names the unknown query at its
  // line and column, and the file sends nothing.
  const expectedQueries = 'expected status, header, cookie, body, jsonpath, xpath, regex, duration, bytes, sha256, md5, url, version, redirects, certificate or ip';

  it('should fail on empty type: an unknown query is an error before sending', async () => {
    const { result, sent, diagnostics } = await send(margin('\n    GET /get\n\n    ?? response.parsedBody == {"foo": "bar"}\n    '), {
      handler: answerJson({ foo: 'bar' }),
    });
    expect(sent).toEqual([]);
    expect(result.summary.exitCode).toBe(2);
    expect(diagnostics.map((d) => [d.message, d.span.start.line, d.span.start.column])).toEqual([
      [`unknown query "response.parsedBody": ${expectedQueries}`, 4, 4],
    ]);
  });

  it('should fail on invalid type: an unknown query is an error before sending', async () => {
    const { result, sent, diagnostics } = await send(margin('\n    GET /get\n\n    ?? notvalid response.parsedBody == {"foo": "bar"}\n    '), {
      handler: answerJson({ foo: 'bar' }),
    });
    expect(sent).toEqual([]);
    expect(result.summary.exitCode).toBe(2);
    expect(diagnostics.map((d) => d.message)).toEqual([`unknown query "notvalid": ${expectedQueries}`]);
  });
});

describe('httpyac dotenv/test/dotenv.spec.ts (environment.dotenv, provideVariables)', () => {
  const envContent = '\nhost=http://localhost\nfoo=bar';
  const httpContent = '\nGET  /json\nfoo: {{foo}}\n    ';

  // As in httpyac (and kulala), a .env line is a variable, below every environment file. `.env`
  // holds secrets, so its values are masked in every output, as a private env file's are.
  // (httpyac's env/ folder, NAME.env files and HTTPYAC_ENV are its own configuration: not ported.)
  it('parse .env in root dir: {{foo}} is bar, and masked in the report', async () => {
    const { sent, result } = await send(httpContent, { fileName: 'src/test.http', files: { '.env': envContent } });
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]?.headers.foo).toBe('bar');
    expect(JSON.stringify(result)).not.toContain('bar');
  });

  it('parse .env in root dir, read as {{$dotenv foo}} and <<foo>>', async () => {
    const { sent, result } = await send('\nGET  /json\nfoo: {{$dotenv foo}}\nsecret: <<foo>>\n    ', {
      fileName: 'src/test.http',
      files: { '.env': envContent },
    });
    expect(result.summary.exitCode).toBe(0);
    expect(sent[0]?.headers.foo).toBe('bar');
    expect(sent[0]?.headers.secret).toBe('bar');
  });
});
