// Coverage audit (h38) of src/report, src/script, src/cli, src/watch and src/plan: each test reaches a
// line or branch no other in-process test ran, from the input a user would give, and reads the result.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseCliArgs, UsageError } from '../src/cli/args.js';
import { main } from '../src/cli/main.js';
import type { RunEvent } from '../src/run/events.js';
import { run } from '../src/run/run.js';
import type { RunResult } from '../src/run/result.js';
import { createConsoleReporter } from '../src/report/console.js';
import { summariseFailure, describeFailure } from '../src/report/failure-text.js';
import { formatDuration } from '../src/report/format-value.js';
import { renderGithubAnnotations } from '../src/report/github-annotations.js';
import { renderHtml } from '../src/report/html.js';
import { renderJunit } from '../src/report/junit.js';
import { renderTap } from '../src/report/tap.js';
import { writeReports } from '../src/report/write-reports.js';
import { compileScript } from '../src/script/compile-script.js';
import { renderScreen } from '../src/watch/watch-screen.js';
import { serve, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(handler: Parameters<typeof serve>[0]): Promise<TestServer> {
  const started = await serve(handler);
  servers.push(started);
  return started;
}

function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('command-line arguments (parsed in-process; the CLI tests run them in a child process)', () => {
  test('every flag is read into its option', () => {
    const args = parseCliArgs([
      'watch', 'api.http', '-e', 'dev', '--var', 'token = abc=def', '--name', 'login', '--line', '12',
      '--tag', 'smoke, slow', '--tag', 'auth', '-j', '2', '--shard', '2/3', '--bail', '--retry', '0',
      '--retry-interval', '250ms', '--timeout', '2m', '--connection-timeout', '5s', '--max-redirects', '3',
      '--max-body', '1KiB', '--no-redirect', '-k', '--http2', '--cacert', 'ca.pem', '--dry-run', '-v', '-q',
      '--no-color', '--report-json', 'r.json', '--report-junit', 'r.xml', '--report-tap', 'r.tap',
      '--report-html', 'r.html', '--format', 'json', '--once', '--debug',
    ]);
    expect(args).toEqual({
      command: 'watch', paths: ['api.http'], env: 'dev', vars: { token: ' abc=def' }, names: ['login'], lines: [12],
      tags: ['smoke', 'slow', 'auth'], jobs: 2, shard: { index: 2, total: 3 }, bail: true, retry: 0,
      retryInterval: 250, timeout: 120_000, connectionTimeout: 5000, maxRedirects: 3, maxBody: 1024,
      noRedirect: true, insecure: true, http2: true, caCert: 'ca.pem', dryRun: true, verbose: true, quiet: true,
      color: false, reports: { json: 'r.json', junit: 'r.xml', tap: 'r.tap', html: 'r.html' }, format: 'json',
      once: true, debug: true,
    });
    expect(parseCliArgs(['--color']).color).toBe(true);
    expect(parseCliArgs([]).color).toBeNull();
    expect(parseCliArgs(['api.http']).command).toBe('run');
    expect(parseCliArgs(['check', '-V']).command).toBe('version');
    expect(parseCliArgs(['run', '--help', '-V']).command).toBe('help');
    expect(parseCliArgs(['help']).command).toBe('help');
  });

  test('each bad value says which flag, what it expects and what it got', () => {
    expect(usageError(['--var', '=x'])).toBe('--var expects name=value, got "=x"');
    expect(usageError(['--var', 'x'])).toBe('--var expects name=value, got "x"');
    expect(usageError(['--format', 'xml'])).toBe('--format expects text or json, got "xml"');
    expect(usageError(['--line', '0'])).toBe('--line expects a whole number of 1 or more, got "0"');
    expect(usageError(['--jobs', 'many'])).toBe('--jobs expects a whole number of 1 or more, got "many"');
    expect(usageError(['--retry', 'twice'])).toBe('--retry expects a whole number, got "twice"');
    expect(usageError(['--max-redirects', '2.5'])).toBe('--max-redirects expects a whole number, got "2.5"');
    expect(usageError(['--timeout', 'soon'])).toBe('--timeout expects a duration such as 500ms, 10s or 2m, got "soon"');
    expect(usageError(['--retry-interval', '1 fortnight'])).toBe(
      '--retry-interval expects a duration such as 500ms, 10s or 2m, got "1 fortnight"',
    );
    expect(usageError(['--connection-timeout', 'x'])).toBe('--connection-timeout expects a duration such as 500ms, 10s or 2m, got "x"');
    expect(usageError(['--max-body', 'lots'])).toBe('--max-body expects a size such as 64MiB, 512KB or 1048576, got "lots"');
    for (const shard of ['3/2', '0/2', '1/0', 'half']) {
      expect(usageError(['--shard', shard])).toBe(`--shard expects i/n with 1 <= i <= n (e.g. 2/3), got "${shard}"`);
    }
  });

  test("node's parseArgs errors are rewritten for people", () => {
    expect(usageError(['--all'])).toBe(
      'unknown option --all: httprun runs every request of the files it is given (select with --name, --line or --tag)',
    );
    expect(usageError(['--bogus'])).toBe('unknown option --bogus (see httprun --help)');
    expect(usageError(['--env'])).toBe('--env needs a value');
    expect(usageError(['-e'])).toBe('--env needs a value');
    // Any other parseArgs error keeps node's text, without its advice about positionals.
    expect(usageError(['--bail=yes'])).toBe("Option '--bail' does not take an argument");
  });
});

const SELECTION_FILE = `### first
# @name first
# @tag smoke, slow
GET http://127.0.0.1:1/first

### second
# @name second
# @tags auth
GET http://127.0.0.1:1/second

### third
# @name third
GET http://127.0.0.1:1/third
`;

describe('selection (plan-file: names, lines, tags)', () => {
  const names = async (options: { names?: string[]; lines?: number[]; tags?: string[] }) => {
    const result = await run({ file: 'api.http', text: SELECTION_FILE }, { dryRun: true, cwd: tmpdir(), ...options });
    return result.files[0]!.requests.map((request) => request.name);
  };

  test('--name, --line (any line of the request) and --tag (@tag or @tags, comma or space separated)', async () => {
    expect(await names({})).toEqual(['first', 'second', 'third']);
    expect(await names({ names: ['third'] })).toEqual(['third']);
    expect(await names({ lines: [9] })).toEqual(['second']);
    expect(await names({ lines: [1] })).toEqual(['first']);
    expect(await names({ tags: ['slow'] })).toEqual(['first']);
    expect(await names({ tags: ['auth'] })).toEqual(['second']);
    expect(await names({ tags: ['nothing'] })).toEqual([]);
    expect(await names({ names: ['first'], tags: ['auth'] })).toEqual(['first', 'second']);
  });
});

describe('scripts', () => {
  test('a script whose first line opens with --> fails to compile at the right column (it did point 27 columns right)', () => {
    // `-->` at the start of a line is an HTML-like comment in a function body, so the first check
    // passes; after the wrapper's prefix on the same line it is `--` then `>`. The caret V8 draws
    // counts the prefix, which the column must not.
    expect(compileScript('--> note\nclient.log(1)', { file: 'api.http', line: 10, column: 4 })).toEqual({
      problem: { line: 10, column: 6, message: "syntax error in JetBrains script: Unexpected token '>'" },
    });
    // On a later line it is a comment in both, as JavaScript says.
    expect(compileScript('let a = 1;\n--> note\nclient.log(a)', { file: 'api.http', line: 10, column: 4 })).toHaveProperty('script');
  });
});

const SCRIPT_FILE = `### one
# @name one
GET {{base}}/b

> {% --> note
client.test("ok", () => {});
%}

### two
# @name two
GET {{base}}/a
`;

describe('reports of a run against a real server', () => {
  const redirecting = () =>
    server((request, response) => {
      if (request.url === '/a') response.writeHead(302, { location: '/b' }).end();
      else response.writeHead(200).end('ok');
    });

  test('a request failed by its script (no assertion failed) says why in every report; a redirect shows in HTML', async () => {
    const api = await redirecting();
    const result = await run({ file: 'api.http', text: SCRIPT_FILE }, { cwd: tmpdir(), vars: { base: api.url } });
    const [one, two] = result.files[0]!.requests;
    const why = "api.http:5:8: syntax error in JetBrains script: Unexpected token '>'";
    expect(one).toMatchObject({ name: 'one', outcome: 'failed', error: why, assertions: [] });
    expect(summariseFailure(one!)).toBe(why);
    expect(describeFailure(result.files[0]!, one!)).toBe(`api.http:3  failed: ${why}`);
    expect(renderGithubAnnotations(result)).toEqual([`::error file=api.http,line=3,title=one%3A failed::${why}`]);
    expect(renderTap(result)).toContain(`not ok 1 - api.http › one\n  ---\n  message: "api.http:3  failed: ${why}"`);
    expect(renderJunit(result)).toContain(`<failure message="${why.replace('>', '&gt;')}" type="assertion">api.http:3  failed: `);

    expect(two).toMatchObject({ name: 'two', outcome: 'passed', url: `${api.url}/b`, redirects: [`${api.url}/a`] });
    expect(renderHtml(result)).toContain(`<p class="redirects">redirected from <code>${api.url}/a</code></p>`);
  });

  test('a file error without a file:line prefix (an unreadable CA certificate) is annotated without a line', async () => {
    const result = await run({ file: 'api.http', text: 'GET http://127.0.0.1:1/\n' }, { cwd: tmpdir(), caCert: 'missing-ca.pem' });
    expect(result.files).toEqual([
      { file: 'missing-ca.pem', error: 'cannot read the CA certificate missing-ca.pem: no such file', requests: [] },
    ]);
    expect(renderGithubAnnotations(result)).toEqual([
      '::error file=missing-ca.pem,title=httprun%3A file not run::cannot read the CA certificate missing-ca.pem: no such file',
    ]);
  });

  test('the watch screen says why a request was skipped', async () => {
    const api = await server((_request, response) => response.writeHead(200).end('ok'));
    const text = `### one\n# @name one\nGET ${api.url}/b\n\n?? status == 500\n\n### two\n# @name two\nGET ${api.url}/b\n`;
    const result = await run({ file: 'api.http', text }, { cwd: tmpdir(), bail: true });
    const screen = renderScreen({ files: result.files, diagnostics: new Map(), status: 'x', color: false });
    expect(screen).toContain('\n  - skipped  two  (cancelled by --bail)\n');
  });
});

describe('console progress line on a terminal', () => {
  test('redraws on its timer between events (elapsed time in minutes past 60 s) and stops at the end', async () => {
    let clock = 1_000_000;
    const written: string[] = [];
    const reporter = createConsoleReporter({
      write: (text) => written.push(text), color: false, quiet: false, verbose: false, tty: true,
      cwd: tmpdir(), now: () => clock, refreshMs: 5,
    });
    const start: RunEvent = { type: 'run-start', files: ['api.http'] };
    reporter.onEvent?.(start);
    expect(written).toEqual(['… 0/1 files · 0 requests · 0 failed · 0 ms']);
    clock += 125_000;
    await new Promise((done) => setTimeout(done, 60));
    expect(written).toContain('… 0/1 files · 0 requests · 0 failed · 2 m 05 s');
    const empty: RunResult = await run([], { cwd: mkdtempSync(join(tmpdir(), 'httprun-h38-')) });
    await reporter.onEnd(empty);
    const count = written.length;
    clock += 1000;
    await new Promise((done) => setTimeout(done, 40));
    expect(written.length).toBe(count);
    expect(formatDuration(59_999)).toBe('60.00 s');
    expect(formatDuration(60_000)).toBe('1 m 00 s');
  });
});

describe('script compilation details', () => {
  test('an escaped backtick inside a template does not end it: the async in its text is not code', () => {
    const origin = { file: 'api.http', line: 3, column: 1 };
    expect(compileScript('client.log(`a \\` async b`);', origin)).toHaveProperty('script');
    // The same word outside the template is refused, located in the file.
    expect(compileScript('client.log(`a \\``); async function f() {}', origin)).toEqual({
      problem: {
        line: 3,
        column: 21,
        message: 'async functions cannot run in JetBrains scripts under httprun: scripts run synchronously (a rejected promise would escape the script)',
      },
    });
  });

  test('the compile cache is bounded: after 500 distinct scripts (watch mode sees every edit) it starts over', () => {
    const origin = { file: 'h38-cache.http', line: 1, column: 1 };
    const first = compileScript('client.log(0)', origin);
    expect(compileScript('client.log(0)', origin)).toBe(first);
    for (let i = 1; i <= 500; i++) compileScript(`client.log(${i})`, origin);
    const again = compileScript('client.log(0)', origin);
    expect(again).not.toBe(first);
    expect(again).toHaveProperty('script');
  });
});

describe('report files', () => {
  // /proc exists (so the folder is there) but takes no new file, even from root: the temporary file
  // beside the target cannot be written. Node reports ENOENT as root ("no such file"), a permission code otherwise.
  test.skipIf(process.platform !== 'linux')(
    'a report whose temporary file cannot be written (a place that takes no new file) is a failure naming the report and the reason',
    async () => {
      const result: RunResult = await run([], { cwd: mkdtempSync(join(tmpdir(), 'httprun-h38-')) });
      const failures = await writeReports(result, { json: '/proc/h38-report.json' }, tmpdir());
      expect(failures).toHaveLength(1);
      expect(failures[0]!.path).toBe('/proc/h38-report.json');
      // The reason in words (describeIoError) since h44; EROFS has no words of ours and keeps Node's.
      expect(failures[0]!.message).toMatch(/^cannot write the json report to \/proc\/h38-report\.json: (no such file|permission denied|EROFS: .+)$/);
    },
  );
});

describe('watch screen and console, from real runs', () => {
  test('the watch screen lists passing files by name and shows a passing request of a failing file', async () => {
    const api = await server((_request, response) => response.writeHead(200).end('ok'));
    const ok = `GET ${api.url}/\n`;
    const mixed = `### fine\n# @name fine\nGET ${api.url}/\n\n### broken\n# @name broken\nGET ${api.url}/\n\n?? status == 201\n`;
    const result = await run(
      [{ file: 'zeta.http', text: ok }, { file: 'alpha.http', text: ok }, { file: 'mixed.http', text: mixed }],
      { cwd: tmpdir() },
    );
    const screen = renderScreen({ files: result.files, diagnostics: new Map(), status: 'x', color: false });
    const shown = screen.split('\n').filter((line) => /^\S/.test(line) && /\.http/.test(line));
    expect(shown).toEqual(['✗ mixed.http  1/2 passed', '✓ alpha.http  1/1 passed', '✓ zeta.http  1/1 passed']);
    expect(screen).toMatch(/\n {2}✓ passed {3}fine {2}200 {2}\d+ ms\n {2}✗ failed {3}broken {2}200 /);
  });

  test('console: an empty client.log prints nothing, a blank line inside one stays blank (not indented)', async () => {
    const api = await server((_request, response) => response.writeHead(200).end('ok'));
    const text = `GET ${api.url}/\n\n> {%\nclient.log("");\nclient.log("first\\n\\nthird");\n%}\n`;
    const written: string[] = [];
    const reporter = createConsoleReporter({
      write: (chunk) => written.push(chunk), color: false, quiet: false, verbose: false, tty: false, cwd: tmpdir(),
    });
    await run({ file: 'api.http', text }, { cwd: tmpdir(), reporters: [reporter] });
    const output = written.join('');
    // The empty log adds no line between the file's name and the next log.
    expect(output).toMatch(/^api\.http\n {4}first\n\n {4}third\n {2}✓ passed {3}GET /);
  });
});

describe('the CLI in-process (main)', () => {
  test('--cacert that cannot be read for another reason than a missing file or a folder names the code (a symlink loop)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'httprun-h38-'));
    symlinkSync('loop.pem', join(cwd, 'loop.pem'));
    writeFileSync(join(cwd, 'api.http'), 'GET http://127.0.0.1:1/\n');
    const stderr: string[] = [];
    const stdout: string[] = [];
    const code = await main({
      argv: ['api.http', '--cacert', 'loop.pem'], env: {}, cwd, isTTY: false,
      stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text),
    });
    expect(code).toBe(2);
    expect(stderr).toEqual(['httprun: --cacert cannot read "loop.pem": a loop of symbolic links\n']);
    expect(stdout).toEqual([]);
  });
});

describe('httprun demo (in-process)', () => {
  test('starts the bundled API on 127.0.0.1, says where, and runs requests/ against it: every request passes', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main({
      argv: ['demo', '--no-color', '--quiet'], env: {}, cwd: mkdtempSync(join(tmpdir(), 'httprun-h38-')), isTTY: false,
      stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text),
    });
    const output = stdout.join('');
    expect(stderr).toEqual([]);
    expect(output).toMatch(/^demo API listening on http:\/\/127\.0\.0\.1:\d+; running \S+\/requests\n/);
    expect(output).toMatch(/\n\d+ requests: (\d+) passed, 0 failed, 0 errored, 0 skipped/);
    expect(code).toBe(0);
  });
});

describe('httprun watch (in-process, not a terminal)', () => {
  test('runs at start, runs a saved file again with its new content, and exits 0 when stopped', async () => {
    const api = await server((_request, response) => response.writeHead(200).end('ok'));
    const cwd = mkdtempSync(join(tmpdir(), 'httprun-h38-'));
    writeFileSync(join(cwd, 'api.http'), `GET ${api.url}/first\n\n?? status == 200\n`);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const controller = new AbortController();
    const exited = main({
      argv: ['watch', 'api.http', '--no-color'], env: { CI: 'true' }, cwd, isTTY: false, signal: controller.signal,
      stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text),
    });
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 200 && !pattern.test(stdout.join('')); i++) await new Promise((done) => setTimeout(done, 25));
      expect(stdout.join('')).toMatch(pattern);
    };
    await waitFor(/watching api\.http — Ctrl-C to stop\n/);
    expect(stdout.join('')).toMatch(/✓ passed {3}GET http:\/\/127\.0\.0\.1:\d+\/first {2}200/);
    writeFileSync(join(cwd, 'api.http'), `GET ${api.url}/second\n\n?? status == 201\n`);
    await waitFor(/── \d\d:\d\d:\d\d changed: api\.http ──\napi\.http\n {2}✗ failed {3}GET \S+\/second {2}200 .*\n {4}api\.http:3 {2}\?\? status == 201\n {8}expected: 201\n {8}actual: {3}200\n/);
    controller.abort('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toEqual([]);
    expect(api.requests.map((request) => request.url)).toEqual(['/first', '/second']);
  });
});

describe('dependency order (plan-file)', () => {
  test('a request that needs a later one runs after it; the needed one (itself needing nothing) does not run twice', async () => {
    const api = await server((request, response) => {
      if (request.url === '/login') response.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t-1"}');
      else response.writeHead(200).end(request.headers.authorization ?? '');
    });
    const text = `### me\n# @name me\nGET ${api.url}/me\nAuthorization: Bearer {{login.response.body.token}}\n\n?? body == Bearer t-1\n\n### login\n# @name login\nPOST ${api.url}/login\n`;
    const result = await run({ file: 'api.http', text }, { cwd: tmpdir() });
    expect(result.files[0]!.requests.map((request) => [request.name, request.outcome])).toEqual([
      ['login', 'passed'],
      ['me', 'passed'],
    ]);
    expect(api.requests.map((request) => request.url)).toEqual(['/login', '/me']);
  });
});

describe('httprun check (in-process)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-h38-check-'));
  writeFileSync(join(cwd, 'good.http'), 'GET http://127.0.0.1:1/\n');
  writeFileSync(join(cwd, 'bad.http'), 'GET http://127.0.0.1:1/{{missing}}\n');
  const check = async (argv: string[]) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main({ argv, env: {}, cwd, isTTY: false, stdout: (text) => stdout.push(text), stderr: (text) => stderr.push(text) });
    return { code, stdout: stdout.join(''), stderr };
  };

  test('text: each diagnostic with its source line, a glob matching nothing on stderr, and the count line', async () => {
    expect(await check(['check', 'good.http', 'bad.http', 'nothing*.http', '--no-color'])).toEqual({
      code: 2,
      stdout: [
        'bad.http:1:24: error: undefined variable {{missing}} [resolve/undefined-variable]',
        '  1 | GET http://127.0.0.1:1/{{missing}}',
        '    |                        ^^^^^^^^^^^',
        '  hint: define it with @missing = ... in the file, in an environment file, or with --var missing=...',
        '2 files checked: 1 clean, 2 errors, 0 warnings',
        '',
      ].join('\n'),
      stderr: ['httprun: no .http or .rest file matches "nothing*.http"\n'],
    });
    expect(await check(['check', 'good.http'])).toEqual({ code: 0, stdout: '1 file checked: 1 clean, 0 errors, 0 warnings\n', stderr: [] });
  });

  test('--format json: the counts and the diagnostics with their spans', async () => {
    const { code, stdout } = await check(['check', 'bad.http', '--format', 'json']);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({
      version: 1, files: 1, errors: 1, warnings: 0,
      diagnostics: [{
        severity: 'error', code: 'resolve/undefined-variable', message: 'undefined variable {{missing}}',
        span: { file: 'bad.http', start: { line: 1, column: 24, offset: 23 }, end: { line: 1, column: 35, offset: 34 } },
        hint: 'define it with @missing = ... in the file, in an environment file, or with --var missing=...',
      }],
    });
  });
});
