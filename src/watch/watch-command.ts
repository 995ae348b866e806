import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pc from 'picocolors';
import { isDynamicPattern } from 'tinyglobby';
import { clearConfigCache } from '../config/file-cache.js';
import type { HttpClient } from '../execute/http-client.js';
import { createConsoleReporter } from '../report/console.js';
import type { CliArgs } from '../cli/args.js';
import { colorEnabled, projectDefaults, runCommand, runOptionsFrom, type Io } from '../cli/main.js';
import type { Reporter } from '../run/events.js';
import { displayPath, findFiles, REQUEST_FILE } from '../run/find-files.js';
import type { FileResult } from '../run/result.js';
import { run } from '../run/run.js';
import { checkFile } from '../run/check-file.js';
import { planReruns, type WatchState } from './plan-reruns.js';
import { createRunQueue, type Batch } from './run-queue.js';
import { rank, renderScreen } from './watch-screen.js';
import { configFolders, isConfigFile, isSkipped, isWithin, watchTargets } from './watch-targets.js';

/** Editors save in bursts (truncate, write, rename); one short pause gathers a burst into one run. */
const DEBOUNCE_MS = 10;
/**
 * chokidar drops a second `change` of the same file within 50 ms; a file is looked at again after
 * that window, and re-run when it differs from what the last run read.
 */
const RECHECK_MS = 70;
/** A run that takes longer than this shows "running …" on the interactive screen before it ends. */
const SLOW_RUN_MS = 200;

/**
 * `httprun watch`: runs the files, then re-runs each one when it, or anything its run reads
 * (env files, httprun.yaml, .env, body files), changes. The process stays warm: modules loaded,
 * config parsed once until it changes, keep-alive connections kept between runs. A syntax error is
 * shown, never fatal. Ctrl-C (or `q` on a terminal) exits 0.
 */
export async function watch(args: CliArgs, io: Io): Promise<number> {
  if (args.once) return runCommand(args, io);
  const color = colorEnabled(args, io);
  const c = pc.createColors(color);
  const interactive = io.isTTY && !io.env.CI;
  const targets = watchTargets(args.paths, io.cwd);

  const found = await findFiles(args.paths, io.cwd);
  // A folder with no request file yet, or a glob matching none yet, is fine: files may appear.
  const missing = found.unmatched.filter((input) => !existsSync(resolve(io.cwd, input)) && !isDynamicPattern(input));
  if (missing.length > 0 || found.unusable.length > 0) {
    for (const input of missing) io.stderr(`httprun: no .http or .rest file matches "${input}"\n`);
    for (const { input, reason } of found.unusable) io.stderr(`httprun: ${input} ${reason}\n`);
    return 2;
  }

  const state: WatchState = { files: new Set(found.files), inputs: new Map() };
  const latest = new Map<string, FileResult>();
  const rendered = new Map<string, string[]>();
  const clients = new Map<string, HttpClient>();
  /** Files outside the targets that some run reads (env and body files): watched one by one. */
  const extraFiles = new Set<string>();
  /** Folders outside the targets where config files are looked for: watched for those names only. */
  const configDirectories = new Set<string>();
  /**
   * Folders outside the targets that hold an extra file which does not exist yet (an import written
   * before its file): watched for those files' names. chokidar says `ready` before it watches the
   * folder of a missing file, so a file created just then would be missed by the file watch alone.
   */
  const missingFolders = new Set<string>();
  /** What each path looked like when a run last read it (see RECHECK_MS). */
  const seen = new Map<string, string>();
  /** Changed paths that affected no file, kept while a run goes: its check may show that it reads them. */
  let unclaimed = new Set<string>();
  let status = 'first run';

  const outsideTargets = (path: string) => !targets.some((target) => isWithin(path, target));
  let watching = false;
  const watchAlso = (inputs: readonly string[], folders: readonly string[]) => {
    // A file read from a folder the watcher skips (REST Client's .vscode/settings.json) is added by name too.
    const files = inputs.filter((path) => !extraFiles.has(path) && (outsideTargets(path) || isSkipped(path, targets, false)));
    for (const path of files) extraFiles.add(path);
    const directories = folders.filter((path) => !configDirectories.has(path) && outsideTargets(path));
    for (const path of directories) configDirectories.add(path);
    const missing = [
      ...new Set(files.filter((path) => !existsSync(path)).map((path) => dirname(path))),
    ].filter((path) => !missingFolders.has(path) && !configDirectories.has(path) && outsideTargets(path) && existsSync(path));
    for (const path of missing) missingFolders.add(path);
    if (!watching) return;
    if (files.length > 0) watcher.add(files);
    if (directories.length > 0 || missing.length > 0) configWatcher.add([...directories, ...missing]);
  };

  /** Learns what each file's run reads; returns the files that read a path that changed meanwhile. */
  const refreshInputs = async (files: readonly string[]): Promise<string[]> => {
    const options = runOptionsFrom(args, io, projectDefaults(io.cwd, args.env));
    for (const file of files) {
      const checked = await checkFile({ path: file, display: displayPath(file, io.cwd) }, options, options);
      for (const [input, dependants] of state.inputs) {
        dependants.delete(file);
        if (dependants.size === 0) state.inputs.delete(input);
      }
      const inputs = checked.inputs.map((input) => resolve(input));
      for (const input of inputs) {
        if (!state.inputs.has(input)) state.inputs.set(input, new Set());
        state.inputs.get(input)!.add(file);
      }
      // An imported file looks for config files from its own folder up: those folders count too.
      const readers = [file, ...inputs.filter((input) => REQUEST_FILE.test(input))];
      watchAlso(inputs, [...new Set(readers.flatMap((reader) => configFolders(reader, io.cwd)))]);
    }
    const late = [...unclaimed].flatMap((path) => [...(state.inputs.get(path) ?? [])]);
    unclaimed = new Set();
    return late;
  };

  const draw = () => {
    if (interactive) io.stdout(renderScreen({ files: [...latest.values()], diagnostics: rendered, status, color }));
  };

  const runBatch = async (batch: Batch, signal: AbortSignal, finished: (file: string) => void) => {
    const files = [...state.files].filter((file) => batch.files.has(file));
    if (files.length === 0) return;
    const byDisplay = new Map(files.map((file) => [displayPath(file, io.cwd), file]));
    const stamp = clock();
    status = `${stamp} · ${batch.reason}`;
    const write = (text: string) => {
      if (!signal.aborted && !interactive) io.stdout(text);
    };
    write(`${c.dim(`── ${stamp} ${batch.reason} ──`)}\n`);
    // A quick run redraws once, at its end; a slow one says first what it is waiting for.
    const slow = interactive
      ? setTimeout(() => {
          if (!signal.aborted) io.stdout(renderScreen({ files: [...latest.values()], diagnostics: rendered, status, running: [...byDisplay.keys()], color }));
        }, SLOW_RUN_MS)
      : undefined;
    const tracker: Reporter = {
      onEvent(event) {
        if (signal.aborted) return;
        if (event.type === 'file-start') rendered.delete(event.file);
        if (event.type === 'diagnostics') rendered.set(event.file, event.rendered);
        if (event.type === 'file-end') {
          latest.set(event.file.file, event.file);
          const path = byDisplay.get(event.file.file);
          if (path) finished(path);
        }
      },
      onEnd() {},
    };
    const options = runOptionsFrom(args, io, projectDefaults(io.cwd, args.env));
    const lines = createConsoleReporter({ write, color, quiet: args.quiet, verbose: args.verbose, tty: false, cwd: io.cwd });
    try {
      await run(files, { ...options, signal, reporters: [tracker, lines], clients, keepConfigCache: true });
    } finally {
      clearTimeout(slow);
    }
    if (signal.aborted) return;
    draw();
    const late = await refreshInputs(files);
    if (late.length > 0) queue.request(late, 'changed while running: an input of ' + late.map((file) => displayPath(file, io.cwd)).join(', '));
  };

  const queue = createRunQueue({
    runBatch,
    onCancel: (batch, reason) => {
      const names = [...batch.files].map((file) => displayPath(file, io.cwd)).join(', ');
      if (!interactive) io.stdout(`${c.yellow(`── cancelled the run of ${names}: ${reason} ──`)}\n`);
    },
    onError: (error) => io.stderr(`httprun: internal error in watch: ${(error as Error)?.message ?? String(error)}\n`),
  });

  // Changed paths, gathered until the burst is over.
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rechecks = new Map<string, ReturnType<typeof setTimeout>>();

  // A new request file counts when `run` would find it: same walk, same globs, same skipped folders.
  let membersNow: ReadonlySet<string> = new Set(found.files);
  const flushAsync = async () => {
    timer = undefined;
    const changed = pending;
    pending = new Set();
    for (const path of changed) seen.set(path, fingerprint(path));
    const appeared = [...changed].some((path) => /\.(http|rest)$/i.test(path) && !state.files.has(path));
    if (appeared) membersNow = new Set((await findFiles(args.paths, io.cwd)).files);
    const plan = planReruns(state, changed, { exists: existsSync, members: () => membersNow });
    if (queue.busy()) for (const path of plan.unclaimed) unclaimed.add(path);
    if (plan.configChanged) clearConfigCache();
    for (const file of plan.removed) {
      state.files.delete(file);
      const display = displayPath(file, io.cwd);
      latest.delete(display);
      rendered.delete(display);
      if (!interactive) io.stdout(`${c.dim(`── ${clock()} removed: ${display} ──`)}\n`);
    }
    for (const file of plan.added) state.files.add(file);
    if (plan.removed.length > 0 && plan.rerun.length === 0) {
      status = `${clock()} · removed: ${plan.removed.map((file) => displayPath(file, io.cwd)).join(', ')}`;
      draw();
    }
    if (plan.rerun.length > 0) {
      const unclaimedNow = new Set(plan.unclaimed);
      const names = [...changed].filter((path) => !unclaimedNow.has(path)).map((path) => displayPath(path, io.cwd)).join(', ');
      queue.request(plan.rerun, `${plan.added.length > 0 ? 'added' : 'changed'}: ${names}`);
    }
  };

  const schedule = (path: string) => {
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => void flushAsync(), DEBOUNCE_MS);
    clearTimeout(rechecks.get(path));
    rechecks.set(
      path,
      setTimeout(() => {
        rechecks.delete(path);
        if (seen.has(path) && fingerprint(path) !== seen.get(path)) schedule(path);
      }, RECHECK_MS),
    );
  };

  // What the files read is known before the watchers start, so that they are ready for all of it
  // before the first run: a change during that run is not missed.
  await refreshInputs([...state.files]);
  const { watch: chokidarWatch } = await import('chokidar');
  const watcher = chokidarWatch([...targets, ...extraFiles], {
    ignoreInitial: true,
    // atomic would hold back every delete by 100 ms; a burst of unlink + add is merged by the debounce.
    atomic: false,
    ignored: (path: string, stats?: { isDirectory(): boolean }) =>
      !extraFiles.has(path) && isSkipped(path, targets, stats?.isDirectory() ?? false),
  });
  // chokidar notices the creation of only one missing file per folder; a folder watch with a name
  // filter notices all of them (httprun.yaml, both env files and .env, imports not written yet).
  const configWatcher = chokidarWatch([...configDirectories, ...missingFolders], {
    ignoreInitial: true,
    atomic: false,
    depth: 0,
    ignored: (path: string) => !configDirectories.has(path) && !missingFolders.has(path) && !isConfigFile(path) && !extraFiles.has(path),
  });
  for (const each of [watcher, configWatcher]) {
    each.on('all', (event, path) => {
      if (event === 'addDir' || event === 'unlinkDir') return;
      schedule(resolve(path));
    });
    each.on('error', (error) => io.stderr(`httprun: watch: ${(error as Error).message}\n`));
  }
  const ready = (each: typeof watcher) => new Promise<void>((done) => each.once('ready', () => done()));
  await Promise.all([ready(watcher), ...(configDirectories.size + missingFolders.size > 0 ? [ready(configWatcher)] : [])]);
  watching = true;

  let stopping = false;
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  // Ctrl-C, SIGTERM or q: the run in flight is cancelled, the watchers and connections closed, exit 0.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(timer);
    for (const recheck of rechecks.values()) clearTimeout(recheck);
    if (interactive && process.stdin.isTTY) {
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
    void (async () => {
      await queue.stop();
      await Promise.all([watcher.close(), configWatcher.close()]);
      await Promise.all([...clients.values()].map((client) => client.close().catch(() => {})));
      exit(0);
    })();
  };
  if (io.signal?.aborted) stop();
  io.signal?.addEventListener('abort', stop, { once: true });
  if (interactive && process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.resume();
    process.stdin.on('data', (key: Buffer) => {
      const k = key.toString();
      if (k === 'q' || k === '\u0003' || k === '\u0004') {
        io.stdout('\n');
        stop();
      } else if (k === 'a') queue.request(state.files, 're-run all');
      else if (k === 'f') {
        const failed = [...state.files].filter((file) => {
          const result = latest.get(displayPath(file, io.cwd));
          return result !== undefined && rank(result) > 0;
        });
        queue.request(failed, 're-run failed');
      }
    });
  }

  queue.request(state.files, 'first run');
  await queue.idle();
  if (!stopping) {
    if (state.files.size === 0) draw();
    const shown = targets.map((target) => displayPath(target, io.cwd) || '.').join(', ');
    if (!interactive) io.stdout(`${c.dim(`watching ${shown} — Ctrl-C to stop`)}\n`);
  }
  return exited;
}

/** HH:MM:SS, the same in every locale: the header lines are read by people and by scripts. */
function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** What a run would read at `path`, cheaply: a changed file has a new mtime or size. */
function fingerprint(path: string): string {
  try {
    const stats = statSync(path);
    return `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
  } catch {
    return 'missing';
  }
}

