// "Every error message has a test that reads it": the messages no other test read (audit h34), each
// made to happen the way a user would meet it, read in full with its location.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { run, type RunEvent } from '../src/index.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { parseCliArgs } from '../src/cli/args.js';
import { describeIoError } from '../src/describe-io-error.js';
import { mapError } from '../src/execute/map-error.js';
import { checkFile, NO_SELECTION } from '../src/run/check-file.js';
import { defaultRunOptions } from '../src/run/options.js';
import { connectProxy, runCleanups } from './fixtures/execute/harness.js';
import { CLI, project, REPO, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await runCleanups();
  await server?.close();
  server = undefined;
});

/** A server that answers 200 with a small JSON body to everything. */
async function ok(): Promise<string> {
  server = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}');
  });
  return server.url;
}

/** Runs a.http (and the other files given) in a fresh project; collects the diagnostics and warnings. */
async function runFiles(
  files: Record<string, string>,
  options: { env?: string; variables?: Record<string, string>; processEnv?: Record<string, string> } = {},
) {
  const diagnostics: Diagnostic[] = [];
  const logs: string[] = [];
  const reporter = {
    onEvent: (event: RunEvent) => {
      if (event.type === 'diagnostics') diagnostics.push(...event.diagnostics);
      if (event.type === 'log') logs.push(`${event.file}:${event.line}: ${event.message}`);
    },
    onEnd: () => undefined,
  };
  const root = project(files);
  const result = await run([join(root, 'a.http')], {
    cwd: root,
    processEnv: options.processEnv ?? {},
    reporters: [reporter],
    ...(options.env ? { env: options.env } : {}),
    ...(options.variables ? { variables: options.variables } : {}),
  });
  return { result, diagnostics, logs, root };
}

/** `file:line:col: message` of every diagnostic with that code. */
function located(diagnostics: readonly Diagnostic[], code: string): string[] {
  return diagnostics
    .filter((d) => d.code === code)
    .map((d) => `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ${d.message}`);
}

function hintOf(diagnostics: readonly Diagnostic[], code: string): string | undefined {
  return diagnostics.find((d) => d.code === code)?.hint;
}

describe('plan', () => {
  test('two requests that read each other are a cycle, named in order and placed on the request line', async () => {
    const { result, diagnostics } = await runFiles({
      'a.http': [
        '# @name a',
        'GET http://127.0.0.1:9/a?x={{b.response.body.$.id}}',
        '',
        '###',
        '# @name b',
        'GET http://127.0.0.1:9/b?x={{a.response.body.$.id}}',
        '',
      ].join('\n'),
    });
    expect(located(diagnostics, 'plan/dependency-cycle')).toEqual(['a.http:2:1: requests depend on each other in a cycle: a → b → a']);
    expect(result.files[0]?.error).not.toBeNull();
  });
});

describe('resolve', () => {
  test('a reference to a request the file does not have names it, and lists the requests there are', async () => {
    const { diagnostics } = await runFiles({
      'a.http': ['# @name login', 'GET http://127.0.0.1:9/', '', '###', '# @name me', 'GET http://127.0.0.1:9/?id={{x.response.body.$.id}}', ''].join('\n'),
    });
    expect(located(diagnostics, 'resolve/unknown-request')).toEqual([
      'a.http:6:28: {{x.response.body.$.id}} refers to a request named "x", and there is none in this file',
    ]);
    expect(hintOf(diagnostics, 'resolve/unknown-request')).toBe('requests in this file: login, me');
  });

  test('with no named request, the reference is still named and placed', async () => {
    const { diagnostics } = await runFiles({ 'a.http': 'GET http://127.0.0.1:9/?id={{x.response.body.$.id}}\n' });
    expect(located(diagnostics, 'resolve/unknown-request')).toEqual([
      'a.http:1:28: {{x.response.body.$.id}} refers to a request named "x", and there is none in this file',
    ]);
    // The request's `METHOD URL` name cannot be spelled in a placeholder: it is no help.
    expect(hintOf(diagnostics, 'resolve/unknown-request')).toBe('name a request with # @name');
  });

  test('a script expression in {{ }} is never evaluated', async () => {
    const { diagnostics } = await runFiles({ 'a.http': 'GET http://127.0.0.1:9/?n={{1 + 2}}\n' });
    expect(located(diagnostics, 'resolve/expression')).toEqual([
      'a.http:1:27: {{1 + 2}} is a script expression; httprun never evaluates code in {{ }}',
    ]);
    expect(hintOf(diagnostics, 'resolve/expression')).toBe('use a plain variable name, a request reference or a $dynamic variable');
  });

  test('variables nested deeper than the limit stop with a message, not a stack overflow', async () => {
    const lines = ['@v0 = end'];
    for (let i = 1; i <= 80; i++) lines.push(`@v${i} = {{v${i - 1}}}`);
    lines.push('', 'GET http://127.0.0.1:9/?v={{v80}}', '');
    const { diagnostics } = await runFiles({ 'a.http': lines.join('\n') });
    const messages = diagnostics.filter((d) => d.code === 'resolve/variable-cycle').map((d) => d.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toMatch(/^variables nested deeper than \d+ levels$/);
  });

  test('a property of a variable that is not JSON: the hint says what {{name.key}} reads', async () => {
    const { diagnostics } = await runFiles({ 'a.http': '@user = plain text\n\nGET http://127.0.0.1:9/?id={{user.id}}\n' });
    const found = diagnostics.find((d) => d.code === 'resolve/undefined-variable');
    expect(found?.message).toMatch(/^undefined variable \{\{user\.id\}\}: \{\{user\}\} /);
    expect(`${found?.span.start.line}:${found?.span.start.column}`).toBe('3:28');
    expect(found?.hint).toBe('{{user.key}} reads a property of a variable that holds a JSON object or array');
  });

  test('an undefined variable with no environment to choose: the hint names the three ways to define it', async () => {
    const { diagnostics } = await runFiles({ 'a.http': 'GET http://127.0.0.1:9/?q={{zzqqxx}}\n' });
    expect(located(diagnostics, 'resolve/undefined-variable')).toEqual(['a.http:1:27: undefined variable {{zzqqxx}}']);
    expect(hintOf(diagnostics, 'resolve/undefined-variable')).toBe(
      'define it with @zzqqxx = ... in the file, in an environment file, or with --var zzqqxx=...',
    );
  });
});

describe('run: constructs that parse but do not run', () => {
  test('a gRPC proto line is skipped with a warning', async () => {
    const { diagnostics } = await runFiles({ 'a.http': 'proto < ./hello.proto\nGET http://127.0.0.1:9/\n' });
    expect(located(diagnostics, 'run/grpc-proto-skipped')).toEqual(['a.http:1:1: gRPC is not supported; this line is ignored']);
    expect(diagnostics.find((d) => d.code === 'run/grpc-proto-skipped')?.severity).toBe('warning');
  });

  test('a script in a block without a request is not run, and says so', async () => {
    const { diagnostics } = await runFiles({ 'a.http': '< {% client.global.set("x", 1) %}\n###\nGET http://127.0.0.1:9/\n' });
    expect(located(diagnostics, 'run/script-skipped')).toEqual(['a.http:1:1: a script outside any request is not run']);
  });
});

describe('prepare request', () => {
  test('a variable that renders to a header line without a colon', async () => {
    const { result, diagnostics } = await runFiles({ 'a.http': '@h = oops\n\nGET http://127.0.0.1:9/\n{{h}}\nAccept: text/plain\n' });
    expect(located(diagnostics, 'resolve/header-line')).toEqual([
      'a.http:4:1: the variable on this line gave "oops", which is not a header "Name: value"',
    ]);
    expect(result.files[0]?.error).toBe('a.http:4:1: the variable on this line gave "oops", which is not a header "Name: value"');
  });

  test('an origin-form target with no host: the hint names the three ways to give one', async () => {
    const { diagnostics } = await runFiles({ 'a.http': 'GET /path\n' });
    expect(located(diagnostics, 'resolve/no-host')).toEqual(['a.http:1:1: the request target /path has no host']);
    expect(hintOf(diagnostics, 'resolve/no-host')).toBe('write an absolute URL, add a Host: header, or define @host = http://...');
  });

  test('a body file outside the project is sent, with a warning that gives its full path', async () => {
    const url = await ok();
    const shared = mkdtempSync(join(tmpdir(), 'httprun-h34-outside-'));
    writeFileSync(join(shared, 'body.json'), '{"from":"outside"}');
    const { result, diagnostics } = await runFiles({ 'a.http': `POST ${url}/\n\n< ${shared}/body.json\n` });
    expect(located(diagnostics, 'resolve/file-outside-project')).toEqual([
      `a.http:3:1: the body file ${shared}/body.json is outside the project (${join(shared, 'body.json')})`,
    ]);
    expect(result.files[0]?.requests[0]?.outcome).toBe('passed');
    expect(server!.requests[0]?.body.toString()).toBe('{"from":"outside"}');
  });
});

describe('execute: headers the client drops', () => {
  test('an Expect other than 100-continue is dropped with a warning on the request line', async () => {
    const url = await ok();
    const { result, logs } = await runFiles({ 'a.http': `GET ${url}/\nExpect: 200-ok\n` });
    expect(logs).toContain('a.http:1: warning: header Expect: 200-ok dropped: only 100-continue is supported');
    expect(server!.requests[0]?.headers.expect).toBeUndefined();
    expect(result.files[0]?.requests[0]?.outcome).toBe('passed');
  });

  test('a second Host header is dropped with a warning that quotes it', async () => {
    const url = await ok();
    const host = new URL(url).host;
    const { logs } = await runFiles({ 'a.http': `GET ${url}/\nHost: ${host}\nHost: other.test\n` });
    expect(logs).toContain('a.http:1: warning: header Host written twice: the second one (other.test) was dropped');
    expect(server!.requests[0]?.headers.host).toBe(host);
  });

  test('Proxy-Authorization written in the file is not sent through a proxy', async () => {
    const url = await ok();
    const proxy = await connectProxy();
    const { logs } = await runFiles(
      { 'a.http': `GET ${url}/\nProxy-Authorization: Basic dTpw\n` },
      { processEnv: { HTTP_PROXY: proxy.url } },
    );
    expect(logs).toContain('a.http:1: warning: header Proxy-Authorization dropped: credentials for the proxy belong in its URL');
    expect(proxy.tunnels).toEqual([new URL(url).host]);
    expect(server!.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });
});

describe('execute: redirects', () => {
  async function redirectingTo(location: string): Promise<string> {
    server = await serve((_request, response) => {
      response.writeHead(302, { location }).end();
    });
    return server.url;
  }

  test('a Location that is not a URL errors the request and quotes it', async () => {
    const url = await redirectingTo('http://[bad/');
    const { result } = await runFiles({ 'a.http': `GET ${url}/\n` });
    expect(result.files[0]?.requests[0]?.outcome).toBe('errored');
    expect(result.files[0]?.requests[0]?.error).toBe('invalid redirect Location: http://[bad/');
  });

  test('a Location to another scheme is not followed', async () => {
    const url = await redirectingTo('ftp://127.0.0.1/file');
    const { result } = await runFiles({ 'a.http': `GET ${url}/\n` });
    expect(result.files[0]?.requests[0]?.error).toBe('redirect to an unsupported URL: ftp://127.0.0.1/file');
    expect(server!.requests).toHaveLength(1);
  });
});

describe('execute: saving the response', () => {
  test('a save path under a file (not a folder) errors the request with the path', async () => {
    const url = await ok();
    const { result, root } = await runFiles({ 'a.http': `GET ${url}/\n\n>> blocker/out.json\n`, blocker: 'a file' });
    const error = result.files[0]?.requests[0]?.error ?? '';
    expect(error).toBe(`cannot save the response to ${join(root, 'blocker', 'out.json')}: ${join(root, 'blocker')} is a file, not a folder`);
    expect(result.files[0]?.requests[0]?.outcome).toBe('errored');
  });

  test('overwriting a folder with >>! errors the request with the path', async () => {
    const url = await ok();
    const { result, root } = await runFiles({ 'a.http': `GET ${url}/\n\n>>! out\n`, 'out/keep.txt': 'x' });
    const error = result.files[0]?.requests[0]?.error ?? '';
    expect(error).toBe(`cannot save the response to ${join(root, 'out')}: it is a directory`);
  });
});

describe('execute: errors only a network or undici itself can cause (mapError with the error Node gives)', () => {
  const context = { host: 'api.test', port: '443', connectionTimeoutMs: 10_000, receivingBody: false };
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  test('no route to the host', () => {
    expect(mapError(coded('EHOSTUNREACH'), context)).toEqual({ kind: 'connect', message: 'host unreachable: api.test:443' });
    expect(mapError(coded('ENETUNREACH'), context).message).toBe('host unreachable: api.test:443');
  });

  test('certificate problems a local CA cannot easily produce, each named with its code and the way out', () => {
    // --cacert helps only when the issuer is unknown; no CA mends a certificate's dates or signature.
    const trust = 'trust it with --cacert FILE or skip checks with --insecure';
    const insecure = 'only --insecure (or # @insecure) gets past it';
    const reasons = {
      CERT_NOT_YET_VALID: ['certificate not yet valid', insecure],
      CERT_UNTRUSTED: ['untrusted certificate', trust],
      CERT_REVOKED: ['certificate revoked', insecure],
      CERT_SIGNATURE_FAILURE: ['invalid certificate signature', insecure],
    };
    for (const [code, [reason, hint]] of Object.entries(reasons)) {
      expect(mapError(coded(code), context)).toEqual({ kind: 'tls', message: `TLS: ${reason} (${code}) for api.test:443; ${hint}` });
    }
  });

  test('a request body that changes size while it is sent', () => {
    expect(mapError(coded('UND_ERR_REQ_CONTENT_LENGTH_MISMATCH'), context)).toEqual({ kind: 'io', message: 'request body changed size while it was sent' });
  });

  test('TLS to an https proxy failing without a cause keeps undici\'s reason', () => {
    expect(mapError(coded('UND_ERR_PRX_TLS', 'handshake failed'), context)).toEqual({ kind: 'tls', message: 'TLS to the proxy failed: handshake failed' });
  });
});

describe('assert', () => {
  async function answering(contentType: string, body: string): Promise<string> {
    server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': contentType }).end(body);
    });
    return server.url;
  }

  test('a JSON body with a missing colon: the assertion fails with the parser\'s reason and the body\'s start', async () => {
    const url = await answering('application/json', '{"a" 1}');
    const { result } = await runFiles({ 'a.http': `GET ${url}/\n\n?? jsonpath $.a == 1\n` });
    const [assertion] = result.files[0]?.requests[0]?.assertions ?? [];
    expect(assertion?.passed).toBe(false);
    expect(assertion?.message).toBe('jsonpath $.a: the body is not JSON (Expected \':\' after property name in JSON at position 5); it starts with "{\\"a\\" 1}"');
  });

  test('xpath on an HTML response of plain text says it has no element, not that it is bad XML', async () => {
    const url = await answering('text/html; charset=utf-8', 'just words');
    const { result } = await runFiles({ 'a.http': `GET ${url}/\n\n?? xpath //p exists\n` });
    const [assertion] = result.files[0]?.requests[0]?.assertions ?? [];
    expect(assertion?.passed).toBe(false);
    expect(assertion?.message).toBe('xpath //p: the body has no root element, not XML or HTML');
  });

  test('xpath with an empty expression is a syntax error at the expression', async () => {
    const { result, diagnostics } = await runFiles({ 'a.http': 'GET http://127.0.0.1:9/\n\n?? xpath "" exists\n' });
    expect(located(diagnostics, 'assert/syntax')).toEqual(['a.http:3:10: expected an XPath expression']);
    expect(result.files[0]?.requests).toEqual([]);
  });
});

describe('config: .vscode/settings.json syntax', () => {
  async function firstError(text: string): Promise<string[]> {
    const { diagnostics } = await runFiles({ 'a.http': 'GET http://127.0.0.1:9/\n', '.vscode/settings.json': text });
    return located(diagnostics, 'config/invalid-json');
  }

  test('a character JSON does not have', async () => {
    expect(await firstError('{ "a": @ }')).toEqual(['.vscode/settings.json:1:8: .vscode/settings.json is not valid JSON: unexpected character, found "@"']);
  });

  test('a number cut short', async () => {
    expect(await firstError('{ "a": 1e }')).toEqual(['.vscode/settings.json:1:8: .vscode/settings.json is not valid JSON: unterminated number, found "1e"']);
  });

  test('an escape JSON does not have', async () => {
    expect(await firstError('{ "a": "\\q" }')).toEqual([
      '.vscode/settings.json:1:8: .vscode/settings.json is not valid JSON: invalid escape in a string, found "\\"\\\\q\\""',
    ]);
  });
});

describe('run: dependencies', () => {
  test('a request whose dependency was skipped is skipped too, and says which and why', async () => {
    const url = await ok();
    const { result } = await runFiles({
      'a.http': [
        '# @name c',
        'GET http://127.0.0.1:9/',
        '',
        '###',
        '# @name b',
        `GET ${url}/?x={{c.response.body.$.id}}`,
        '',
        '###',
        '# @name a',
        `GET ${url}/?x={{b.response.body.$.id}}`,
        '',
      ].join('\n'),
    });
    const requests = result.files[0]?.requests.map((r) => [r.name, r.outcome, r.error]);
    expect(requests).toEqual([
      ['c', 'errored', 'connection refused: 127.0.0.1:9'],
      ['b', 'skipped', 'depends on "c" (line 2), which errored'],
      ['a', 'skipped', 'depends on "b" (line 6), which was skipped'],
    ]);
    expect(server!.requests).toHaveLength(0);
  });

  test('a dependency from an imported file is named with its file, not a line of this one', async () => {
    const url = await ok();
    const { result } = await runFiles({
      'a.http': `import ./auth.http\n\n###\nGET ${url}/a?t={{login.response.body.$.id}}\n`,
      'auth.http': '# @name login\nGET http://127.0.0.1:9/\n',
    });
    expect(result.files[0]?.requests.map((r) => [r.name, r.outcome, r.error])).toEqual([
      ['login', 'errored', 'connection refused: 127.0.0.1:9'],
      [`GET ${url}/a?t={{login.response.body.$.id}}`, 'skipped', 'depends on "login" (auth.http:2), which errored'],
    ]);
  });
});

describe('config: httprun.yaml', () => {
  test('a YAML value of a type httprun has no word for (a !!binary) is named as unsupported, at the value', async () => {
    const { result, diagnostics } = await runFiles({ 'a.http': 'GET http://127.0.0.1:9/\n', 'httprun.yaml': 'defaults:\n  timeout: !!binary aGk=\n' });
    expect(located(diagnostics, 'config/invalid-duration')).toEqual([
      'httprun.yaml:2:21: defaults.timeout must be a duration such as 10s, 500ms or 2m, got an unsupported value',
    ]);
    expect(result.files[0]?.requests).toEqual([]);
  });
});

describe('input files', () => {
  // root reads any file whatever its mode: there the file system cannot produce EACCES.
  const root = process.getuid?.() === 0;

  test.skipIf(root)('a request file nobody may read: the file, then "permission denied"', async () => {
    const folder = project({ 'a.http': 'GET http://127.0.0.1:9/\n' });
    chmodSync(join(folder, 'a.http'), 0o000);
    const result = await run([join(folder, 'a.http')], { cwd: folder, processEnv: {} });
    expect(result.files[0]?.error).toBe('a.http:1:1: cannot read a.http: permission denied');
  });

  test('a request file that turned into a folder between listing and reading: "cannot read", then why', async () => {
    const folder = project({ 'a.http/keep.txt': 'x' });
    const checked = await checkFile({ path: join(folder, 'a.http'), display: 'a.http' }, defaultRunOptions({ cwd: folder }), NO_SELECTION);
    expect(located(checked.diagnostics, 'input/unreadable')).toEqual(['a.http:1:1: cannot read a.http: it is a directory']);
  });

  test('EACCES and EPERM read as "permission denied" in every "cannot read" message', () => {
    expect(describeIoError(Object.assign(new Error("EACCES: permission denied, open 'a.http'"), { code: 'EACCES' }))).toBe('permission denied');
    expect(describeIoError(Object.assign(new Error("EPERM: operation not permitted, open 'a.http'"), { code: 'EPERM' }))).toBe('permission denied');
  });
});

describe('cli', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'ignore' });
  });

  test('a selection that matches no request names the selection and exits 2', async () => {
    const root = project({ 'a.http': '# @name one\nGET http://127.0.0.1:9/\n' });
    const { code, stderr } = await runCli(['a.http', '--name', 'two', '--tag', 'smoke'], { cwd: root });
    expect(stderr).toContain('httprun: the selection (--name two --tag smoke) matches no request\n');
    expect(code).toBe(2);
  });
});

describe('cli arguments', () => {
  test('--var without "=" says the form it expects', () => {
    expect(() => parseCliArgs(['run', 'a.http', '--var', 'token'])).toThrow('--var expects name=value, got "token"');
  });

  test('--format other than text or json', () => {
    expect(() => parseCliArgs(['run', 'a.http', '--format', 'xml'])).toThrow('--format expects text or json, got "xml"');
  });

  test('an unknown option points to --help', () => {
    expect(() => parseCliArgs(['run', 'a.http', '--frobnicate'])).toThrow('unknown option --frobnicate (see httprun --help)');
  });
});
