import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { project, runCli } from './helpers/cli.js';
import { startWatch, type WatchProcess } from './helpers/watch-process.js';

interface Hit {
  url: string;
  body: string;
}

interface CountingServer {
  url: string;
  hits: Hit[];
  /** TCP connections accepted so far: keep-alive means one for many requests. */
  connections(): number;
  close(): Promise<void>;
}

let servers: CountingServer[] = [];
let watchers: WatchProcess[] = [];

afterEach(async () => {
  await Promise.all(watchers.map((watcher) => watcher.stop('SIGKILL')));
  await Promise.all(servers.map((server) => server.close()));
  watchers = [];
  servers = [];
});

/** A real server that records what it is sent and counts the TCP connections it accepts. */
async function serve(handler: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<CountingServer> {
  const hits: Hit[] = [];
  let connections = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      hits.push({ url: request.url ?? '', body });
      handler(request, body, response);
    });
  });
  // Longer than the test's pauses, so that only the client decides to close a connection.
  server.keepAliveTimeout = 60_000;
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const counting: CountingServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    connections: () => connections,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  servers.push(counting);
  return counting;
}

const ok = (_request: IncomingMessage, body: string, response: ServerResponse) =>
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, echo: body }));

function watch(args: string[], cwd: string, env?: Record<string, string>): WatchProcess {
  const watcher = startWatch(args, env ? { cwd, env } : { cwd });
  watchers.push(watcher);
  return watcher;
}

function hitsTo(server: CountingServer, path: string): number {
  return server.hits.filter((hit) => hit.url === path).length;
}

test('a changed assertion re-runs the file and its result changes; an untouched file is not re-sent', async () => {
  const server = await serve(ok);
  const root = project({
    'a.http': `GET ${server.url}/a\n\n?? status == 201\n`,
    'b.http': `GET ${server.url}/b\n\n?? status == 200\n`,
  });
  const watcher = watch([], root);

  const first = await watcher.nextRun();
  expect(first.reason).toBe('first run');
  expect(first.text).toContain('a.http:3  ?? status == 201');
  expect(first.text).toMatch(/expected: 201\n\s+actual:\s+200/);
  expect(first.summary).toMatch(/^2 requests: 1 passed, 1 failed/);

  writeFileSync(join(root, 'a.http'), `GET ${server.url}/a\n\n?? status == 200\n`);
  const second = await watcher.nextRun();
  expect(second.reason).toBe('changed: a.http');
  expect(second.text).toMatch(/✓ passed +GET .*\/a +200/);
  expect(second.text).not.toContain('b.http');
  expect(second.summary).toMatch(/^1 request: 1 passed, 0 failed/);
  expect(hitsTo(server, '/a')).toBe(2);
  expect(hitsTo(server, '/b')).toBe(1);

  expect(await watcher.stop('SIGINT')).toEqual({ code: 0, signal: null });
});

test('an env file change re-runs with the new value, and connections stay open between runs', async () => {
  const server = await serve(ok);
  const root = project({
    'http-client.env.json': JSON.stringify({ dev: { id: '1' } }),
    'items.http': `GET ${server.url}/items/{{id}}\n\n?? status == 200\n`,
  });
  const watcher = watch(['--env', 'dev', '--jobs', '1'], root);
  await watcher.nextRun();
  expect(server.hits.map((hit) => hit.url)).toEqual(['/items/1']);

  writeFileSync(join(root, 'http-client.env.json'), JSON.stringify({ dev: { id: '2' } }));
  const second = await watcher.nextRun();
  expect(second.reason).toBe('changed: http-client.env.json');
  expect(second.text).toContain('/items/2');

  writeFileSync(join(root, 'http-client.env.json'), JSON.stringify({ dev: { id: '3' } }));
  await watcher.nextRun();
  expect(server.hits.map((hit) => hit.url)).toEqual(['/items/1', '/items/2', '/items/3']);
  // Three runs, one TCP connection: the process and its pool stay warm.
  expect(server.connections()).toBe(1);
  expect((await watcher.stop()).code).toBe(0);
});

test('a body file sent with `< ./body.json` is watched: editing it re-sends the new body', async () => {
  const server = await serve(ok);
  const root = project({
    'create.http': `POST ${server.url}/items\nContent-Type: application/json\n\n< ./body.json\n\n?? status == 200\n`,
    'body.json': '{"name":"first"}',
  });
  const watcher = watch([], root);
  await watcher.nextRun();
  expect(server.hits.at(-1)?.body).toBe('{"name":"first"}');

  writeFileSync(join(root, 'body.json'), '{"name":"second"}');
  const second = await watcher.nextRun();
  expect(second.reason).toBe('changed: body.json');
  expect(server.hits.at(-1)?.body).toBe('{"name":"second"}');
  expect(server.hits).toHaveLength(2);
  expect((await watcher.stop()).code).toBe(0);
});

test('a syntax error shows the located error and the watcher goes on; fixing it re-runs', async () => {
  const server = await serve(ok);
  const root = project({ 'users.http': `GET ${server.url}/users\n\n?? status == 200\n` });
  const watcher = watch([], root);
  await watcher.nextRun();

  writeFileSync(join(root, 'users.http'), `GET ${server.url}/users\nX-Broken\n\n?? status == 200\n`);
  const broken = await watcher.nextRun();
  expect(broken.text).toMatch(/users\.http:2:1: error: .*X-Broken/);
  expect(broken.text).toContain('  2 | X-Broken');
  expect(broken.text).toMatch(/\| \^+/);
  expect(broken.summary).toContain('1 not run');
  expect(hitsTo(server, '/users')).toBe(1);

  writeFileSync(join(root, 'users.http'), `GET ${server.url}/users\nX-Fixed: yes\n\n?? status == 200\n`);
  const fixed = await watcher.nextRun();
  expect(fixed.text).toMatch(/✓ passed +GET .*\/users +200/);
  expect(fixed.summary).toMatch(/^1 request: 1 passed/);
  expect(hitsTo(server, '/users')).toBe(2);
  expect(watcher.child.exitCode).toBeNull();
  expect((await watcher.stop()).code).toBe(0);
});

test('a new request file is picked up, a deleted one is dropped', async () => {
  const server = await serve(ok);
  const root = project({
    'http-client.env.json': JSON.stringify({ $shared: { v: '1' } }),
    'a.http': `GET ${server.url}/a?v={{v}}\n`,
  });
  const watcher = watch([], root);
  await watcher.nextRun();

  writeFileSync(join(root, 'b.http'), `GET ${server.url}/b?v={{v}}\n`);
  const added = await watcher.nextRun();
  expect(added.reason).toBe('added: b.http');
  expect(added.text).toContain('/b?v=1');
  expect(added.text).not.toContain('a.http');

  rmSync(join(root, 'a.http'));
  await watcher.waitFor(/^── .* removed: a\.http ──$/m);

  // The shared env file now reaches only the file that is left.
  writeFileSync(join(root, 'http-client.env.json'), JSON.stringify({ $shared: { v: '2' } }));
  const after = await watcher.nextRun();
  expect(after.text).toContain('/b?v=2');
  expect(after.text).not.toContain('a.http');
  expect(server.hits.map((hit) => hit.url)).toEqual(['/a?v=1', '/b?v=1', '/b?v=2']);
  expect((await watcher.stop()).code).toBe(0);
});

test('a file that does not match the watched paths is not picked up; a new env file above a watched folder is', async () => {
  const server = await serve(ok);
  const root = project({ 'api/users.http': `GET ${server.url}/users/{{id}}\n` });
  mkdirSync(join(root, 'other'));
  const watcher = watch(['api'], root);
  const first = await watcher.nextRun();
  expect(first.text).toMatch(/did not run: .*id/);

  writeFileSync(join(root, 'notes.http'), `GET ${server.url}/notes\n`);
  // The env file is in the project root, above the watched folder: it is watched because
  // api/users.http would read it.
  writeFileSync(join(root, 'http-client.env.json'), JSON.stringify({ $shared: { id: '7' } }));
  const second = await watcher.nextRun();
  expect(second.text).toContain('/users/7');
  expect(second.text).not.toContain('notes');
  expect(server.hits.map((hit) => hit.url)).toEqual(['/users/7']);
  expect((await watcher.stop()).code).toBe(0);
});

test('an imported file outside the watched folder is watched: editing it re-runs its importer', async () => {
  const server = await serve(ok);
  const root = project({
    'shared/other.http': `GET ${server.url}/one\n`,
    'api/main.http': `run ../shared/other.http\n\n###\nGET ${server.url}/main\n`,
  });
  const watcher = watch(['api'], root);
  const first = await watcher.nextRun();
  expect(first.summary).toMatch(/^2 requests: 2 passed/);

  writeFileSync(join(root, 'shared/other.http'), `GET ${server.url}/two\n`);
  const second = await watcher.nextRun();
  expect(second.reason).toBe('changed: shared/other.http');
  expect(second.text).toContain('api/main.http');
  expect(server.hits.map((hit) => hit.url)).toEqual(['/one', '/main', '/two', '/main']);
  expect((await watcher.stop()).code).toBe(0);
});

test('a glob is watched from its fixed folder: new files it matches are picked up, others are not', async () => {
  const server = await serve(ok);
  const root = project({ 'api/a.http': `GET ${server.url}/a\n` });
  const watcher = watch(['api/*.http'], root);
  await watcher.nextRun();

  writeFileSync(join(root, 'api/notes.rest'), `GET ${server.url}/notes\n`);
  mkdirSync(join(root, 'api/deeper'));
  writeFileSync(join(root, 'api/deeper/c.http'), `GET ${server.url}/c\n`);
  writeFileSync(join(root, 'api/b.http'), `GET ${server.url}/b\n`);
  const added = await watcher.nextRun();
  expect(added.reason).toBe('added: api/b.http');
  expect(added.text).toContain('api/b.http');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(server.hits.map((hit) => hit.url)).toEqual(['/a', '/b']);
  expect((await watcher.stop()).code).toBe(0);
});

test('an empty folder is watched until a request file appears', async () => {
  const server = await serve(ok);
  const root = project({});
  const watcher = watch([], root);
  await watcher.waitFor(/watching .* — Ctrl-C to stop\n/);
  writeFileSync(join(root, 'first.http'), `GET ${server.url}/first\n`);
  const added = await watcher.nextRun();
  expect(added.reason).toBe('added: first.http');
  expect(added.summary).toMatch(/^1 request: 1 passed/);
  expect((await watcher.stop()).code).toBe(0);
});

test('a run still in flight when its file changes is cancelled and restarted, without interleaved output', async () => {
  const waiting: ServerResponse[] = [];
  const server = await serve((request, body, response) => {
    if (request.url === '/slow') waiting.push(response);
    else ok(request, body, response);
  });
  const root = project({ 'slow.http': `GET ${server.url}/fast\n\n###\nGET ${server.url}/slow\n` });
  const watcher = watch([], root);
  // The first run hangs on /slow until the file changes.
  await watcher.waitFor(/ first run ──/);
  await until(() => waiting.length === 1);

  writeFileSync(join(root, 'slow.http'), `GET ${server.url}/fast\n\n?? status == 200\n`);
  await watcher.waitFor(/^── cancelled the run of slow\.http: changed: slow\.http ──\n/m);
  const restarted = await watcher.nextRun();
  expect(restarted.reason).toBe('changed: slow.http');
  expect(restarted.summary).toMatch(/^1 request: 1 passed/);

  // The cancelled run printed no summary and nothing after the cancel line but the new run.
  const output = watcher.output();
  const cancelAt = output.indexOf('── cancelled');
  expect(output.slice(0, cancelAt)).not.toMatch(/^\d+ requests?:/m);
  expect(output.slice(cancelAt).split('\n')[1]).toMatch(/^── .* changed: slow\.http ──$/);
  expect(output).not.toContain('/slow  ');
  expect(hitsTo(server, '/slow')).toBe(1);
  expect((await watcher.stop()).code).toBe(0);
});

test('a change to another file waits for the run in flight and does not cancel it', async () => {
  const waiting: ServerResponse[] = [];
  let hold = false;
  const server = await serve((request, body, response) => {
    if (request.url === '/slow' && hold) waiting.push(response);
    else ok(request, body, response);
  });
  const root = project({
    'a-slow.http': `GET ${server.url}/slow\n`,
    'b.http': `GET ${server.url}/b\n`,
  });
  const watcher = watch(['--jobs', '1'], root);
  await watcher.nextRun();
  hold = true;

  writeFileSync(join(root, 'a-slow.http'), `GET ${server.url}/slow\n\n?? status == 200\n`);
  await until(() => waiting.length === 1);
  writeFileSync(join(root, 'b.http'), `GET ${server.url}/b\n\n?? status == 200\n`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(watcher.output()).not.toContain('cancelled');
  waiting[0]!.writeHead(200).end('done');

  const slow = await watcher.nextRun();
  expect(slow.reason).toBe('changed: a-slow.http');
  expect(slow.summary).toMatch(/^1 request: 1 passed/);
  const next = await watcher.nextRun();
  expect(next.reason).toBe('changed: b.http');
  expect(next.text).toContain('/b');
  expect((await watcher.stop()).code).toBe(0);
});

test('Ctrl-C during a slow first run cancels it and exits 0 at once', async () => {
  const held: ServerResponse[] = [];
  const server = await serve((_request, _body, response) => held.push(response));
  const root = project({ 'slow.http': `GET ${server.url}/slow\n` });
  const watcher = watch([], root);
  await until(() => held.length === 1);
  const started = performance.now();
  expect(await watcher.stop('SIGINT')).toEqual({ code: 0, signal: null });
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(watcher.output()).not.toContain('watching');
});

test('SIGTERM also ends watch mode cleanly with exit code 0', async () => {
  const server = await serve(ok);
  const root = project({ 'a.http': `GET ${server.url}/a\n` });
  const watcher = watch([], root);
  await watcher.waitFor(/watching .* — Ctrl-C to stop/);
  expect(await watcher.stop('SIGTERM')).toEqual({ code: 0, signal: null });
});

test('a path that does not exist is a usage error (exit 2), read by the user on stderr', async () => {
  const root = project({});
  const result = await runCli(['watch', 'nowhere.http'], { cwd: root });
  expect(result.code).toBe(2);
  expect(result.stderr).toBe('httprun: no .http or .rest file matches "nowhere.http"\n');
});

test('--once runs what is watched once and exits with the usual exit code', async () => {
  const server = await serve(ok);
  const root = project({
    'good.http': `GET ${server.url}/good\n\n?? status == 200\n`,
    'bad/bad.http': `GET ${server.url}/bad\n\n?? status == 404\n`,
  });
  const passing = await runCli(['watch', '--once', 'good.http'], { cwd: root });
  expect(passing.code).toBe(0);
  expect(passing.stdout).toMatch(/^1 request: 1 passed/m);

  const failing = await runCli(['watch', '--once'], { cwd: root });
  expect(failing.code).toBe(1);
  expect(failing.stdout).toContain('bad/bad.http:3  ?? status == 404');
  expect(hitsTo(server, '/good')).toBe(2);
  expect(hitsTo(server, '/bad')).toBe(1);
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
