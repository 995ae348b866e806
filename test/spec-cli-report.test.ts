import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parse, run } from '../src/index.js';
import { project, runCli } from './helpers/cli.js';
import { json, serve, type TestServer } from './helpers/server.js';

// SPEC §5.1 check, §5.2 exit codes, §5.4 the JSON report, §5.6 the library API and §7 "Results".

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Report {
  version: number;
  summary: Record<string, unknown> & { exitCode: number };
  files: { file: string; error: string | null; requests: { name: string; line: number; outcome: string; error: string | null; attempts: number }[] }[];
}
const readReport = (root: string, name: string): Report => JSON.parse(readFileSync(join(root, name), 'utf8')) as Report;

describe('the JSON report (SPEC §5.4, §7 Results)', () => {
  test('`file` is relative to the working directory, whatever form the path was given in', async () => {
    server = await serve((_request, response) => response.end('ok'));
    const root = project({ 'api/users.http': `GET ${server.url}/\n`, 'api/nested/x.http': `GET ${server.url}/\n` });
    await runCli([join(root, 'api/users.http'), './api/nested', '--jobs', '1', '--report-json', 'r.json'], { cwd: root });
    expect(readReport(root, 'r.json').files.map((f) => f.file)).toEqual(['api/users.http', 'api/nested/x.http']);
    await runCli(['../users.http', '--report-json', 'r.json'], { cwd: join(root, 'api/nested') });
    expect(readReport(join(root, 'api/nested'), 'r.json').files.map((f) => f.file)).toEqual(['../users.http']);
  });

  test('a request\'s `line` is its request line, below the ###, metadata, comments and variables above it', async () => {
    server = await serve((_request, response) => response.end('ok'));
    const root = project({
      'l.http': `### first\n# a comment\n// @name one\n@v = 1\n\nGET ${server.url}/{{v}}\n\n###\n\n\nPOST ${server.url}/\n`,
    });
    expect((await runCli(['l.http', '--report-json', 'r.json'], { cwd: root })).code).toBe(0);
    expect(readReport(root, 'r.json').files[0]!.requests.map((r) => [r.name, r.line])).toEqual([
      ['one', 6],
      [`POST ${server.url}/`, 11],
    ]);
  });

  test('every report path is relative to the working directory, folders are created, and all are written on failure', async () => {
    server = await serve((_request, response) => response.writeHead(500).end());
    const root = project({ 'f.http': `GET ${server.url}/\n\n?? status == 200\n` });
    const paths = ['out/a/r.json', 'out/b/junit.xml', 'out/c/r.tap', 'out/d/e/r.html'];
    const { code } = await runCli(
      ['f.http', '--report-json', paths[0]!, '--report-junit', paths[1]!, '--report-tap', paths[2]!, '--report-html', paths[3]!],
      { cwd: root },
    );
    expect(code).toBe(1);
    for (const path of paths) expect(existsSync(join(root, path)), path).toBe(true);
    expect(readReport(root, paths[0]!).summary.exitCode).toBe(1);
    expect(readFileSync(join(root, paths[1]!), 'utf8')).toContain('<testcase');
    expect(readFileSync(join(root, paths[2]!), 'utf8')).toMatch(/^TAP version 13/);
  });

  test('`error` is one line or null; skipped requests say why; `attempts` counts every try', async () => {
    server = await serve((_request, response) => response.writeHead(200).end('ok'));
    const root = project({
      'e.http': [
        '### login',
        'POST http://127.0.0.1:9/login',
        '',
        '### me',
        `GET ${server.url}/me?t={{login.response.body.$.token}}`,
        '',
        '### fine',
        `GET ${server.url}/fine`,
        '',
      ].join('\n'),
      'bad.http': 'GET http://127.0.0.1:9/\nnot a header\n\n###\nGET http://127.0.0.1:9/\nnor this\n',
    });
    const { code } = await runCli(['e.http', 'bad.http', '--jobs', '1', '--report-json', 'r.json'], { cwd: root });
    expect(code).toBe(2);
    const report = readReport(root, 'r.json');
    const [file, bad] = report.files;
    expect(file!.error).toBeNull();
    expect(file!.requests.map((r) => [r.name, r.outcome])).toEqual([['login', 'errored'], ['me', 'skipped'], ['fine', 'passed']]);
    expect(file!.requests[0]!.error).toBe('connection refused: 127.0.0.1:9');
    expect(file!.requests[1]!.error).toMatch(/login/);
    expect(file!.requests[2]!.error).toBeNull();
    expect(file!.requests.map((r) => r.attempts)).toEqual([1, 0, 1]);
    // A file that did not parse: error set, on one line, and no requests.
    expect(bad!.requests).toEqual([]);
    expect(bad!.error).toMatch(/^bad\.http:2:1: .+ \(and 1 more\)$/);
    for (const text of [file!.requests[0]!.error, file!.requests[1]!.error, bad!.error]) expect(text).not.toContain('\n');
    expect(report.summary).toMatchObject({ files: 2, requests: 3, passed: 1, failed: 0, errored: 1, skipped: 1, exitCode: 2 });
  });
});

describe('check (SPEC §5.1, §5.2)', () => {
  test('warnings alone exit 0; errors exit 2; nothing is sent', async () => {
    server = await serve((_request, response) => response.end());
    const root = project({
      'warn.http': `# @frobnicate yes\nGET ${server.url}/\n`,
      'err.http': `GET ${server.url}/{{nope}}\n`,
    });
    const warn = await runCli(['check', 'warn.http'], { cwd: root });
    expect(warn.code).toBe(0);
    expect(warn.stdout).toContain('warn.http:1:3: warning: unknown metadata `@frobnicate`');
    const err = await runCli(['check', 'err.http', 'warn.http'], { cwd: root });
    expect(err.code).toBe(2);
    expect(err.stdout).toMatch(/err\.http:1:\d+: error: undefined variable \{\{nope\}\}/);
    expect(server.requests).toHaveLength(0);
  });

  test('--format json gives versioned diagnostics with severity, code, message and a span', async () => {
    const root = project({ 'c.http': '# @frobnicate yes\nGET http://127.0.0.1:9/{{a}}\n\n###\nGET http://127.0.0.1:9/\nnot a header\n' });
    const { code, stdout } = await runCli(['check', 'c.http', '--format', 'json'], { cwd: root });
    expect(code).toBe(2);
    const out = JSON.parse(stdout) as { version: number; files: number; errors: number; warnings: number; diagnostics: { severity: string; code: string; message: string; span: { file: string; start: { line: number; column: number }; end: { line: number; column: number } } }[] };
    expect(out).toMatchObject({ version: 1, files: 1, errors: 2, warnings: 1 });
    expect(out.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'warning', code: 'syntax/unknown-metadata', span: expect.objectContaining({ file: 'c.http', start: expect.objectContaining({ line: 1, column: 3 }) }) }),
        expect.objectContaining({ severity: 'error', code: 'syntax/expected-header', span: expect.objectContaining({ start: expect.objectContaining({ line: 6, column: 1 }) }) }),
        expect.objectContaining({ severity: 'error', code: 'resolve/undefined-variable', message: 'undefined variable {{a}}', span: expect.objectContaining({ start: expect.objectContaining({ line: 2 }) }) }),
      ]),
    );
  });

  test('check with no file matched, or an unknown --env, exits 2', async () => {
    const root = project({ 'a.http': 'GET http://127.0.0.1:9/\n', 'http-client.env.json': '{"dev": {}}' });
    expect((await runCli(['check', 'nothing.http'], { cwd: root })).code).toBe(2);
    const env = await runCli(['check', 'a.http', '--env', 'prod'], { cwd: root });
    expect(env.code).toBe(2);
    expect(env.stdout).toContain('error: unknown environment "prod" (--env prod); defined: dev [config/unknown-environment]');
    // An env file's lines are not quoted (they may hold secrets), and no empty line with a caret stands in for them.
    expect(env.stdout).not.toMatch(/^\s+\|\s+\^/m);
    expect(env.stdout).toContain('hint: pick one of them with --env NAME');
  });
});

describe('library API (SPEC §5.6)', () => {
  test('parse(text, {file}) returns the AST with spans and the diagnostics', () => {
    const { ast, diagnostics } = parse('### one\nGET http://x/a\n\n###\nGET http://x/b\nnot a header\n', { file: 'users.http' });
    expect(ast.requests).toHaveLength(2);
    expect(ast.requests[0]!.span.file).toBe('users.http');
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', span: expect.objectContaining({ file: 'users.http', start: expect.objectContaining({ line: 6, column: 1 }) }) }),
    ]);
  });

  test('run() accepts paths and {file, text}, and returns what the JSON report serialises', async () => {
    server = await serve((request, response) => json(response, 200, { url: request.url }));
    const root = project({ 'api/a.http': `GET ${server.url}/from-path\n\n?? status == 200\n` });
    const fromPath = await run([join(root, 'api')], { cwd: root, jobs: 1 });
    expect(fromPath).toMatchObject({
      version: 1,
      summary: { files: 1, requests: 1, passed: 1, exitCode: 0 },
      files: [{ file: 'api/a.http', error: null, requests: [{ outcome: 'passed', line: 1, status: 200 }] }],
    });
    const fromText = await run([{ file: 'inline.http', text: `GET ${server.url}/from-text\n\n?? body $.url == /from-text\n` }], { cwd: root });
    expect(fromText.summary).toMatchObject({ requests: 1, passed: 1, exitCode: 0 });
    expect(fromText.files[0]!.file).toBe('inline.http');
    const failing = await run({ file: 'f.http', text: `GET ${server.url}/x\n\n?? status == 201\n` }, { cwd: root });
    expect(failing.summary.exitCode).toBe(1);
    expect(server.requests.map((r) => r.url)).toEqual(['/from-path', '/from-text', '/x']);
  });
});
