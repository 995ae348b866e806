import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { CLI, project } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';
import { CLEAR_SCREEN, FOOTER_KEYS } from '../src/watch/watch-screen.js';

// util-linux `script` gives the CLI a real pseudo-terminal: raw keys, isTTY, the full screen.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;
if (!hasScript) console.log('watch-tty: skipped, util-linux `script` is not installed (no pseudo-terminal to test the screen in)');

let server: TestServer | undefined;
let child: ChildProcessWithoutNullStreams | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await server?.close();
});

/** Runs `httprun watch` on a terminal; each redraw starts with CLEAR_SCREEN. */
function startOnTerminal(cwd: string) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', TERM: 'xterm' };
  delete env.CI;
  delete env.GITHUB_ACTIONS;
  const started = spawn('script', ['-qefc', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} watch`, '/dev/null'], {
    cwd,
    env: env as NodeJS.ProcessEnv,
  });
  child = started;
  let output = '';
  let seen = 0;
  started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString().replaceAll('\r\n', '\n')));
  /** The next complete screen (it ends with the keys) that satisfies `accept`. */
  const nextScreen = async (accept: (screen: string) => boolean, timeoutMs = 20_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screens = output.slice(seen).split(CLEAR_SCREEN);
      let offset = seen;
      for (const screen of screens) {
        const start = offset;
        offset += screen.length + CLEAR_SCREEN.length;
        // Only finished screens: a slow run first draws one that says what is still running.
        if (!screen.endsWith(`${FOOTER_KEYS}\n`) || screen.includes('\n… running ')) continue;
        if (accept(screen)) {
          seen = start + screen.length;
          return screen;
        }
      }
      if (Date.now() > deadline) throw new Error(`no matching screen in time; output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { child: started, nextScreen, press: (key: string) => started.stdin.write(key), output: () => output };
}

test.skipIf(!hasScript)('the terminal screen shows failures first and answers the keys f, a and q', async () => {
  server = await serve((request, response) => response.writeHead(200).end(request.url));
  const root = project({
    'a.http': `GET ${server.url}/a\n\n?? status == 200\n`,
    'b.http': `GET ${server.url}/b\n\n?? status == 201\n`,
  });
  const hits = (path: string) => server!.requests.filter((request) => request.url === path).length;
  const terminal = startOnTerminal(root);

  const first = await terminal.nextScreen((screen) => screen.includes('first run') && screen.includes('a.http'));
  expect(first).toMatch(/^httprun watch · \d\d:\d\d:\d\d · first run\n/);
  expect(first.indexOf('✗ b.http  0/1 passed')).toBeGreaterThan(0);
  expect(first.indexOf('✗ b.http')).toBeLessThan(first.indexOf('✓ a.http  1/1 passed'));
  expect(first).toContain('b.http:3  ?? status == 201');
  expect(first).toContain('2 requests: 1 passed, 1 failed');

  terminal.press('f');
  const failedOnly = await terminal.nextScreen((screen) => screen.includes('re-run failed'));
  expect(failedOnly).toContain('✗ b.http');
  expect([hits('/a'), hits('/b')]).toEqual([1, 2]);

  terminal.press('a');
  await terminal.nextScreen((screen) => screen.includes('re-run all'));
  expect([hits('/a'), hits('/b')]).toEqual([2, 3]);

  writeFileSync(join(root, 'b.http'), `GET ${server.url}/b\n\n?? status == 200\n`);
  const fixed = await terminal.nextScreen((screen) => screen.includes('changed: b.http'));
  expect(fixed).toContain('✓ a.http  1/1 passed\n✓ b.http  1/1 passed\n');
  expect(fixed).toContain('2 requests: 2 passed, 0 failed');

  terminal.press('q');
  const [code] = (await once(terminal.child, 'exit')) as [number | null];
  expect(code).toBe(0);
});

test.skipIf(!hasScript)('Ctrl-C on the terminal (a raw key, no signal) quits with exit code 0', async () => {
  server = await serve((_request, response) => response.writeHead(200).end());
  const root = project({ 'a.http': `GET ${server.url}/a\n` });
  const terminal = startOnTerminal(root);
  await terminal.nextScreen((screen) => screen.includes('✓ a.http'));
  terminal.press('\u0003');
  const [code] = (await once(terminal.child, 'exit')) as [number | null];
  expect(code).toBe(0);
});

test.skipIf(!hasScript)('a slow run first shows what is still running, then its result', async () => {
  const held: import('node:http').ServerResponse[] = [];
  server = await serve((_request, response) => held.push(response));
  const root = project({ 'slow.http': `GET ${server.url}/slow\n` });
  const terminal = startOnTerminal(root);
  const deadline = Date.now() + 20_000;
  while (!terminal.output().includes('… running slow.http')) {
    if (Date.now() > deadline) throw new Error(`no running screen; output:\n${terminal.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(held).toHaveLength(1);
  held[0]!.writeHead(200).end();
  const done = await terminal.nextScreen((screen) => screen.includes('✓ slow.http'));
  expect(done).toContain('1 request: 1 passed');
  terminal.press('q');
  const [code] = (await once(terminal.child, 'exit')) as [number | null];
  expect(code).toBe(0);
});
