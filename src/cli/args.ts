import { parseArgs } from 'node:util';
import { parseDuration, parseSize } from '../config/duration.js';
import { MAX_SHARDS } from '../run/options.js';

export type Command = 'run' | 'check' | 'watch' | 'demo' | 'help' | 'version';

export interface CliArgs {
  command: Command;
  paths: string[];
  env: string | null;
  vars: Record<string, string>;
  names: string[];
  lines: number[];
  tags: string[];
  jobs: number | null;
  shard: { index: number; total: number } | null;
  bail: boolean;
  retry: number | null;
  retryInterval: number | null;
  timeout: number | null;
  connectionTimeout: number | null;
  maxRedirects: number | null;
  maxBody: number | null;
  noRedirect: boolean;
  insecure: boolean;
  http2: boolean;
  caCert: string | null;
  dryRun: boolean;
  verbose: boolean;
  quiet: boolean;
  color: boolean | null;
  reports: { json?: string; junit?: string; tap?: string; html?: string };
  format: 'text' | 'json';
  once: boolean;
  debug: boolean;
}

export class UsageError extends Error {}

const OPTIONS = {
  // -e as in httpyac and JetBrains' ijhttp.
  env: { type: 'string', short: 'e' },
  var: { type: 'string', multiple: true },
  name: { type: 'string', multiple: true },
  line: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  jobs: { type: 'string', short: 'j' },
  shard: { type: 'string' },
  bail: { type: 'boolean' },
  retry: { type: 'string' },
  'retry-interval': { type: 'string' },
  timeout: { type: 'string' },
  'connection-timeout': { type: 'string' },
  'max-redirects': { type: 'string' },
  'max-body': { type: 'string' },
  'no-redirect': { type: 'boolean' },
  insecure: { type: 'boolean', short: 'k' },
  http2: { type: 'boolean' },
  cacert: { type: 'string' },
  'dry-run': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'report-json': { type: 'string' },
  'report-junit': { type: 'string' },
  'report-tap': { type: 'string' },
  'report-html': { type: 'string' },
  format: { type: 'string' },
  once: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const COMMANDS = new Set(['run', 'check', 'watch', 'demo', 'help']);

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(cleanParseArgsMessage((error as Error).message));
  }
  const { values, positionals } = parsed;
  let command: Command = 'run';
  const paths = [...positionals];
  if (paths.length > 0 && COMMANDS.has(paths[0]!)) command = paths.shift() as Command;
  if (values.help || command === 'help') command = 'help';
  else if (values.version) command = 'version';

  const vars: Record<string, string> = {};
  for (const pair of values.var ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var expects name=value, got "${pair}"`);
    vars[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format expects text or json, got "${format}"`);
  return {
    command,
    paths,
    env: values.env ?? null,
    vars,
    names: values.name ?? [],
    lines: (values.line ?? []).map((line) => positiveInteger('--line', line)),
    tags: (values.tag ?? []).flatMap((tag) => tag.split(',')).map((t) => t.trim()).filter(Boolean),
    jobs: values.jobs === undefined ? null : positiveInteger('--jobs', values.jobs),
    shard: values.shard === undefined ? null : parseShard(values.shard),
    bail: values.bail ?? false,
    retry: values.retry === undefined ? null : nonNegativeInteger('--retry', values.retry),
    retryInterval: values['retry-interval'] === undefined ? null : duration('--retry-interval', values['retry-interval']),
    timeout: values.timeout === undefined ? null : duration('--timeout', values.timeout),
    connectionTimeout: values['connection-timeout'] === undefined ? null : duration('--connection-timeout', values['connection-timeout']),
    maxRedirects: values['max-redirects'] === undefined ? null : nonNegativeInteger('--max-redirects', values['max-redirects']),
    maxBody: values['max-body'] === undefined ? null : size('--max-body', values['max-body']),
    noRedirect: values['no-redirect'] ?? false,
    insecure: values.insecure ?? false,
    http2: values.http2 ?? false,
    caCert: values.cacert ?? null,
    dryRun: values['dry-run'] ?? false,
    verbose: values.verbose ?? false,
    quiet: values.quiet ?? false,
    color: values['no-color'] ? false : values.color ? true : null,
    reports: {
      ...(values['report-json'] ? { json: values['report-json'] } : {}),
      ...(values['report-junit'] ? { junit: values['report-junit'] } : {}),
      ...(values['report-tap'] ? { tap: values['report-tap'] } : {}),
      ...(values['report-html'] ? { html: values['report-html'] } : {}),
    },
    format,
    once: values.once ?? false,
    debug: values.debug ?? false,
  };
}

/**
 * `--timeout -1s`, `--retry -1`: parseArgs refuses a value that starts with a dash as "ambiguous", in
 * three lines about `--timeout=-XYZ`. A value that reads as a negative number is the flag's value, so
 * that the flag's own check names what it expects; anything else after a flag that needs a value
 * (`--env --bail`) stays an option and the flag is reported as missing its value.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const next = argv[index + 1];
    if (arg === '--') {
      args.push(...argv.slice(index));
      break;
    }
    if (next !== undefined && /^-\.?\d/.test(next) && takesValue(arg)) {
      args.push(`${arg}=${next}`.replace(/^-(\w)=/, '-$1'));
      index++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

function takesValue(arg: string): boolean {
  if (arg.startsWith('--')) return OPTIONS[arg.slice(2) as keyof typeof OPTIONS]?.type === 'string';
  // A short flag alone (`-j`); `-j4` already carries its value.
  return /^-\w$/.test(arg) && Object.values(OPTIONS).some((option) => 'short' in option && option.short === arg[1] && option.type === 'string');
}

function cleanParseArgsMessage(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  // httpyac's `send --all`: here every request of the files given runs unless a selection says otherwise.
  if (unknown?.[1] === '--all') return 'unknown option --all: httprun runs every request of the files it is given (select with --name, --line or --tag)';
  if (unknown) return `unknown option ${unknown[1]} (see httprun --help)`;
  const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /Option '(-[\w-]+)' argument is ambiguous.*use '(--[\w-]+)=/s.exec(message);
  if (ambiguous) return `${ambiguous[2]} needs a value (${ambiguous[1]} is followed by an option; write ${ambiguous[2]}=VALUE for a value that starts with a dash)`;
  return message.replace(/\. To specify a positional argument.*$/s, '');
}

function positiveInteger(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`${flag} expects a whole number of 1 or more, got "${text}"`);
  return Number(text);
}

function nonNegativeInteger(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} expects a whole number, got "${text}"`);
  return Number(text);
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`${flag} expects a duration such as 500ms, 10s or 2m, got "${text}"`);
  return ms;
}

function size(flag: string, text: string): number {
  const bytes = parseSize(text);
  if (bytes === null) throw new UsageError(`${flag} expects a size such as 64MiB, 512KB or 1048576, got "${text}"`);
  return bytes;
}

function parseShard(text: string): { index: number; total: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new UsageError(`--shard expects i/n with 1 <= i <= n (e.g. 2/3), got "${text}"`);
  }
  // Each file weighs every shard (rendezvous hashing): --shard 1/99999999999999999999 never finished.
  if (total > MAX_SHARDS) throw new UsageError(`--shard supports at most ${MAX_SHARDS} shards, got "${text}"`);
  return { index, total };
}

export const HELP = `httprun — run .http request files (JetBrains, REST Client, httpyac, kulala dialects)

Usage:
  httprun [run] [paths|globs...]   run request files (directories recursively: *.http, *.rest)
  httprun check [paths...]         parse and resolve statically; no network
  httprun watch [paths...]         re-run files when they or what they read change (--once: run once)
  httprun demo                     start the bundled demo API and run requests/ against it

Selection:
  --name NAME        run the request(s) with this name (repeatable), plus what they depend on
  --line N           run the request at line N of each file (repeatable)
  --tag T            run requests tagged T (# @tag T; repeatable)
  --shard i/n        run the i-th of n deterministic slices of the files (CI sharding)

Variables:
  --env NAME, -e     select an environment (httprun.yaml, http-client.env.json,
                     .httpyac.json, .vscode/settings.json)
  --var k=v          set a variable (repeatable; wins over every other source)

Behaviour:
  --jobs N, -j       files in parallel (default: CPU count)
  --bail             stop at the first failure
  --retry N          retry a request that errored, answered 5xx/429 or failed an assertion
  --retry-interval D wait between retries (default 1s)
  --timeout D        whole-request timeout, 0 for none (default 30s)
  --connection-timeout D  connect timeout (default 10s)
  --max-redirects N  (default 20)    --no-redirect   do not follow redirects
  --max-body SIZE    largest response body read, 0 for no limit (default 64MiB)
  --insecure, -k     do not verify TLS certificates   --cacert FILE   trust this CA
  --http2            offer HTTP/2 to every https server
  --dry-run          resolve and print the requests; send nothing
  --verbose, -v      print each request and response (secrets masked)
  --quiet, -q        print failures and the summary only
  --no-color         no colours (also NO_COLOR); --color forces them

Reports (any combination; always written):
  --report-json FILE   --report-junit FILE   --report-tap FILE   --report-html FILE

Other:
  --format json      (check) machine-readable diagnostics
  --debug            show stack traces of internal errors
  -h, --help         -V, --version

Exit codes: 0 all passed · 1 an assertion failed · 2 usage or input error · 3 a request errored
Durations accept ms, s, m, h (500ms, 10s, 2m).`;
