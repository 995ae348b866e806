import { resolve } from 'node:path';
import pc from 'picocolors';
import { clearConfigCache } from '../config/file-cache.js';
import type { HttpClient } from '../execute/http-client.js';
import { createConsoleReporter } from '../report/console.js';
import { describeFailure } from '../report/failure-text.js';
import type { CliArgs } from '../cli/args.js';
import { colorEnabled, projectDefaults, runCommand, runOptionsFrom, type Io } from '../cli/main.js';
import { displayPath, findFiles } from '../run/find-files.js';
import type { FileResult } from '../run/result.js';
import { run } from '../run/run.js';
import { checkFile } from '../run/run-file.js';
import { planReruns, type WatchState } from './plan-reruns.js';

const DEBOUNCE_MS = 15;

/**
 * `httprun watch`: runs the files, then re-runs each one when it, or anything its run reads
 * (env files, httprun.yaml, .env, body files), changes. The process stays warm: modules loaded,
 * keep-alive connections kept between runs. A syntax error is shown, never fatal.
 */
export async function watch(args: CliArgs, io: Io): Promise<number> {
  if (args.once) return runCommand(args, io);
  const { watch: chokidarWatch } = await import('chokidar');
  const color = colorEnabled(args, io);
  const c = pc.createColors(color);
  const interactive = io.isTTY && !io.env.CI;
  const targets = (args.paths.length ? args.paths : ['.']).map((p) => resolve(io.cwd, p));
  const state: WatchState = { files: new Set(), inputs: new Map() };
  const latest = new Map<string, FileResult>();
  const clients = new Map<string, HttpClient>();
  let current: AbortController | null = null;
  let running: Promise<void> = Promise.resolve();
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const found = await findFiles(args.paths, io.cwd);
  for (const file of found.files) state.files.add(file);

  const refreshInputs = async (file: string) => {
    const options = runOptionsFrom(args, io, projectDefaults(io.cwd, args.env));
    const checked = await checkFile({ path: file, display: displayPath(file, io.cwd) }, options, options);
    for (const [input, dependants] of state.inputs) {
      dependants.delete(file);
      if (dependants.size === 0) state.inputs.delete(input);
    }
    for (const input of checked.inputs) {
      const key = resolve(input);
      if (!state.inputs.has(key)) state.inputs.set(key, new Set());
      state.inputs.get(key)!.add(file);
      watcher.add(key);
    }
  };

  const runFiles = async (files: string[], why: string) => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    await running;
    if (controller.signal.aborted) return;
    const ordered = [...state.files].filter((f) => files.includes(f));
    if (ordered.length === 0) return;
    const defaults = projectDefaults(io.cwd, args.env);
    const options = runOptionsFrom(args, io, defaults);
    const buffer: string[] = [];
    const write = interactive ? (text: string) => buffer.push(text) : io.stdout;
    if (!interactive) io.stdout(`${c.dim(`── ${new Date().toLocaleTimeString()} ${why} ──`)}\n`);
    const reporter = createConsoleReporter({ write, color, quiet: args.quiet, verbose: args.verbose, tty: false, cwd: io.cwd });
    running = (async () => {
      const result = await run(ordered, { ...options, signal: controller.signal, reporters: [reporter], clients });
      if (controller.signal.aborted) return;
      for (const file of result.files) latest.set(file.file, file);
      await Promise.all(ordered.map((file) => refreshInputs(file).catch(() => {})));
      if (interactive) drawScreen(buffer.join(''), why);
    })().catch((error: unknown) => {
      io.stderr(`httprun: internal error in watch: ${(error as Error).message}\n`);
    });
    await running;
  };

  const drawScreen = (runOutput: string, why: string) => {
    const files = [...latest.values()].sort((a, b) => rank(b) - rank(a) || a.file.localeCompare(b.file));
    const lines: string[] = ['\x1b[2J\x1b[H' + c.bold(`httprun watch · ${new Date().toLocaleTimeString()} · ${why}`), ''];
    for (const file of files) {
      const failed = file.error !== null || file.requests.some((r) => r.outcome === 'failed' || r.outcome === 'errored');
      const mark = failed ? c.red('✗') : c.green('✓');
      const counts = `${file.requests.filter((r) => r.outcome === 'passed').length}/${file.requests.length} passed`;
      lines.push(`${mark} ${file.file}  ${c.dim(counts)}`);
      if (file.error) lines.push(`    ${c.red(file.error)}`);
      for (const request of file.requests) {
        const text = describeFailure(file, request);
        if (text && request.outcome !== 'skipped') lines.push(...text.split('\n').map((l) => `    ${l}`));
      }
    }
    lines.push('', c.dim('── last run ──'), runOutput.trimEnd(), '', c.dim('a: re-run all · f: re-run failed · q: quit'));
    io.stdout(`${lines.join('\n')}\n`);
  };

  const schedule = (path: string) => {
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = pending;
      pending = new Set();
      const plan = planReruns(state, changed);
      if (plan.configChanged) clearConfigCache();
      for (const file of plan.removed) {
        state.files.delete(file);
        latest.delete(displayPath(file, io.cwd));
      }
      for (const file of plan.added) state.files.add(file);
      if (plan.rerun.length > 0) {
        const names = [...changed].map((p) => displayPath(p, io.cwd)).join(', ');
        void runFiles(plan.rerun, `changed: ${names}`);
      }
    }, DEBOUNCE_MS);
  };

  const watcher = chokidarWatch(targets, {
    ignoreInitial: true,
    ignored: (path: string) => /(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(path),
  });
  watcher.on('all', (_event, path) => schedule(resolve(path)));
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));

  await runFiles([...state.files], 'first run');
  if (!interactive) io.stdout(`${c.dim(`watching ${targets.map((t) => displayPath(t, io.cwd) || '.').join(', ')} — Ctrl-C to stop`)}\n`);

  return new Promise<number>((done) => {
    const stop = () => {
      current?.abort();
      void watcher.close().then(async () => {
        await Promise.all([...clients.values()].map((client) => client.close().catch(() => {})));
        if (interactive && process.stdin.isTTY) process.stdin.setRawMode(false);
        done(0);
      });
    };
    io.signal?.addEventListener('abort', stop, { once: true });
    if (interactive && process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.resume();
      process.stdin.on('data', (key: Buffer) => {
        const k = key.toString();
        if (k === 'q' || k === '\u0003') {
          process.stdin.pause();
          stop();
        } else if (k === 'a') void runFiles([...state.files], 're-run all');
        else if (k === 'f') {
          const failed = [...state.files].filter((file) => {
            const result = latest.get(displayPath(file, io.cwd));
            return result && rank(result) > 0;
          });
          void runFiles(failed, 're-run failed');
        }
      });
    }
  });
}

function rank(file: FileResult): number {
  if (file.error !== null) return 3;
  if (file.requests.some((r) => r.outcome === 'errored')) return 2;
  if (file.requests.some((r) => r.outcome === 'failed')) return 1;
  return 0;
}

