import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { CLI, project, REPO, runCli } from './helpers/cli.js';
import { json, serve, type Recorded, type TestServer } from './helpers/server.js';

/**
 * The CI runner end to end (issue 8): a suite of twelve files, some passing, some failing, one
 * erroring and one that does not parse, run by the real CLI against a real server.
 */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const FILES = [
  '01-slow.http',
  '02-cookie-login.http',
  '03-vars.http',
  '04-fail-status.http',
  '05-pass.http',
  '06-refused.http',
  '07-parse-error.http',
  '08-pass.http',
  '09-fail-body.http',
  '10-pass.http',
  '11-vars.http',
  '12-cookie-none.http',
];
const DISPLAY = FILES.map((file) => `suite/${file}`);

/** Counts requests in flight; every answer waits (100 ms, or ?delay=) so that parallel files overlap. */
async function suiteServer() {
  let active = 0;
  let maxActive = 0;
  const started = performance.now();
  const timeline: { path: string; at: number }[] = [];
  const s = await serve(async (request: Recorded, response) => {
    active++;
    maxActive = Math.max(maxActive, active);
    const url = new URL(request.url, 'http://x');
    timeline.push({ path: url.pathname, at: performance.now() - started });
    await new Promise((done) => setTimeout(done, Number(url.searchParams.get('delay') ?? 100)));
    active--;
    if (url.pathname === '/02/login') return json(response, 200, { ok: true }, { 'set-cookie': 'sid=file02; Path=/' });
    if (url.pathname.endsWith('/missing')) return json(response, 404, { ok: false });
    if (url.pathname.startsWith('/09/')) return json(response, 200, { ok: false });
    return json(response, 200, { ok: true });
  });
  return { server: s, maxActive: () => maxActive, timeline };
}

function suite(url: string): Record<string, string> {
  const host = `@host = ${url}\n\n`;
  const pass = (n: string) => `${host}### pass ${n}\nGET {{host}}/${n}/ok\n\n?? status == 200\n`;
  const texts: Record<string, string> = {
    '01-slow.http': `${host}### slow\nGET {{host}}/01/slow?delay=500\n\n?? status == 200\n`,
    '02-cookie-login.http':
      `${host}### login\nGET {{host}}/02/login\n\n?? status == 200\n\n` +
      `### me\nGET {{host}}/02/me\n\n?? status == 200\n`,
    '03-vars.http':
      `${host}@who = three\n\n### vars three\nGET {{host}}/03/echo\nX-Who: {{who}}\n\n` +
      `> {%\n  client.global.set("token", "from-03");\n%}\n`,
    '04-fail-status.http': `${host}### missing page\nGET {{host}}/04/missing\n\n?? status == 200\n`,
    '05-pass.http': pass('05'),
    '06-refused.http': `### refused\nGET http://127.0.0.1:9/06\n\n?? status == 200\n`,
    '07-parse-error.http': `${host}### broken\nGET {{host}}/07/never\nthis line is not a header\n`,
    '08-pass.http': pass('08'),
    '09-fail-body.http': `${host}### body not ok\nGET {{host}}/09/body\n\n?? body $.ok == true\n`,
    '10-pass.http': pass('10'),
    '11-vars.http':
      `${host}@who = eleven\n\n### vars eleven\n< {%\n  client.global.set("token", client.global.get("token") || "none");\n%}\n` +
      `GET {{host}}/11/echo\nX-Who: {{who}}\nX-Token: {{token}}\n\n?? status == 200\n`,
    '12-cookie-none.http': `${host}### me without login\nGET {{host}}/12/me\n\n?? status == 200\n`,
  };
  return Object.fromEntries(Object.entries(texts).map(([name, text]) => [`suite/${name}`, text]));
}

const REPORT_FLAGS = ['--report-json', 'out/run.json', '--report-junit', 'out/junit.xml', '--report-tap', 'out/run.tap', '--report-html', 'out/run.html'];

function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** Each name's first position in the text, which must rise in the given order. */
function positions(text: string, names: string[]): number[] {
  return names.map((name) => {
    const at = text.indexOf(name);
    expect(at, `${name} appears in the output`).toBeGreaterThanOrEqual(0);
    return at;
  });
}

function expectAscending(numbers: number[]): void {
  expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
}

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const xmllint = hasXmllint();
/** util-linux `script` gives the CLI a terminal (a pseudo-TTY), as a developer's shell does. */
function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const script = hasScript();
if (!script) console.warn('util-linux script is not on PATH: skipping the progress-line test on a terminal');

function runOnTerminal(args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete childEnv.CI;
  delete childEnv.GITHUB_ACTIONS;
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd, env: childEnv, timeout: 60_000 }, (error, stdout) => {
      if (error && error.killed) reject(error);
      else resolve(stdout);
    });
  });
}

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`${CHROMIUM} is absent (Debian: apt-get install chromium): skipping the CI suite's HTML report in the browser`);

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
if (!xmllint) console.warn('xmllint is not on PATH (Debian: libxml2-utils): skipping JUnit XSD validation of the CI suite');

describe('a twelve-file suite', () => {
  test('--jobs 4 runs files concurrently, yet console and every report list files in input order', async () => {
    const s = await suiteServer();
    server = s.server;
    const root = project(suite(server.url));
    const { code, stdout, stderr } = await runCli(['suite', '--jobs', '4', ...REPORT_FLAGS], { cwd: root, timeoutMs: 60_000 });
    expect(stderr).toBe('');
    // The parse error outranks the refused connection, which outranks the failed assertions.
    expect(code).toBe(2);
    expect(s.maxActive()).toBeGreaterThan(1);
    expect(s.maxActive()).toBeLessThanOrEqual(4);
    // The slow first file finished after files that started with it; output still starts with it.
    const slowEnd = s.timeline.find((t) => t.path === '/01/slow')!.at + 500;
    expect(s.timeline.some((t) => t.path === '/03/echo' && t.at < slowEnd)).toBe(true);
    expectAscending(positions(stdout, DISPLAY));

    const report = JSON.parse(read(root, 'out/run.json'));
    expect(report.files.map((f: { file: string }) => f.file)).toEqual(DISPLAY);
    expect(report.summary).toMatchObject({
      files: 12, requests: 12, passed: 9, failed: 2, errored: 1, skipped: 0, assertions: { passed: 8, failed: 2 }, exitCode: 2,
    });
    const outcomes = report.files.map((f: { error: string | null; requests: { outcome: string }[] }) =>
      f.error !== null ? 'did not run' : f.requests.map((r) => r.outcome).join(','),
    );
    expect(outcomes).toEqual([
      'passed', 'passed,passed', 'passed', 'failed', 'passed', 'errored', 'did not run', 'passed', 'failed', 'passed', 'passed', 'passed',
    ]);
    expect(report.files[6].error).toMatch(/^suite\/07-parse-error\.http:5:1: /);
    expect(report.files[5].requests[0].error).toMatch(/connection refused/i);

    const junit = read(root, 'out/junit.xml');
    expectAscending(positions(junit, DISPLAY.map((file) => `<testsuite name="${file}"`)));
    expect(junit).toContain('<testcase name="suite/02-cookie-login.http › login"');
    expect(junit).toContain('<testcase name="suite/02-cookie-login.http › me"');
    expect(junit).toMatch(/<testcase name="suite\/04-fail-status\.http › missing page"[^>]*>\s*<failure message="[^"]*" type="assertion">/);
    expect(junit).toMatch(/<testcase name="suite\/06-refused\.http › refused"[^>]*>\s*<error /);
    expect(junit).toMatch(/<testcase name="suite\/07-parse-error\.http"[^>]*>\s*<error message="suite\/07-parse-error\.http:5:1/);
    expect(junit).toMatch(/^<testsuites name="httprun" tests="13" failures="2" errors="2" /m);

    // Failures and errors carry the same text as the console shows under the request.
    const bodies = [...junit.matchAll(/<(failure|error) message="[^"]*" type="(?:assertion|request)">([^<]*)<\/\1>/g)].map((m) => unescapeXml(m[2]!));
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toContain('suite/04-fail-status.http:6  ?? status == 200');
    for (const body of bodies) expect(stdout).toContain(body.split('\n').map((line) => (line === '' ? '' : `    ${line}`)).join('\n'));

    const tap = read(root, 'out/run.tap').split('\n');
    expect(tap[0]).toBe('TAP version 13');
    expect(tap[1]).toBe('1..13');
    const points = tap.filter((line) => /^(not )?ok \d+ /.test(line));
    expect(points).toEqual([
      'ok 1 - suite/01-slow.http › slow',
      'ok 2 - suite/02-cookie-login.http › login',
      'ok 3 - suite/02-cookie-login.http › me',
      'ok 4 - suite/03-vars.http › vars three',
      'not ok 5 - suite/04-fail-status.http › missing page',
      'ok 6 - suite/05-pass.http › pass 05',
      'not ok 7 - suite/06-refused.http › refused',
      'not ok 8 - suite/07-parse-error.http',
      'ok 9 - suite/08-pass.http › pass 08',
      'not ok 10 - suite/09-fail-body.http › body not ok',
      'ok 11 - suite/10-pass.http › pass 10',
      'ok 12 - suite/11-vars.http › vars eleven',
      'ok 13 - suite/12-cookie-none.http › me without login',
    ]);

    const html = read(root, 'out/run.html');
    expect(html).toContain('suite/04-fail-status.http › missing page');
    expect(html).toContain('?? status == 200');
    expect(html).toContain(`${server.url}/04/missing`);
    expectAscending(positions(html, DISPLAY.map((file) => `<h2>${file}`)));
  }, 90_000);

  test.skipIf(!xmllint)('the JUnit report of the suite validates against the JUnit XSD (xmllint)', async () => {
    const s = await suiteServer();
    server = s.server;
    const root = project(suite(server.url));
    await runCli(['suite', '--jobs', '4', '--report-junit', 'out/junit.xml'], { cwd: root, timeoutMs: 60_000 });
    const schema = join(REPO, 'test/fixtures/report/junit.xsd');
    const out = execFileSync('xmllint', ['--noout', '--schema', schema, join(root, 'out/junit.xml')], { encoding: 'utf8', stdio: 'pipe' });
    expect(out).toBe('');
  }, 90_000);

  test('--jobs 1 is strictly sequential and prints the same lines in the same order', async () => {
    const s = await suiteServer();
    server = s.server;
    const root = project(suite(server.url));
    const { code, stdout } = await runCli(['suite', '--jobs', '1'], { cwd: root, timeoutMs: 60_000 });
    expect(code).toBe(2);
    expect(s.maxActive()).toBe(1);
    expectAscending(positions(stdout, DISPLAY));
    // Requests reach the server in file order.
    expect(s.timeline.map((t) => t.path.slice(1, 3))).toEqual(['01', '02', '02', '03', '04', '05', '08', '09', '10', '11', '12']);
  }, 90_000);

  test('each file has its own variables and cookie jar, also when files run in parallel', async () => {
    for (const jobs of ['1', '4']) {
      const s = await suiteServer();
      server = s.server;
      const root = project(suite(server.url));
      await runCli(['suite', '--jobs', jobs], { cwd: root, timeoutMs: 60_000 });
      const byPath = (path: string) => server!.requests.find((r) => r.url.startsWith(path))!;
      expect(byPath('/02/me').headers.cookie).toBe('sid=file02');
      expect(byPath('/12/me').headers.cookie).toBeUndefined();
      expect(byPath('/03/echo').headers['x-who']).toBe('three');
      expect(byPath('/11/echo').headers['x-who']).toBe('eleven');
      // File 03 set a global "token"; file 11 does not see it.
      expect(byPath('/11/echo').headers['x-token']).toBe('none');
      await server.close();
      server = undefined;
    }
  }, 120_000);
});

describe('CI output', () => {
  test('--quiet prints the failures and the summary only', async () => {
    const s = await suiteServer();
    server = s.server;
    const root = project(suite(server.url));
    const { code, stdout } = await runCli(['suite', '--jobs', '4', '--quiet', '--report-json', 'run.json'], { cwd: root, timeoutMs: 60_000 });
    expect(code).toBe(2);
    expect(stdout).not.toContain('✓');
    expect(stdout).not.toContain('passed   ');
    for (const quietFile of ['01-slow', '02-cookie-login', '03-vars', '05-pass', '08-pass', '10-pass', '11-vars', '12-cookie-none']) {
      expect(stdout).not.toContain(quietFile);
    }
    expectAscending(
      positions(stdout, [
        'suite/04-fail-status.http:6  ?? status == 200',
        'suite/06-refused.http:2  errored: connection refused',
        'suite/07-parse-error.http:5:1: error: ',
        'suite/09-fail-body.http:6  ?? body $.ok == true',
      ]),
    );
    // The summary is the last line, in the words of the JSON summary.
    const summary = JSON.parse(read(root, 'run.json')).summary;
    const last = stdout.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(
      new RegExp(`^${summary.requests} requests: ${summary.passed} passed, ${summary.failed} failed, ${summary.errored} errored, ${summary.skipped} skipped`),
    );
    expect(last).toContain('12 files');
  }, 90_000);

  test('GITHUB_ACTIONS=true adds one ::error annotation per failure, with file and line, in input order', async () => {
    const s = await suiteServer();
    server = s.server;
    const root = project(suite(server.url));
    const plain = await runCli(['suite', '--jobs', '4'], { cwd: root, timeoutMs: 60_000 });
    expect(plain.stdout).not.toContain('::error');
    const { stdout } = await runCli(['suite', '--jobs', '4'], { cwd: root, timeoutMs: 60_000, env: { GITHUB_ACTIONS: 'true' } });
    const annotations = stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations.map((line) => line.slice(0, line.indexOf('::', 2)))).toEqual([
      '::error file=suite/04-fail-status.http,line=6,title=missing page%3A assertion failed',
      '::error file=suite/06-refused.http,line=2,title=refused%3A request errored',
      '::error file=suite/07-parse-error.http,line=5,title=httprun%3A file not run',
      '::error file=suite/09-fail-body.http,line=6,title=body not ok%3A assertion failed',
    ]);
    expect(annotations[0]).toContain('::suite/04-fail-status.http:6  ?? status == 200%0A    expected: 200%0A    actual:   404');
    expect(annotations[1]).toMatch(/::connection refused/);
  }, 90_000);
});

describe('the console on a terminal', () => {
  test.skipIf(!script)('draws a live progress line on a TTY, and plain lines when CI is set', async () => {
    const s = await suiteServer();
    server = s.server;
    const root = project(suite(server.url));
    const live = await runOnTerminal(['suite', '--jobs', '4'], root, {});
    expect(live).toContain('… 0/12 files · 0 requests · 0 failed · ');
    expect(live).toMatch(/… \d+\/12 files · \d+ requests · [1-9]\d* failed · /);
    // Each redraw erases the previous line with spaces, so lines printed over it stay clean.
    expect(live).toMatch(/\r +\rsuite\/01-slow\.http\r?\n/);
    // The last thing on the screen is the summary, not a stale progress line.
    expect(live.trimEnd().split(/\r?\n/).at(-1)).toMatch(/^12 requests: 9 passed, 2 failed, 1 errored, 0 skipped/);

    const plain = await runOnTerminal(['suite', '--jobs', '4'], root, { CI: 'true' });
    expect(plain).not.toContain('…');
    expect(plain.replace(/\r\n/g, '\n')).not.toContain('\r');
    expectAscending(positions(plain, DISPLAY));
  }, 90_000);
});

describe('files that do not run, on the console', () => {
  test('a file that does not parse is printed once; an input that matches nothing is named', async () => {
    const root = project({
      'bad.http': 'GET http://127.0.0.1:9/\nnot a header\n',
      'down.http': 'GET http://127.0.0.1:9/\n',
    });
    const alone = await runCli(['bad.http'], { cwd: root });
    expect(alone.code).toBe(2);
    const lines = alone.stdout.split('\n').filter((line) => line.includes('bad.http did not run'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^  ✗ bad\.http did not run: bad\.http:2:1: \S/);
    const mixed = await runCli(['down.http', 'missing.http'], { cwd: root });
    expect(mixed.code).toBe(2);
    expect(mixed.stdout).toContain('  ✗ missing.http did not run: no .http or .rest file matches "missing.http"\n');
  }, 60_000);
});

describe('the HTML report of the suite in a browser', () => {
  test.skipIf(!hasChromium)('Chromium shows the failures first, and the failing request with its assertion', async () => {
    const s = await suiteServer();
    server = s.server;
    const root = project(suite(server.url));
    await runCli(['suite', '--jobs', '4', '--report-html', 'out/run.html'], { cwd: root, timeoutMs: 60_000 });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      const url = pathToFileURL(join(root, 'out/run.html')).href;
      await page.goto(url);
      const failures = await page.locator('#failures li > a').allTextContents();
      expect(failures).toEqual([
        'suite/04-fail-status.http › missing page',
        'suite/06-refused.http › refused',
        'suite/07-parse-error.http',
        'suite/09-fail-body.http › body not ok',
      ]);
      const first = await page.locator('#failures li').first().locator('pre').textContent();
      expect(first).toContain('suite/04-fail-status.http:6  ?? status == 200');
      const sections = await page.locator('section.file h2').allTextContents();
      expectAscending(positions(sections.join('\n'), DISPLAY));
      // Nothing but the page itself is loaded: the report works offline.
      expect(requested).toEqual([url]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});

describe('secrets with files in parallel', () => {
  test('each file\'s secret is masked in the console and in every report', async () => {
    server = await serve((request, response) => json(response, 200, { echo: request.headers['x-token'] }, { 'x-echo': String(request.headers['x-token']) }));
    const secrets = ['alpha-S3cret-0001', 'bravo-S3cret-0002', 'charlie-S3cret-0003', 'delta-S3cret-0004'];
    const files: Record<string, string> = { '.env': secrets.map((value, i) => `TOKEN_${i}=${value}`).join('\n') + '\n' };
    secrets.forEach((_, i) => {
      files[`s${i}.http`] = `### secret ${i}\nGET ${server!.url}/${i}?key=<<TOKEN_${i}>>\nX-Token: <<TOKEN_${i}>>\n\n?? body $.echo == nope\n`;
    });
    const root = project(files);
    const { code, stdout, stderr } = await runCli(['s0.http', 's1.http', 's2.http', 's3.http', '--jobs', '4', '--verbose', ...REPORT_FLAGS], { cwd: root });
    expect(code).toBe(1);
    expect(server.requests.map((r) => r.headers['x-token']).sort()).toEqual(secrets);
    const everything = [stdout, stderr, ...['out/run.json', 'out/junit.xml', 'out/run.tap', 'out/run.html'].map((f) => read(root, f))].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).toContain('***');
  }, 90_000);
});
