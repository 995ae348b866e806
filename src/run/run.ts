import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Environment } from '../config/environment.js';
import { caFileProblem } from '../config/certificate-file.js';
import { clearConfigCache } from '../config/file-cache.js';
import { createHttpClient, type HttpClient } from '../execute/http-client.js';
import type { Reporter, RunEvent } from './events.js';
import { displayPath, findFiles, inShard } from './find-files.js';
import { mask } from './mask.js';
import { checkRunOptions, defaultRunOptions, describe, type RunOptions } from './options.js';
import { summarise, type FileResult, type RunResult } from './result.js';
import type { FileInput } from './check-file.js';
import { BAIL, runFile } from './run-file.js';
import { createSharedRun, markImportedFiles } from './shared-run.js';
import { describeIoError } from '../describe-io-error.js';
import { SecretSet } from './secret-set.js';
import { VERSION } from '../version.js';

/**
 * One input of `run()`: a path, a directory (searched recursively for `*.http` and `*.rest`, skipping
 * `node_modules` and dot-folders) or a glob, relative to the `cwd` option; or a file given as text,
 * `{ file, text }`, which is never read from disk (`file` names it in the result and anchors its
 * relative paths: env files, `< ./body.json`, imports).
 */
export type RunInput = string | { file: string; text: string };

/** `RunOptions`, all optional, plus what only a caller of `run()` gives. */
export interface RunCallOptions extends Partial<RunOptions> {
  /**
   * Told of the run as it goes (`onEvent`, in input order whatever `jobs` is) and given the result at
   * the end (`onEnd`, awaited). They see masked data only. A reporter that throws is not called again,
   * and its error becomes a process warning: the run, the other reporters and the result go on.
   * @default []
   */
  reporters?: Reporter[];
  /** @internal HTTP clients (keep-alive pools) kept across runs by watch mode; the caller closes them. */
  clients?: Map<string, HttpClient>;
  /**
   * @internal Config and env files read by an earlier run in this process are still current: watch
   * mode, which forgets them when one changes. Otherwise each run reads them afresh (a library caller
   * may have edited them between runs).
   */
  keepConfigCache?: boolean;
}

/** The names `run()` takes besides those of `RunOptions`. */
const CALL_OPTION_NAMES = ['reporters', 'clients', 'keepConfigCache'] as const;

/**
 * Runs request files and resolves with the result the JSON report (`--report-json`, SPEC §5.4)
 * serialises: `JSON.parse` of that report equals this object but for durations.
 *
 * Never rejects because of the files or the servers: a file that is missing, does not parse or
 * names an unknown environment is a `FileResult` with `error` set (exit code 2 in
 * `summary.exitCode`); a refused connection, a timeout or a failed assertion is a request's
 * outcome. It rejects with a TypeError naming the culprit only for a programming error: an input
 * that is neither a string nor `{ file, text }`, an unknown option name, an option of the wrong type
 * or range (`jobs: 0`, `timeout: '5s'`), a reporter that is not an object.
 *
 * Secrets (`<<NAME>>`, `secrets:` of httprun.yaml, values captured from responses marked secret)
 * are masked as `***` in the result and in every event reporters see.
 *
 * @param inputs Paths, directories, globs and `{ file, text }` files, mixed; none (`[]`) is the `cwd`.
 * @param callOptions See `RunOptions` for each option and its default.
 */
export async function run(inputs: RunInput | RunInput[], callOptions: RunCallOptions = {}): Promise<RunResult> {
  checkRunOptions(callOptions, CALL_OPTION_NAMES);
  const list = Array.isArray(inputs) ? inputs : [inputs];
  list.forEach(checkInput);
  const { reporters: given = [], clients: keptClients, keepConfigCache = false, ...overrides } = callOptions;
  const reporters = checkReporters(given);
  if (!keepConfigCache) clearConfigCache();
  const options = defaultRunOptions(overrides);
  const started = performance.now();
  const secrets = new SecretSet();

  const { files, problems } = await expandInputs(list, options);
  const listening = reporters.some((reporter) => reporter.onEvent);
  const emitMasked = (event: RunEvent) => {
    if (!listening) return;
    const masked = mask(event, secrets);
    for (let i = 0; i < reporters.length; i++) reporters[i]!.onEvent?.(masked);
  };
  emitMasked({ type: 'run-start', files: files.map((f) => f.display) });

  // An unreadable CA file, or one with no certificate Node can use (it would trust nothing more and
  // say nothing), is an input error found before anything is sent, not a failure per request.
  let caCert: string | null = null;
  if (options.caCert) {
    let error: string | null = null;
    try {
      caCert = readFileSync(resolve(options.cwd, options.caCert), 'utf8');
      const unusable = caFileProblem(caCert);
      if (unusable !== null) error = `the CA certificate ${options.caCert} ${unusable}`;
    } catch (cause) {
      error = `cannot read the CA certificate ${options.caCert}: ${describeIoError(cause)}`;
    }
    if (error !== null) {
      const problem: FileResult = { file: options.caCert, error, requests: [] };
      const result = mask(summarise([...problems, problem], performance.now() - started), secrets);
      for (const reporter of reporters) await reporter.onEnd(result);
      return result;
    }
  }
  const clients = keptClients ?? new Map<string, HttpClient>();
  const clientFor = (environment: Environment): HttpClient => {
    const key = environment.config.root;
    let client = clients.get(key);
    if (!client) {
      const certificates = environment.config.clientCertificates;
      client = createHttpClient({
        insecure: options.insecure || (environment.config.defaults.insecure ?? false),
        // Like request files, a relative path is the caller's cwd option's, not this process's.
        ...(caCert !== null ? { caCert } : {}),
        http2: options.http2 || (environment.config.defaults.http2 ?? false),
        ...(environment.config.proxy ? { proxy: environment.config.proxy } : {}),
        ...(Object.keys(certificates).length ? { clientCertificates: certificates } : {}),
        env: options.processEnv,
      });
      clients.set(key, client);
    }
    return client;
  };

  const cancel = new AbortController();
  const shared = createSharedRun();
  // Only another file of the run can import a file that also runs on its own.
  if (files.length > 1) markImportedFiles(shared, files, options.cwd);
  const onOuterAbort = () => cancel.abort();
  // A signal aborted before the call fires no event: nothing is sent then.
  if (options.signal?.aborted) cancel.abort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  // Files may finish in any order; their events reach reporters in input order.
  const buffers: RunEvent[][] = files.map(() => []);
  const finished: boolean[] = files.map(() => false);
  let flushed = 0;
  const flush = () => {
    while (flushed < files.length) {
      for (const event of buffers[flushed]!) emitMasked(event);
      buffers[flushed] = [];
      if (!finished[flushed]) return;
      flushed++;
    }
  };

  const results: FileResult[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const input = files[index]!;
      const emit = (event: RunEvent) => {
        // The file at the head of the order, with nothing held: straight through, as flush() would.
        if (index === flushed && buffers[index]!.length === 0) return emitMasked(event);
        buffers[index]!.push(event);
        if (index === flushed) flush();
      };
      try {
        results[index] = await runFile(input, {
          options,
          client: clientFor,
          secrets,
          emit,
          cancel,
          shared,
          userAgent: `httprun/${VERSION}`,
        });
      } catch (error) {
        // A bug, not an input problem: record it against the file and carry on.
        results[index] = {
          file: input.display,
          error: `internal error while running this file: ${(error as Error)?.message ?? String(error)}`,
          requests: [],
        };
        emit({ type: 'file-end', file: results[index]! });
      }
      // A file that cannot run (parse error, missing secret) is a failure too: --bail stops there.
      if (options.bail && results[index]!.error !== null) cancel.abort(BAIL);
      finished[index] = true;
      flush();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, files.length)) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (!keptClients) await Promise.all([...clients.values()].map((client) => client.close().catch(() => {})));
  }

  const all = [...problems, ...results];
  const result = mask(summarise(all, performance.now() - started), secrets);
  for (const reporter of reporters) await reporter.onEnd(result);
  return result;
}

function checkInput(input: unknown, index: number): void {
  if (typeof input === 'string') return;
  const file = (input as { file?: unknown } | null)?.file;
  const text = (input as { text?: unknown } | null)?.text;
  if (typeof file === 'string' && file !== '' && typeof text === 'string') return;
  throw new TypeError(
    `httprun run(): input ${index} must be a path or glob (a string) or { file: string, text: string }, got ${
      typeof input === 'object' && input !== null ? `{ file: ${describe(file)}, text: ${describe(text)} }` : describe(input)
    }`,
  );
}

/** A reporter whose call threw, as the run goes on without it. */
interface SafeReporter {
  onEvent: ((event: RunEvent) => void) | null;
  onEnd(result: RunResult): Promise<void>;
}

/**
 * The reporters with their calls guarded: one that throws (or rejects in onEnd) is dropped, and
 * its error becomes a process warning. The run's result is the caller's whatever a reporter does.
 */
function checkReporters(reporters: unknown): SafeReporter[] {
  if (!Array.isArray(reporters)) throw new TypeError(`httprun run(): option "reporters" must be an array of reporters, got ${describe(reporters)}`);
  return reporters.map((reporter: unknown, index) => {
    const { onEvent, onEnd } = (reporter ?? {}) as { onEvent?: unknown; onEnd?: unknown };
    if (typeof reporter !== 'object' || reporter === null || (onEvent !== undefined && typeof onEvent !== 'function') || (onEnd !== undefined && typeof onEnd !== 'function')) {
      throw new TypeError(`httprun run(): reporters[${index}] must be an object with onEvent(event) and/or onEnd(result) methods, got ${describe(reporter)}`);
    }
    let broken = false;
    const fail = (method: string, error: unknown) => {
      broken = true;
      const reason = error instanceof Error ? error.message : String(error);
      process.emitWarning(`httprun: reporters[${index}].${method} threw, so it gets nothing more of this run: ${reason}`, {
        code: 'HTTPRUN_REPORTER_ERROR',
      });
    };
    const typed = reporter as Reporter;
    return {
      onEvent:
        typeof onEvent === 'function'
          ? (event: RunEvent) => {
              if (broken) return;
              try {
                typed.onEvent!(event);
              } catch (error) {
                fail('onEvent', error);
              }
            }
          : null,
      onEnd: async (result: RunResult) => {
        if (broken || typeof onEnd !== 'function') return;
        try {
          await typed.onEnd!(result);
        } catch (error) {
          fail('onEnd', error);
        }
      },
    };
  });
}

async function expandInputs(inputs: RunInput[], options: RunOptions): Promise<{ files: FileInput[]; problems: FileResult[] }> {
  const files: FileInput[] = [];
  const problems: FileResult[] = [];
  const paths: string[] = [];
  for (const input of inputs) {
    if (typeof input === 'string') paths.push(input);
    else {
      const path = isAbsolute(input.file) ? input.file : resolve(options.cwd, input.file);
      files.push({ path, display: displayPath(path, options.cwd), text: input.text });
    }
  }
  if (paths.length > 0 || files.length === 0) {
    const found = await findFiles(paths, options.cwd);
    for (const path of found.files) files.push({ path, display: displayPath(path, options.cwd) });
    for (const unmatched of found.unmatched) {
      // httpyac's `httpyac send file.http`: here the files are given directly.
      const hint = unmatched === 'send' ? ' (httprun needs no send command: httprun file.http)' : '';
      problems.push({ file: unmatched, error: `no .http or .rest file matches "${unmatched}"${hint}`, requests: [] });
    }
    for (const { input, reason } of found.unusable) problems.push({ file: input, error: `${input} ${reason}`, requests: [] });
  }
  const shard = options.shard;
  return {
    files: shard ? files.filter((file) => inShard(file.display, shard.index, shard.total)) : files,
    problems,
  };
}
