import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { loadEnvironment } from '../config/environment.js';
import { caFileProblem } from '../config/certificate-file.js';
import type { Defaults } from '../config/project-config.js';
import { formatDiagnostic } from '../syntax/format-diagnostic.js';
import { createConsoleReporter } from '../report/console.js';
import { renderGithubAnnotations } from '../report/github-annotations.js';
import type { Diagnostic } from '../diagnostics.js';
import type { RunOptions } from '../run/options.js';
import { defaultRunOptions } from '../run/options.js';
import type { ExitCode, RunResult } from '../run/result.js';
import { describeIoError } from '../describe-io-error.js';
import { checkFile } from '../run/check-file.js';
import { displayPath, findFiles } from '../run/find-files.js';
import { VERSION } from '../version.js';
import { HELP, parseCliArgs, UsageError, type CliArgs } from './args.js';
import { writeReports } from '../report/write-reports.js';
import { batchedWrite } from '../report/batched-write.js';

export interface Io {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  signal?: AbortSignal;
}

/** The whole CLI as a function of its inputs; returns the exit code. */
export async function main(io: Io): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(io.argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`httprun: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.caCert !== null && args.command !== 'help' && args.command !== 'version') {
    // Read once here: a missing CA file is a usage error, not an internal error in every file's run.
    const path = resolve(io.cwd, args.caCert);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      io.stderr(`httprun: --cacert cannot read "${args.caCert}": ${describeIoError(error)}\n`);
      return 2;
    }
    const problem = caFileProblem(text);
    if (problem !== null) {
      io.stderr(`httprun: --cacert "${args.caCert}" ${problem}\n`);
      return 2;
    }
    args = { ...args, caCert: path };
  }
  switch (args.command) {
    case 'help':
      io.stdout(`${HELP}\n`);
      return 0;
    case 'version':
      io.stdout(`${VERSION}\n`);
      return 0;
    case 'check':
      return check(args, io);
    case 'demo':
      return (await import('./demo-command.js')).demo(args, io);
    case 'watch':
      return (await import('../watch/watch-command.js')).watch(args, io);
    case 'run':
      return runCommand(args, io);
  }
}

export function colorEnabled(args: CliArgs, io: Io): boolean {
  if (args.color !== null) return args.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

export function projectDefaults(cwd: string, env: string | null): Defaults {
  try {
    return loadEnvironment(join(cwd, '.httprun-probe.http'), { envName: env, cwd }).environment.config.defaults;
  } catch {
    return {};
  }
}

export function runOptionsFrom(args: CliArgs, io: Io, defaults: Defaults): RunOptions {
  return defaultRunOptions({
    cwd: io.cwd,
    env: args.env,
    vars: args.vars,
    processEnv: io.env,
    names: args.names,
    lines: args.lines,
    tags: args.tags,
    jobs: args.jobs ?? defaults.jobs ?? availableParallelism(),
    shard: args.shard,
    bail: args.bail,
    retry: args.retry,
    retryInterval: args.retryInterval,
    timeout: args.timeout,
    connectionTimeout: args.connectionTimeout,
    maxRedirects: args.maxRedirects,
    maxBody: args.maxBody,
    followRedirects: !args.noRedirect,
    insecure: args.insecure,
    http2: args.http2,
    caCert: args.caCert,
    dryRun: args.dryRun,
    captureBodies: args.verbose || Boolean(args.reports.html ?? defaults.reports?.html),
    ...(io.signal ? { signal: io.signal } : {}),
  });
}

export async function runCommand(args: CliArgs, io: Io, extra: Partial<RunOptions> = {}): Promise<number> {
  const defaults = projectDefaults(io.cwd, args.env);
  const options = { ...runOptionsFrom(args, io, defaults), ...extra };
  const color = colorEnabled(args, io);
  // One write per batch of lines rather than per request; everything is out before the reports,
  // on the first signal, and on an exit that cuts the run short (a second signal, an internal error).
  const out = batchedWrite(io.stdout, CONSOLE_BATCH_MS);
  const flush = () => out.flush();
  io.signal?.addEventListener('abort', flush);
  process.on('exit', flush);
  const reporter = createConsoleReporter({
    write: out.write,
    color,
    quiet: args.quiet,
    verbose: args.verbose,
    tty: io.isTTY && !io.env.CI,
    cwd: io.cwd,
  });
  // Loaded here, not at start-up: it brings the HTTP client (undici), which `check` never needs.
  const { run } = await import('../run/run.js');
  let result: RunResult;
  try {
    result = await run(args.paths, { ...options, reporters: [reporter] });
  } finally {
    out.flush();
    io.signal?.removeEventListener('abort', flush);
    process.off('exit', flush);
  }
  return await finish(result, args, io, defaults);
}

/** Long enough to gather many request lines into one write, short enough to look live. */
const CONSOLE_BATCH_MS = 50;

/** Reports, annotations and the exit code: the same for run, demo and watch --once. */
export async function finish(result: RunResult, args: CliArgs, io: Io, defaults: Defaults): Promise<number> {
  const paths = { ...defaults.reports, ...args.reports };
  const failures = await writeReports(result, paths, io.cwd);
  for (const failure of failures) io.stderr(`httprun: ${failure.message}\n`);
  if (io.env.GITHUB_ACTIONS === 'true') {
    for (const line of renderGithubAnnotations(result)) io.stdout(`${line}\n`);
  }
  let code: ExitCode = result.summary.exitCode;
  // A report asked for and not written is a bad flag (SPEC §5.2: 2): a green exit would let CI go on
  // without the JUnit file it uploads next. The JSON report's own exitCode is the run's, as written.
  if (failures.length > 0) code = 2;
  const selecting = args.names.length + args.lines.length + args.tags.length > 0;
  if (selecting && result.summary.requests === 0 && result.files.every((file) => file.error === null)) {
    io.stderr(`httprun: the selection (${describeSelection(args)}) matches no request\n`);
    code = 2;
  }
  // Interrupted: 128 + the signal's number, as shells report it.
  if (io.signal?.aborted) return io.signal.reason === 'SIGTERM' ? 143 : 130;
  return code;
}

function describeSelection(args: CliArgs): string {
  return [
    ...args.names.map((n) => `--name ${n}`),
    ...args.lines.map((n) => `--line ${n}`),
    ...args.tags.map((n) => `--tag ${n}`),
  ].join(' ');
}

async function check(args: CliArgs, io: Io): Promise<number> {
  const color = colorEnabled(args, io);
  const options = runOptionsFrom(args, io, projectDefaults(io.cwd, args.env));
  const found = await findFiles(args.paths, io.cwd);
  const all: Diagnostic[] = [];
  let errors = 0;
  let warnings = 0;
  let clean = 0;
  for (const unmatched of found.unmatched) {
    io.stderr(`httprun: no .http or .rest file matches "${unmatched}"\n`);
    errors++;
  }
  for (const { input, reason } of found.unusable) {
    io.stderr(`httprun: ${input} ${reason}\n`);
    errors++;
  }
  for (const path of found.files) {
    const display = displayPath(path, io.cwd);
    const checked = await checkFile({ path, display }, options, { names: [], lines: [], tags: [] });
    all.push(...checked.diagnostics);
    const fileErrors = checked.diagnostics.filter((d) => d.severity === 'error').length;
    errors += fileErrors;
    warnings += checked.diagnostics.length - fileErrors;
    if (fileErrors === 0) clean++;
    if (args.format === 'text') {
      for (const d of checked.diagnostics) {
        if (args.quiet && d.severity !== 'error') continue;
        // Only the request file's own lines are shown: an env file's line may hold a secret.
        io.stdout(`${formatDiagnostic(d, d.span.file === display ? checked.text : '', { color })}\n`);
      }
    }
  }
  if (args.format === 'json') {
    io.stdout(`${JSON.stringify({ version: 1, files: found.files.length, errors, warnings, diagnostics: all }, null, 2)}\n`);
  } else {
    const c = pc.createColors(color);
    const summary = `${found.files.length} file${found.files.length === 1 ? '' : 's'} checked: ${clean} clean, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    io.stdout(`${errors > 0 ? c.red(summary) : c.green(summary)}\n`);
  }
  return errors > 0 ? 2 : 0;
}
