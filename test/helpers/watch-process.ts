import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI } from './cli.js';

export interface WatchRun {
  /** The header's reason: "first run", "changed: a.http", ... */
  reason: string;
  /** Everything from the header to the summary line, both included. */
  text: string;
  summary: string;
  /** When the summary line arrived (performance.now() in the test process). */
  at: number;
}

export interface WatchProcess {
  child: ChildProcessWithoutNullStreams;
  /** All of stdout so far. */
  output(): string;
  stderr(): string;
  /** Waits for `pattern` in stdout after what was already consumed, and consumes up to its end. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The next complete run block (header … summary line); cancelled blocks are skipped over. */
  nextRun(timeoutMs?: number): Promise<WatchRun>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const RUN = /^── \d\d:\d\d:\d\d (.+?) ──\n((?:(?!── |\d+ requests?: ).*\n)*)(\d+ requests?: .*)\n/m;

/** `node dist/bin/cli.js watch …` without a terminal (CI=true, no colour), stdout read as it comes. */
export function startWatch(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): WatchProcess {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', CI: 'true', ...options.env };
  delete env.GITHUB_ACTIONS;
  const child = spawn(process.execPath, [CLI, 'watch', ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv });
  let stdout = '';
  let stderr = '';
  let consumed = 0;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const current = waiters;
    waiters = [];
    for (const waiter of current) waiter();
  };
  const arrivals: { length: number; at: number }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    arrivals.push({ length: stdout.length, at: performance.now() });
    wake();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    wake();
  });
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      wake();
      resolve({ code, signal });
    }),
  );

  const waitFor = async (pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const rest = stdout.slice(consumed);
      const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(rest);
      if (match) {
        const end = consumed + match.index + match[0].length;
        const found = Object.assign([...match], { index: consumed + match.index, input: stdout, groups: match.groups }) as RegExpExecArray;
        consumed = end;
        return found;
      }
      if (exited) throw new Error(`watch exited before ${pattern} appeared.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };

  return {
    child,
    output: () => stdout,
    stderr: () => stderr,
    waitFor,
    async nextRun(timeoutMs) {
      const match = await waitFor(RUN, timeoutMs);
      const end = match.index + match[0].length;
      const at = arrivals.find((arrival) => arrival.length >= end)?.at ?? performance.now();
      return { reason: match[1]!, text: match[0], summary: match[3]!, at };
    },
    async stop(signal = 'SIGINT') {
      if (!exited) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}
