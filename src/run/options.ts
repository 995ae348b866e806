import { editDistance } from '../edit-distance.js';

/**
 * Everything a run can be told, validated: durations in milliseconds, sizes in bytes. `run()` takes
 * any subset (`RunCallOptions`); what is left out, or given as `undefined`, takes the default shown.
 * A `null` duration, size or count means "not set here": httprun.yaml `defaults:`, then the built-in
 * default decide (SPEC §7 "Defaults and limits"). As with the CLI's flags, a request's own
 * `# @timeout`, `# @connection-timeout` and `# @retry` win over `timeout`, `connectionTimeout`, `retry`
 * and `retryInterval`. Wrong values make `run()` reject with a TypeError naming the option.
 */
export interface RunOptions {
  /** Where relative paths, globs and `{ file }` names resolve, and what reported paths are relative to. @default process.cwd() */
  cwd: string;
  /** The environment to select (`--env`): a name in httprun.yaml / http-client.env.json / .vscode/settings.json. An unknown name is a file error in the result, not a throw. @default null (httprun.yaml `env:`, else none) */
  env: string | null;
  /** Variables that outrank every file and environment (`--var name=value`). @default {} */
  vars: Record<string, string>;
  /** The process environment: `<<SECRET>>` values, `{{$processEnv X}}`, proxies (`HTTP(S)_PROXY`). @default process.env */
  processEnv: Record<string, string | undefined>;
  /** Run only requests with one of these names (`--name`). @default [] (no selection) */
  names: string[];
  /** Run only the requests at (or containing) these 1-based lines, in every file (`--line`). @default [] */
  lines: number[];
  /** Run only requests with one of these `# @tag`s (`--tag`). @default [] */
  tags: string[];
  /** Files run in parallel (`--jobs`); reporters still get each file's events in input order. @default 1 (the CLI: the CPU count) */
  jobs: number;
  /** Run only the `index`-th (1-based) of `total` deterministic slices of the files (`--shard i/n`). @default null */
  shard: { index: number; total: number } | null;
  /** Stop at the first failed, errored or unparsable file; the rest are `skipped` (`--bail`). @default false */
  bail: boolean;
  /** Extra tries for a request that errored, answered 5xx/429 or failed an assertion (`--retry`). @default null (0) */
  retry: number | null;
  /** Milliseconds between tries (`--retry-interval`). @default null (1000) */
  retryInterval: number | null;
  /** Milliseconds for a whole request, 0 for none (`--timeout`). @default null (30000) */
  timeout: number | null;
  /** Milliseconds to connect (`--connection-timeout`). @default null (10000) */
  connectionTimeout: number | null;
  /** Redirects followed at most (`--max-redirects`). @default null (20) */
  maxRedirects: number | null;
  /** Largest response body read, in bytes after decoding, 0 for no limit (`--max-body`). @default null (64 MiB) */
  maxBody: number | null;
  /** Follow redirects; false is `--no-redirect`. @default true */
  followRedirects: boolean;
  /** Skip TLS certificate verification (`--insecure`). @default false */
  insecure: boolean;
  /** Use HTTP/2 where the server offers it (`--http2`). @default false */
  http2: boolean;
  /** A PEM file of extra CA certificates, relative to `cwd` (`--cacert`). Unreadable: the run ends with a file error. @default null */
  caCert: string | null;
  /** Resolve and check everything, send nothing (`--dry-run`). @default false */
  dryRun: boolean;
  /** Keep a preview (first 64 KiB) of every response body in `response.body`, also of bodies nothing reads (else drained, `body` null). The CLI sets it for `--verbose` and `--report-html`. @default false */
  captureBodies: boolean;
  /** The clock for dynamic variables such as `{{$timestamp}}` and `{{$datetime}}`; tests fix it. @default () => new Date() */
  now: () => Date;
  /** Cancels the run: requests not yet finished end `skipped` ("cancelled"), and `run()` resolves with the result. */
  signal?: AbortSignal;
}

export const DEFAULTS = {
  timeout: 30_000,
  connectionTimeout: 10_000,
  maxRedirects: 20,
  maxBody: 64 * 1024 * 1024,
  retry: 0,
  retryInterval: 1_000,
} as const;

/** The options with the defaults above; an option given as `undefined` takes its default too. */
export function defaultRunOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return {
    cwd: process.cwd(),
    env: null,
    vars: {},
    processEnv: process.env,
    names: [],
    lines: [],
    tags: [],
    jobs: 1,
    shard: null,
    bail: false,
    retry: null,
    retryInterval: null,
    timeout: null,
    connectionTimeout: null,
    maxRedirects: null,
    maxBody: null,
    followRedirects: true,
    insecure: false,
    http2: false,
    caCert: null,
    dryRun: false,
    captureBodies: false,
    now: () => new Date(),
    ...given,
  };
}

/** Far above any CI matrix (GitHub Actions runs at most 256 jobs of one matrix); each file weighs every shard, so a huge total would not finish. */
export const MAX_SHARDS = 1000;

type Check = (value: unknown) => string | null;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && !Array.isArray(value);
const integer = (min: number): Check => (value) =>
  Number.isSafeInteger(value) && (value as number) >= min ? null : `a whole number of ${min} or more`;
const orNull = (check: Check, what: string): Check => (value) => (value === null || check(value) === null ? null : `${what}, or null`);
const boolean: Check = (value) => (typeof value === 'boolean' ? null : 'true or false');
const milliseconds: Check = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? null : 'a number of milliseconds (0 or more)';
const stringList: Check = (value) => (Array.isArray(value) && value.every((item) => typeof item === 'string') ? null : 'an array of strings');

const stringRecord = (value: unknown, name: string, undefinedToo: boolean): string | null => {
  const what = `an object of string values${undefinedToo ? ' (like process.env)' : ''}`;
  if (!isRecord(value) || typeof value === 'function') return what;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && !(undefinedToo && item === undefined)) return `${what}, but ${name}.${key} is ${describe(item)}`;
  }
  return null;
};

/** What each option accepts, said the way the TypeError says it. */
const CHECKS: Record<keyof RunOptions, Check> = {
  cwd: (value) => (typeof value === 'string' && value !== '' ? null : 'a directory path (a non-empty string)'),
  env: (value) => (value === null || (typeof value === 'string' && value !== '') ? null : 'an environment name (a non-empty string), or null'),
  vars: (value) => stringRecord(value, 'vars', false),
  processEnv: (value) => stringRecord(value, 'processEnv', true),
  names: stringList,
  lines: (value) => (Array.isArray(value) && value.every((line) => integer(1)(line) === null) ? null : 'an array of line numbers (1 or more)'),
  tags: stringList,
  jobs: integer(1),
  shard: (value) =>
    value === null ||
    (isRecord(value) && integer(1)(value.total) === null && integer(1)(value.index) === null &&
      (value.index as number) <= (value.total as number) && (value.total as number) <= MAX_SHARDS)
      ? null
      : `{ index, total } with 1 <= index <= total <= ${MAX_SHARDS}, or null`,
  bail: boolean,
  retry: orNull(integer(0), 'a whole number of 0 or more'),
  retryInterval: orNull(milliseconds, 'a number of milliseconds (0 or more)'),
  timeout: orNull(milliseconds, 'a number of milliseconds (0 or more; 0 for none)'),
  connectionTimeout: orNull(milliseconds, 'a number of milliseconds (0 or more)'),
  maxRedirects: orNull(integer(0), 'a whole number of 0 or more'),
  maxBody: orNull(integer(0), 'a number of bytes (0 or more; 0 for no limit)'),
  followRedirects: boolean,
  insecure: boolean,
  http2: boolean,
  caCert: (value) => (value === null || (typeof value === 'string' && value !== '') ? null : 'a file path (a non-empty string), or null'),
  dryRun: boolean,
  captureBodies: boolean,
  now: (value) => (typeof value === 'function' ? null : 'a function returning a Date'),
  signal: (value) =>
    isRecord(value) && typeof value.aborted === 'boolean' && typeof value.addEventListener === 'function' ? null : 'an AbortSignal',
};

/**
 * Checks options given by a caller (plain JS included) before anything runs. A wrong option is a
 * programming error: a TypeError that names it. `extra` are the names `run()` itself takes
 * (reporters ...), checked there. `undefined` is always accepted: it means the default.
 */
export function checkRunOptions(options: unknown, extra: readonly string[] = []): void {
  if (options === undefined) return;
  if (!isRecord(options)) throw new TypeError(`httprun run(): options must be an object, got ${describe(options)}`);
  const known = [...Object.keys(CHECKS), ...extra];
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!known.includes(name)) {
      const near = known.filter((candidate) => editDistance(name.toLowerCase(), candidate.toLowerCase()) <= 2);
      throw new TypeError(`httprun run(): unknown option "${name}"${near.length > 0 ? ` (did you mean "${near[0]}"?)` : ''}`);
    }
    const check = CHECKS[name as keyof RunOptions];
    const problem = check?.(value) ?? null;
    if (problem !== null) {
      throw new TypeError(`httprun run(): option "${name}" must be ${problem}${problem.includes(', but ') ? '' : `, got ${describe(value)}`}`);
    }
  }
}

/** A value as a message shows it: `"5s"`, `0`, `null`, `an object`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 60)}...` : json;
  } catch {
    return Array.isArray(value) ? 'an array' : 'an object';
  }
}
