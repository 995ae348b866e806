// The library API (SPEC §5.6) as an editor extension or a test harness meets it: `parse` and `run`
// imported from the package entry, real servers on 127.0.0.1, and the package as npm packs it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, run, type Reporter, type RunEvent, type RunResult } from '../src/index.js';
import { project, REPO, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

const exec = promisify(execFile);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers JSON `{ path, n: 3 }` without a Date header, so two runs see the same response. */
async function jsonServer(delayMs = 0): Promise<TestServer> {
  server = await serve(async (request, response) => {
    if (delayMs > 0) await new Promise((done) => setTimeout(done, delayMs));
    response.sendDate = false;
    if (request.url === '/moved') return void response.writeHead(302, { location: '/a' }).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: request.url, n: 3 }));
  });
  return server;
}

/** Every object in the AST that has a `kind`: each must carry a span. */
function nodesOf(value: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const item of value) nodesOf(item, found);
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.kind === 'string') found.push(record);
    for (const child of Object.values(record)) nodesOf(child, found);
  }
  return found;
}

const position = { line: expect.any(Number), column: expect.any(Number), offset: expect.any(Number) };

describe('parse', () => {
  it('gives every node a span of file, line, column and offset, and JSON.stringify keeps them', () => {
    const text = [
      '@host = http://127.0.0.1',
      '### login',
      '# @name login',
      'POST {{host}}/login',
      'Content-Type: application/json',
      '',
      '{"user": "<<USER>>"}',
      '',
      '?? status == 200',
      '> {% client.global.set("t", response.body.token); %}',
      '>> out.json',
      '',
      '### next',
      'GET {{host}}/me?at={{$timestamp}}',
      'Authorization: Bearer {{login.response.body.$.token}}',
    ].join('\n');
    const result = parse(text, { file: 'api.http' });
    expect(result.diagnostics).toEqual([]);
    const nodes = nodesOf(result.ast);
    expect(new Set(nodes.map((node) => node.kind))).toEqual(
      new Set(['file', 'variable', 'request', 'metadata', 'header', 'body', 'text', 'assertion', 'script', 'save', 'dynamic', 'secret']),
    );
    // Every node but a template's plain text piece (`{ kind: 'text', value }`, inside a spanned template).
    for (const node of nodes.filter((n) => !('value' in n && n.kind === 'text'))) {
      expect(node.span, `${String(node.kind)} has a span`).toEqual({ file: 'api.http', start: position, end: position });
    }
    expect(structuredClone(result)).toEqual(result);
    expect({ ...result.ast.requests[0]!.span }.start).toEqual({ line: 2, column: 1, offset: text.indexOf('###') });
    const [login, next] = result.ast.requests;
    expect(login!.requestLine.start).toEqual({ line: 4, column: 1, offset: text.indexOf('POST') });
    expect(next!.headers[0]!.span.start).toMatchObject({ line: 15, column: 1 });
    // Plain data: what an editor gets over JSON-RPC is the same tree, positions included.
    const copy = JSON.parse(JSON.stringify(result)) as typeof result;
    expect(copy).toEqual(result);
    expect(copy.ast.requests[1]!.requestLine).toEqual({ file: 'api.http', start: { line: 14, column: 1, offset: text.indexOf('GET') }, end: position });
  });

  it('diagnostics carry severity, code, message, hint and span', () => {
    const { diagnostics } = parse('\uFEFFGET http://127.0.0.1/\nnot a header\n\n# @nmae x\nGET http://127.0.0.1/b\n', { file: 'bad.http' });
    const expected = diagnostics.find((d) => d.code === 'syntax/expected-header');
    expect(expected).toEqual({
      severity: 'error',
      code: 'syntax/expected-header',
      message: expect.stringContaining('not a header'),
      hint: expect.any(String),
      // The BOM is not counted: offsets and columns start after it.
      span: { file: 'bad.http', start: { line: 2, column: 1, offset: 22 }, end: { line: 2, column: 13, offset: 34 } },
    });
    expect(JSON.parse(JSON.stringify(diagnostics))).toEqual(diagnostics);
  });

  it('never throws on odd input, from TypeScript or plain JS', () => {
    const odd: [string, unknown][] = [
      ['empty', ''],
      ['only a BOM', '\uFEFF'],
      ['CR only', '\r'],
      ['CRs', '\r\r\r\n\r'],
      ['a 1 MB line', 'x'.repeat(1 << 20)],
      ['a 1 MB URL', `GET http://127.0.0.1/${'a'.repeat(1 << 20)}`],
      ['NUL bytes', 'GET http://127.0.0.1/\0\n\0: \0'],
      ['lone surrogates', 'GET http://127.0.0.1/\uD800\n?? body \uDC00'],
    ];
    for (const [what, text] of odd) {
      const result = parse(text as string, { file: 'odd.http' });
      expect(result.ast.kind, what).toBe('file');
      expect(result.diagnostics.every((d) => d.code !== 'syntax/internal-error'), what).toBe(true);
    }
    expect(parse('', { file: 'e.http' })).toEqual({
      ast: expect.objectContaining({ kind: 'file', requests: [], span: { file: 'e.http', start: { line: 1, column: 1, offset: 0 }, end: position } }),
      diagnostics: [],
    });
    // Not text at all: one located error, no throw.
    for (const notText of [undefined, null, 42, {}, Buffer.from('GET http://x')]) {
      const { ast, diagnostics } = parse(notText as unknown as string, { file: 'js.http' });
      expect(ast.requests).toEqual([]);
      expect(diagnostics).toEqual([
        expect.objectContaining({ severity: 'error', code: 'syntax/not-text', message: expect.stringMatching(/^parse\(\) needs the file's text as a string, got /) }),
      ]);
    }
    // Options left out from JS: the spans name no file, the text still parses.
    const bare = (parse as (text: string) => ReturnType<typeof parse>)('GET http://127.0.0.1/\n');
    expect(bare.ast.requests).toHaveLength(1);
    expect(bare.ast.span.file).toBe('');
  });
});

describe('run: inputs', () => {
  it('takes paths, globs, folders and { file, text } files mixed, and reports each file once, in input order', async () => {
    const { url } = await jsonServer();
    const dir = project({
      'one.http': `GET ${url}/one\n`,
      'api/two.http': `GET ${url}/two\n`,
      'api/nested/three.rest': `GET ${url}/three\n`,
      'globbed/four.http': `GET ${url}/four\n`,
      'node_modules/x/skip.http': `GET ${url}/skip\n`,
    });
    const result = await run(['one.http', 'api', 'globbed/*.http', { file: 'in-memory.http', text: `GET ${url}/five\n?? body $.n == 3\n` }], { cwd: dir });
    expect(result.files.map((file) => [file.file, file.error, file.requests.map((r) => r.outcome)])).toEqual([
      ['in-memory.http', null, ['passed']],
      ['one.http', null, ['passed']],
      ['api/nested/three.rest', null, ['passed']],
      ['api/two.http', null, ['passed']],
      ['globbed/four.http', null, ['passed']],
    ]);
    expect(server!.requests.map((r) => r.url).sort()).toEqual(['/five', '/four', '/one', '/three', '/two']);
    expect(result.summary).toMatchObject({ files: 5, requests: 5, passed: 5, exitCode: 0 });
  });

  it('a file problem is a result, not a throw: missing file, glob matching nothing, parse error, unknown env', async () => {
    const dir = project({ 'ok.http': 'GET http://127.0.0.1:1/\n' });
    const result = await run(['missing.http', 'nothing/*.http', { file: 'broken.http', text: 'GET http://127.0.0.1:1/\nno colon here\n' }], { cwd: dir });
    expect(result.files.map((file) => [file.file, file.error])).toEqual([
      ['missing.http', 'no .http or .rest file matches "missing.http"'],
      ['nothing/*.http', 'no .http or .rest file matches "nothing/*.http"'],
      ['broken.http', expect.stringContaining('broken.http:2:1: expected a header')],
    ]);
    expect(result.summary.exitCode).toBe(2);
    const unknownEnv = await run(['ok.http'], { cwd: dir, env: 'nope' });
    expect(unknownEnv.files[0]!.error).toContain('unknown environment "nope"');
    expect(unknownEnv.summary.exitCode).toBe(2);
  });

  it('a { file, text } input is never read from disk, and its relative paths resolve beside `file`', async () => {
    const { url } = await jsonServer();
    const dir = project({ 'sub/body.json': '{"from":"disk"}', 'sub/page.http': 'this file on disk is not what runs' });
    const result = await run({ file: 'sub/page.http', text: `POST ${url}/post\nContent-Type: application/json\n\n< ./body.json\n` }, { cwd: dir });
    expect(result.files[0]).toMatchObject({ file: 'sub/page.http', error: null, requests: [{ outcome: 'passed' }] });
    expect(server!.requests[0]!.body.toString()).toBe('{"from":"disk"}');
  });
});

describe('run: options', () => {
  const file = { file: 'o.http', text: 'GET http://127.0.0.1:1/\n' };

  it('a wrong option from plain JS rejects with a TypeError that names it, before anything is sent', async () => {
    const wrong: [Record<string, unknown>, RegExp][] = [
      [{ jobs: 0 }, /option "jobs" must be a whole number of 1 or more, got 0$/],
      [{ jobs: '2' }, /option "jobs" must be a whole number of 1 or more, got "2"$/],
      [{ timeout: '5s' }, /option "timeout" must be a number of milliseconds .*, got "5s"$/],
      [{ timeout: -1 }, /option "timeout" .* got -1$/],
      [{ retry: 1.5 }, /option "retry" must be a whole number of 0 or more, or null, got 1.5$/],
      [{ maxBody: '1MiB' }, /option "maxBody"/],
      [{ env: 42 }, /option "env" must be an environment name/],
      [{ vars: { port: 8080 } }, /option "vars" must be an object of string values, but vars.port is 8080$/],
      [{ vars: 'a=b' }, /option "vars"/],
      [{ lines: [0] }, /option "lines" must be an array of line numbers/],
      [{ names: 'login' }, /option "names" must be an array of strings, got "login"$/],
      [{ shard: { index: 3, total: 2 } }, /option "shard" must be \{ index, total \} with 1 <= index <= total/],
      [{ cwd: 5 }, /option "cwd" must be a directory path/],
      [{ now: Date.now() }, /option "now" must be a function returning a Date/],
      [{ signal: 'stop' }, /option "signal" must be an AbortSignal/],
      [{ bail: 'yes' }, /option "bail" must be true or false/],
      [{ timout: 5000 }, /unknown option "timout" \(did you mean "timeout"\?\)$/],
      [{ verbose: true }, /unknown option "verbose"/],
      [{ reporters: {} }, /option "reporters" must be an array of reporters/],
      [{ reporters: [() => {}] }, /reporters\[0\] must be an object with onEvent\(event\) and\/or onEnd\(result\) methods/],
    ];
    for (const [options, message] of wrong) {
      const call = run(file, options as never);
      await expect(call, JSON.stringify(options)).rejects.toThrow(TypeError);
      await expect(call, JSON.stringify(options)).rejects.toThrow(message);
    }
    await expect(run(file, null as never)).rejects.toThrow(/options must be an object, got null/);
    await expect(run(42 as never)).rejects.toThrow(/input 0 must be a path or glob \(a string\) or \{ file: string, text: string \}, got 42$/);
    await expect(run([{ file: 'x.http' }] as never)).rejects.toThrow(/got \{ file: "x.http", text: undefined \}$/);
  });

  it('an option given as undefined takes its default (a caller may pass `env: flags.env`)', async () => {
    const { url } = await jsonServer();
    const result = await run({ file: 'u.http', text: `GET ${url}/u\n` }, { env: undefined, jobs: undefined, timeout: undefined, vars: undefined });
    expect(result.summary).toMatchObject({ passed: 1, exitCode: 0 });
  });

  it('each option does what it says: vars, processEnv secrets, names, lines, tags, dryRun, timeout, retry, followRedirects, captureBodies, now, jobs', async () => {
    const { url } = await jsonServer(50);
    const text = [
      '### first',
      '# @tag smoke',
      `GET ${url}/first?who={{who}}&t={{$timestamp}}`,
      'X-Token: <<TOKEN>>',
      '',
      '### second',
      `GET ${url}/moved`,
    ].join('\n');
    const input = { file: 'opts.http', text };
    const now = () => new Date('2030-01-01T00:00:00Z');
    const all = await run(input, { vars: { who: 'me' }, processEnv: { TOKEN: 't0k3n' }, now, followRedirects: false, captureBodies: true });
    expect(all.files[0]!.requests.map((r) => [r.name, r.status, r.url])).toEqual([
      ['first', 200, `${url}/first?who=me&t=1893456000`],
      ['second', 302, `${url}/moved`],
    ]);
    expect(server!.requests[0]!.headers['x-token']).toBe('t0k3n');
    expect(all.files[0]!.requests[0]!.request!.headers).toContainEqual(['X-Token', '***']);
    expect(all.files[0]!.requests[0]!.response!.body).toBe(JSON.stringify({ path: '/first?who=me&t=1893456000', n: 3 }));

    const byName = await run(input, { names: ['second'], vars: { who: 'x' }, processEnv: {} });
    expect(byName.files[0]!.requests.map((r) => [r.name, r.url])).toEqual([['second', `${url}/a`]]);
    const byLine = await run(input, { lines: [7], vars: { who: 'x' }, processEnv: {} });
    expect(byLine.files[0]!.requests.map((r) => r.name)).toEqual(['second']);
    const byTag = await run(input, { tags: ['smoke'], vars: { who: 'x' }, processEnv: { TOKEN: 'tok-abc-123' } });
    expect(byTag.files[0]!.requests.map((r) => r.name)).toEqual(['first']);

    const sentBefore = server!.requests.length;
    const dry = await run(input, { dryRun: true, vars: { who: 'x' }, processEnv: { TOKEN: 'tok-abc-123' } });
    expect(dry.summary.exitCode).toBe(0);
    expect(server!.requests.length).toBe(sentBefore);

    const slow = await run({ file: 'slow.http', text: `GET ${url}/slow\n` }, { timeout: 10, retry: 1, retryInterval: 0 });
    expect(slow.files[0]!.requests[0]).toMatchObject({ outcome: 'errored', attempts: 2, error: expect.stringMatching(/timed out/) });

    const parallel = await run(
      Array.from({ length: 4 }, (_, i) => ({ file: `p${i}.http`, text: `GET ${url}/p${i}\n` })),
      { jobs: 4 },
    );
    expect(parallel.files.map((f) => f.file)).toEqual(['p0.http', 'p1.http', 'p2.http', 'p3.http']);
  });
});

describe('run: reporters and cancelling', () => {
  it('onEvent and onEnd see masked data, in order, and onEnd gets the very object run() resolves with', async () => {
    const { url } = await jsonServer();
    const events: RunEvent[] = [];
    let ended: RunResult | undefined;
    const reporter: Reporter = { onEvent: (event) => events.push(event), onEnd: (result) => void (ended = result) };
    const result = await run(
      { file: 'secret.http', text: `GET ${url}/s?key=<<API_KEY>>\n?? status == 200\n` },
      { processEnv: { API_KEY: 'k-123456' }, reporters: [reporter] },
    );
    expect(events.map((event) => event.type)).toEqual(['run-start', 'file-start', 'request-start', 'request-end', 'file-end']);
    expect(JSON.stringify(events)).not.toContain('k-123456');
    expect(JSON.stringify(result)).not.toContain('k-123456');
    expect(result.files[0]!.requests[0]!.url).toBe(`${url}/s?key=***`);
    expect(server!.requests[0]!.url).toBe('/s?key=k-123456');
    expect(ended).toBe(result);
  });

  it('a reporter that throws does not lose the result: it is dropped with a process warning, the others go on', async () => {
    const { url } = await jsonServer();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      let calls = 0;
      const seen: string[] = [];
      const throwsOnEvent: Reporter = { onEvent: () => { calls++; throw new Error('reporter bug'); }, onEnd: () => { calls++; } };
      const rejectsOnEnd: Reporter = { onEnd: async () => { throw new Error('disk full'); } };
      const fine: Reporter = { onEvent: (event) => seen.push(event.type), onEnd: () => void seen.push('end') };
      const onlyEvents: Reporter = { onEvent: () => {} };
      const result = await run({ file: 'r.http', text: `GET ${url}/r\n` }, { reporters: [throwsOnEvent, rejectsOnEnd, fine, onlyEvents] });
      expect(result.summary).toMatchObject({ passed: 1, exitCode: 0 });
      expect(calls).toBe(1);
      expect(seen).toEqual(['run-start', 'file-start', 'request-start', 'request-end', 'file-end', 'end']);
      await new Promise((done) => setImmediate(done));
      expect(warnings.map((w) => [(w as Error & { code?: string }).code, w.message])).toEqual([
        ['HTTPRUN_REPORTER_ERROR', 'httprun: reporters[0].onEvent threw, so it gets nothing more of this run: reporter bug'],
        ['HTTPRUN_REPORTER_ERROR', 'httprun: reporters[1].onEnd threw, so it gets nothing more of this run: disk full'],
      ]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('an AbortSignal cancels a run cleanly: requests not done end skipped, and run() resolves', async () => {
    const { url } = await jsonServer(2_000);
    const controller = new AbortController();
    const text = `### a\nGET ${url}/a\n\n### b\nGET ${url}/b\n`;
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const result = await run({ file: 'c.http', text }, { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.files[0]!.requests.map((r) => [r.name, r.outcome, r.error])).toEqual([
      ['a', 'skipped', 'cancelled'],
      ['b', 'skipped', 'cancelled'],
    ]);
    // With bail on, a caller's abort is still a cancel, not "cancelled by --bail".
    const bailing = new AbortController();
    setTimeout(() => bailing.abort(), 200);
    const withBail = await run({ file: 'c.http', text }, { signal: bailing.signal, bail: true });
    expect(withBail.files[0]!.requests.map((r) => [r.name, r.outcome, r.error])).toEqual([
      ['a', 'skipped', 'cancelled'],
      ['b', 'skipped', 'cancelled'],
    ]);
    // Already aborted before the call: nothing is sent.
    const sent = server!.requests.length;
    const early = await run({ file: 'c.http', text }, { signal: AbortSignal.abort() });
    expect(early.files[0]!.requests.map((r) => r.outcome)).toEqual(['skipped', 'skipped']);
    await new Promise((done) => setTimeout(done, 100));
    expect(server!.requests.length).toBe(sent);
  });
});

/** Durations differ between two runs of the same file; nothing else may. */
function withoutDurations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDurations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'durationMs' ? 0 : withoutDurations(item)]));
}

describe('run() returns what --report-json writes (SPEC §5.4, §5.6)', () => {
  it('for passed, failed, errored and skipped requests, redirects, masked secrets, a broken file', async () => {
    const { url } = await jsonServer();
    const dir = project({
      'a.http': [
        '### redirected',
        `GET ${url}/moved`,
        '?? status == 200',
        '?? body $.missing == 3',
        '',
        '### secret',
        `GET ${url}/a`,
        'Authorization: Bearer <<TOKEN>>',
        '?? body $.n == 3',
        '',
        '### refused',
        'GET http://127.0.0.1:1/',
        '',
        '### dependant',
        'GET http://127.0.0.1:1/{{refused.response.body.$.id}}',
      ].join('\n'),
      'b.http': 'GET http://127.0.0.1:1/\nno colon\n',
    });
    const cli = await runCli(['a.http', 'b.http', '--report-json', 'out/r.json', '-q', '--jobs', '1'], { cwd: dir, env: { TOKEN: 'tok-987654' } });
    expect(cli.code).toBe(2);
    const report = readFileSync(join(dir, 'out/r.json'), 'utf8');
    const result = await run(['a.http', 'b.http'], { cwd: dir, processEnv: { TOKEN: 'tok-987654' } });
    expect(result.files[0]!.requests.map((r) => r.outcome)).toEqual(['failed', 'passed', 'errored', 'skipped']);
    expect(report).not.toContain('tok-987654');
    // The returned object, serialised, is the report: same keys, same values (key order aside).
    expect(withoutDurations(JSON.parse(JSON.stringify(result)))).toEqual(withoutDurations(JSON.parse(report)));
    // And nothing in it is lost by serialising: no undefined, no class instance.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('the package as npm packs it', () => {
  it('ships dist (with .d.ts), the demo requests, README and LICENSE; no sources, tests or fixtures', async () => {
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/bin/cli.js', 'dist/syntax/generated/http-parser.js']));
    const tops = new Set(files.map((path) => (path.includes('/') ? `${path.split('/')[0]}/` : path)));
    expect([...tops].sort()).toEqual(['LICENSE', 'README.md', 'dist/', 'package.json', 'requests/']);
    expect(files.filter((path) => /\.test\.|fixture|\.ts$/.test(path) && !path.endsWith('.d.ts'))).toEqual([]);
  });

  it('imports as `httprun` from outside the repo, in an .mjs file and in a .ts file checked by tsc (strict, node16 and bundler)', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'httprun-consumer-'));
    const packed = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch, '--json'], { cwd: REPO });
    const tarball = join(scratch, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    const modules = join(scratch, 'node_modules');
    mkdirSync(join(modules, 'httprun'), { recursive: true });
    await exec('tar', ['-xzf', tarball, '-C', join(modules, 'httprun'), '--strip-components=1']);
    // The package's production dependencies as npm would install them (this repo's copies: no
    // registry), and what a TypeScript user has beside them (@types/node); no devDependency.
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const production = await exec('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO });
    const top = join(REPO, 'node_modules') + sep;
    const names = production.stdout
      .split('\n')
      .filter((path) => path.startsWith(top))
      .map((path) => path.slice(top.length))
      .filter((name) => !name.includes(`${sep}node_modules${sep}`));
    for (const name of new Set([...names, '@types/node', 'undici-types'])) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', name), join(modules, name));
    }
    writeFileSync(join(scratch, 'package.json'), '{"name":"consumer","private":true,"type":"module"}\n');
    writeFileSync(
      join(scratch, 'use.mjs'),
      [
        "import { parse, run, VERSION } from 'httprun';",
        "const { diagnostics } = parse('GET http://127.0.0.1:1/\\nbad header\\n', { file: 'x.http' });",
        "const result = await run({ file: 'x.http', text: 'GET http://127.0.0.1:1/\\n' });",
        'console.log(JSON.stringify({ version: VERSION, codes: diagnostics.map((d) => d.code), outcome: result.files[0].requests[0].outcome }));',
      ].join('\n'),
    );
    const mjs = await exec(process.execPath, ['use.mjs'], { cwd: scratch });
    expect(JSON.parse(mjs.stdout)).toEqual({ version: manifest.version, codes: ['syntax/expected-header'], outcome: 'errored' });

    writeFileSync(
      join(scratch, 'use.ts'),
      [
        "import { parse, run, type Diagnostic, type HttpFileNode, type Reporter, type RequestResult, type RunCallOptions, type RunResult, type Span } from 'httprun';",
        "const parsed = parse('GET http://x/\\n', { file: 'a.http' });",
        'const ast: HttpFileNode = parsed.ast;',
        'const span: Span | undefined = ast.requests[0]?.requestLine;',
        'const first: Diagnostic | undefined = parsed.diagnostics[0];',
        "const reporter: Reporter = { onEvent(event) { if (event.type === 'request-end') { const r: RequestResult = event.request; void r; } } };",
        "const options: RunCallOptions = { cwd: '.', env: null, vars: { a: 'b' }, jobs: 2, timeout: 5_000, signal: AbortSignal.timeout(1_000), reporters: [reporter] };",
        "const result: RunResult = await run(['a.http', { file: 'b.http', text: '' }], options);",
        'const code: 0 | 1 | 2 | 3 = result.summary.exitCode;',
        '// @ts-expect-error a timeout is milliseconds, not text',
        "void run('a.http', { timeout: '5s' });",
        '// @ts-expect-error watch mode\'s internal options are not part of the typed API',
        "void run('a.http', { keepConfigCache: true });",
        'export { span, first, code };',
      ].join('\n'),
    );
    for (const [module, resolution] of [['node16', 'node16'], ['esnext', 'bundler']]) {
      writeFileSync(
        join(scratch, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { target: 'ES2022', module, moduleResolution: resolution, strict: true, noEmit: true, skipLibCheck: false, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, types: ['node'] },
          files: ['use.ts'],
        }),
      );
      const tsc = await exec(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: scratch }).catch((error: { stdout: string }) => error);
      expect(tsc.stdout, `tsc with ${resolution}`).toBe('');
    }
  });
});
