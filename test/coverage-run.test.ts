// Code of src/run and src/execute that no in-process test ran (found with v8 coverage, helper task
// h37; tests that spawn the CLI run it in a child, which coverage does not see): each case is the
// .http file a user would write, sent to a real 127.0.0.1 server, and the result it must give.
import { afterEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { run } from '../src/index.js';
import type { RunEvent } from '../src/run/events.js';
import type { RequestResult, RunResult } from '../src/run/result.js';
import type { RunCallOptions } from '../src/run/run.js';
import { project } from './helpers/cli.js';
import { serve, type Recorded, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Ran {
  result: RunResult;
  requests: RequestResult[];
  logs: string[];
  root: string;
}

/** Runs a.http of a project (BASE stands for the server's URL) through the library. */
async function runProject(
  files: Record<string, string>,
  handler: (request: Recorded, response: ServerResponse) => void,
  options: RunCallOptions = {},
): Promise<Ran> {
  server = await serve(handler);
  const url = server.url;
  const logs: string[] = [];
  const reporter = { onEvent: (event: RunEvent) => { if (event.type === 'log') logs.push(event.message); }, onEnd: () => undefined };
  const root = project(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, text.replaceAll('BASE', url)])));
  const result = await run([join(root, 'a.http')], { cwd: root, processEnv: {}, reporters: [reporter], ...options });
  return { result, requests: result.files.flatMap((file) => file.requests), logs: logs.map((log) => log.replaceAll(url, 'BASE')), root };
}

const ok = (_request: Recorded, response: ServerResponse) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":7}');

describe('sending: what a request file can ask for that no in-process test sent', () => {
  test('CONNECT is refused before anything is sent, with the reason', async () => {
    const { requests } = await runProject({ 'a.http': 'CONNECT BASE/\n' }, ok);
    expect(server!.requests).toHaveLength(0);
    expect(requests.map((r) => [r.outcome, r.error])).toEqual([['errored', 'CONNECT requests (tunnels) are not supported by httprun']]);
  });

  test('# @retry N <interval> retries a 503; a Retry-After of 0 falls back to the interval', async () => {
    let calls = 0;
    const { requests } = await runProject({ 'a.http': '# @retry 2 10ms\nGET BASE/flaky\n' }, (_request, response) => {
      calls++;
      if (calls === 1) response.writeHead(503, { 'retry-after': '0' }).end('busy');
      else response.writeHead(200).end('ok');
    });
    expect(requests.map((r) => [r.outcome, r.status, r.attempts])).toEqual([['passed', 200, 2]]);
    expect(server!.requests.map((r) => r.url)).toEqual(['/flaky', '/flaky']);
  });

  test('# @retry gives up after N more attempts and reports the last response', async () => {
    const { requests } = await runProject({ 'a.http': '# @retry 1 5ms\nGET BASE/down\n' }, (_request, response) => {
      response.writeHead(503, { 'retry-after': 'not a date' }).end('busy');
    });
    // A 503 with no assertion is a response, so the request passes; what matters is that it tried twice.
    expect(requests.map((r) => [r.outcome, r.status, r.attempts])).toEqual([['passed', 503, 2]]);
    expect(server!.requests).toHaveLength(2);
  });

  test('# @skip with a reason, and bare, skips the request unsent', async () => {
    const { requests } = await runProject({ 'a.http': '# @skip not ready yet\nGET BASE/a\n\n###\n# @skip\nGET BASE/b\n' }, ok);
    expect(server!.requests).toHaveLength(0);
    expect(requests.map((r) => [r.outcome, r.error, r.url])).toEqual([
      ['skipped', 'not ready yet', 'BASE/a'.replace('BASE', server!.url)],
      ['skipped', 'skipped by @skip', 'BASE/b'.replace('BASE', server!.url)],
    ]);
  });

  test('--bail: after a failed request the rest of the file is skipped as cancelled by --bail', async () => {
    const { requests } = await runProject({ 'a.http': 'GET BASE/a\n?? status == 201\n\n###\nGET BASE/b\n' }, ok, { bail: true });
    expect(requests.map((r) => [r.outcome, r.error])).toEqual([
      ['failed', null],
      ['skipped', 'cancelled by --bail'],
    ]);
    expect(requests[0]!.assertions.map((a) => [a.text, a.passed, a.expected, a.actual])).toEqual([['?? status == 201', false, 201, 200]]);
    expect(server!.requests.map((r) => r.url)).toEqual(['/a']);
  });

  test('a request using a failed request\'s response is skipped, naming it and its line', async () => {
    const { requests } = await runProject(
      { 'a.http': '# @name first\nGET BASE/a\n?? status == 201\n\n###\nGET BASE/items/{{first.response.body.$.id}}\n' },
      ok,
    );
    expect(requests.map((r) => [r.outcome, r.error])).toEqual([
      ['failed', null],
      ['skipped', 'depends on "first" (line 2), which failed'],
    ]);
    expect(server!.requests.map((r) => r.url)).toEqual(['/a']);
  });
});

describe('--dry-run: each request printed as it would be sent, nothing sent', () => {
  test('method, URL, headers and body, or the body file it would stream', async () => {
    const { requests, logs, root } = await runProject(
      {
        'a.http': 'POST BASE/items\nContent-Type: application/json\n\n{"a": 1}\n\n###\nPUT BASE/upload\n\n< ./data.bin\n\n###\nGET BASE/plain\n',
        'data.bin': 'xyz',
      },
      ok,
      { dryRun: true },
    );
    expect(server!.requests).toHaveLength(0);
    expect(requests.map((r) => [r.outcome, r.error])).toEqual(Array(3).fill(['skipped', 'dry run: not sent']));
    expect(logs).toEqual([
      'POST BASE/items\nContent-Type: application/json\n\n{"a": 1}',
      `PUT BASE/upload\n\n< ${join(root, 'data.bin')}`,
      'GET BASE/plain',
    ]);
  });
});

describe('scripts: pre-request values, handler files, client.test', () => {
  test('request.variables.set in a pre-request script is used by its request only', async () => {
    const { requests } = await runProject(
      { 'a.http': '@id = file\n< {% request.variables.set("id", "from-script") %}\nGET BASE/one/{{id}}\n\n###\nGET BASE/two/{{id}}\n' },
      ok,
    );
    expect(requests.map((r) => r.outcome)).toEqual(['passed', 'passed']);
    expect(server!.requests.map((r) => r.url)).toEqual(['/one/from-script', '/two/file']);
  });

  test('a pre-request script that throws fails its request before it is sent', async () => {
    const { requests } = await runProject({ 'a.http': '< {% throw new Error("no token") %}\nGET BASE/a\n' }, ok);
    expect(server!.requests).toHaveLength(0);
    expect(requests[0]!.outcome).toBe('failed');
    expect(requests[0]!.error).toContain('no token');
  });

  test('a response handler file that does not exist fails the request, naming the file and the line', async () => {
    const { requests } = await runProject({ 'a.http': 'GET BASE/a\n\n> ./missing-handler.js\n' }, ok);
    expect(requests.map((r) => [r.outcome, r.status, r.error])).toEqual([
      ['failed', 200, 'a.http:3: cannot read the handler ./missing-handler.js: no such file'],
    ]);
  });

  test('a handler file is run, and its failed client.test is an assertion with its message', async () => {
    const { requests, logs } = await runProject(
      {
        'a.http': 'GET BASE/a\n\n> ./check.js\n',
        'check.js': 'client.log("id is " + response.body.id);\nclient.test("id is 8", () => { client.assert(response.body.id === 8, "id was " + response.body.id); });\n',
      },
      ok,
    );
    expect(logs).toEqual(['id is 7']);
    expect(requests[0]!.outcome).toBe('failed');
    expect(requests[0]!.assertions.map((a) => [a.text, a.passed, a.message])).toEqual([['client.test("id is 8")', false, 'id was 7']]);
  });

  test('a response handler that throws fails the request with its error', async () => {
    const { requests } = await runProject({ 'a.http': 'GET BASE/a\n\n> {% throw new Error("bad body") %}\n' }, ok);
    expect(requests[0]!.outcome).toBe('failed');
    expect(requests[0]!.error).toContain('bad body');
  });
});

describe('secrets and saved bodies', () => {
  test('# @secret: a captured value is masked in the body saved with >> and in later logs', async () => {
    const { requests, logs, root } = await runProject(
      {
        'a.http':
          '# @secret token\nGET BASE/login\n\n> {% client.global.set("token", response.body.token) %}\n>> ./saved.json\n\n###\nGET BASE/me\n\n> {% client.log("token=" + client.global.get("token")) %}\n',
      },
      (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"s3cr3t-value-42"}'),
    );
    expect(requests.map((r) => r.outcome)).toEqual(['passed', 'passed']);
    expect(readFileSync(join(root, 'saved.json'), 'utf8')).toBe('{"token":"***"}');
    expect(logs).toEqual(['token=***']);
    // The value is masked in the later response too.
    expect(requests[1]!.response!.body).toBe('{"token":"***"}');
  });
});

describe('bodies kept for --verbose and the HTML report', () => {
  test('a body nothing reads is kept as a 64 KiB preview, said to be cut', async () => {
    const big = 'a'.repeat(70 * 1024);
    const { requests } = await runProject({ 'a.http': 'GET BASE/big\n' }, (_request, response) => response.writeHead(200).end(big), {
      captureBodies: true,
    });
    expect(requests[0]!.outcome).toBe('passed');
    expect(requests[0]!.response!.body).toBe(`${'a'.repeat(64 * 1024)}\n… (more bytes not shown)`);
  });

  test('a gzip body nothing reads is previewed decoded', async () => {
    const { requests } = await runProject({ 'a.http': 'GET BASE/zipped\n' }, (_request, response) =>
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' }).end(gzipSync('hello, gzip')), { captureBodies: true });
    expect(requests[0]!.response!.body).toBe('hello, gzip');
  });
});

describe('assertions whose text is only known at run time', () => {
  test('a placeholder a script was to set but did not: the assertion fails with the render problem', async () => {
    const { requests } = await runProject(
      {
        'a.http':
          'GET BASE/a\n\n> {% if (response.body.id === 8) client.global.set("want", "8") %}\n\n###\nGET BASE/b\n?? body $.id == {{want}}\n',
      },
      ok,
    );
    expect(requests[0]!.outcome).toBe('passed');
    expect(requests[1]!.outcome).toBe('failed');
    expect(requests[1]!.assertions.map((a) => [a.line, a.text, a.passed, a.message])).toEqual([
      [7, '?? body $.id == {{want}}', false, 'undefined variable {{want}}'],
    ]);
  });

  test("httpyac's ?? js is neither passed nor failed: no assertion result, the request passes", async () => {
    const { requests } = await runProject({ 'a.http': 'GET BASE/a\n?? js response.parsedBody.id == 7\n?? status == 200\n' }, ok);
    expect(requests[0]!.outcome).toBe('passed');
    expect(requests[0]!.assertions.map((a) => [a.text, a.passed])).toEqual([['?? status == 200', true]]);
  });
});

describe('which files a run takes', () => {
  async function filesOf(inputs: string[], tree: Record<string, string>, options: RunCallOptions = {}): Promise<[string, string | null][]> {
    const root = project(tree);
    const result = await run(inputs, { cwd: root, processEnv: {}, dryRun: true, ...options });
    return result.files.map((file) => [file.file, file.error]);
  }
  const TREE = {
    'api/b.http': 'GET http://127.0.0.1:9/b\n',
    'api/a.rest': 'GET http://127.0.0.1:9/a\n',
    'api/notes.txt': 'not a request file',
    'api/node_modules/x.http': 'GET http://127.0.0.1:9/x\n',
    'api/.hidden/y.http': 'GET http://127.0.0.1:9/y\n',
    'api/deep/c.http': 'GET http://127.0.0.1:9/c\n',
    'empty/readme.md': '#',
  };

  test('a folder: its .http and .rest files, sorted, without dot folders and node_modules', async () => {
    expect(await filesOf(['api'], TREE)).toEqual([['api/a.rest', null], ['api/b.http', null], ['api/deep/c.http', null]]);
  });

  test('a glob, a folder with no request file, a name that matches nothing, and httpyac\'s "send"', async () => {
    expect(await filesOf(['api/**/*.http', 'empty', 'nope/*.http', 'missing.http', 'send'], TREE)).toEqual([
      ['empty', 'no .http or .rest file matches "empty"'],
      ['nope/*.http', 'no .http or .rest file matches "nope/*.http"'],
      ['missing.http', 'no .http or .rest file matches "missing.http"'],
      ['send', 'no .http or .rest file matches "send" (httprun needs no send command: httprun file.http)'],
      ['api/b.http', null],
      ['api/deep/c.http', null],
    ]);
  });

  test('--shard i/n: every file in exactly one shard', async () => {
    const shards = [];
    for (const index of [1, 2, 3]) shards.push((await filesOf(['api'], TREE, { shard: { index, total: 3 } })).map(([file]) => file));
    expect(shards.flat().sort()).toEqual(['api/a.rest', 'api/b.http', 'api/deep/c.http']);
  });
});
