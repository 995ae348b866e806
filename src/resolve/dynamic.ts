import { randomInt as cryptoRandomInt, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { closest } from '../edit-distance.js';
import { evaluateFakeData, FAKE_DATA_FAMILIES, FAKE_DATA_NAMES, isFakeDataName } from './fake-data.js';
import type dayjsType from 'dayjs';
import type utcPlugin from 'dayjs/plugin/utc.js';

type Dayjs = typeof dayjsType;
let loaded: Dayjs | undefined;
/** Loaded on first use: most runs have no `$datetime`, and start-up is paid on every run. */
function dayjs(): Dayjs {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    loaded = require('dayjs') as Dayjs;
    loaded.extend(require('dayjs/plugin/utc.js') as typeof utcPlugin);
  }
  return loaded;
}

/**
 * Dynamic variables (`{{$uuid}}`, `{{$datetime iso8601 1 d}}`, `{{$random.integer(1, 10)}}` ...): the union of
 * REST Client's system variables and JetBrains' built-in dynamic variables.
 *
 * Semantics taken from the dialect each form comes from:
 * - `$randomInt min max` is REST Client's: `min` included, `max` excluded (a reversed pair is swapped);
 *   `$randomInt` alone is JetBrains': 0..1000, both included.
 * - `$random.integer(a, b)` includes `b` (SPEC §7; JetBrains documents `b` as excluded), and
 *   `$random.integer(b)` is `(0, b)`; `$random.float(a, b)` is in [a, b), `$random.float(b)` in [0, b).
 * - `$random.alphanumeric(n)` draws from letters, digits and `_`, as JetBrains documents.
 * - `$timestamp` is Unix seconds; offsets are `<integer> <unit>`, unit one of `y Q M w d h m s ms`.
 * - `$datetime` formats in UTC, `$localDatetime` in the process's time zone (REST Client's output for
 *   `rfc1123` and `iso8601` in both).
 * - JetBrains' fake data, `$random.<class>.<method>` (`$random.name.firstName`), is in fake-data.ts.
 */
export interface DynamicContext {
  now: Date;
  processEnv: Record<string, string | undefined>;
  dotenv: Record<string, string>;
}

export type DynamicResult = { value: string } | { error: string };

type Evaluator = (args: string, context: DynamicContext) => DynamicResult;

const OFFSET_UNITS = ['y', 'Q', 'M', 'w', 'd', 'h', 'm', 's', 'ms'] as const;
type OffsetUnit = (typeof OFFSET_UNITS)[number];
const OFFSET_PATTERN = /^(-?\d+)\s*(ms|y|Q|M|w|d|h|m|s)$/;
const OFFSET_EXPECTED = `"<integer> <unit>" (unit one of ${OFFSET_UNITS.join(' ')})`;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALPHABETIC = LOWER + LOWER.toUpperCase();
const DIGITS = '0123456789';
// JetBrains: "letters, digits and underscores".
const ALPHANUMERIC = ALPHABETIC + DIGITS + '_';
const HEXADECIMAL = '0123456789abcdef';
// A generated string longer than this is almost certainly a typo, and would stall the run building it.
const MAX_RANDOM_LENGTH = 1_000_000;

const evaluators: Record<string, Evaluator> = {
  uuid: noArgs('uuid', () => randomUUID()),
  guid: noArgs('guid', () => randomUUID()),
  'random.uuid': noArgs('random.uuid', () => randomUUID()),
  timestamp: (args, context) =>
    withOffset('timestamp', args, context.now, (date) => String(Math.floor(date.valueOf() / 1000))),
  isoTimestamp: (args, context) => withOffset('isoTimestamp', args, context.now, (date) => date.toISOString()),
  // kulala's {{$date}}: today as YYYY-MM-DD, in local time like its other local values.
  date: (args, context) => noArgs('date', () => dayjs()(context.now).format('YYYY-MM-DD'))(args, context),
  datetime: (args, context) => formatDate('datetime', args, context.now, false),
  localDatetime: (args, context) => formatDate('localDatetime', args, context.now, true),
  randomInt: randomIntRestClient,
  'random.integer': randomIntegerJetBrains,
  'random.float': randomFloat,
  'random.alphabetic': randomString('random.alphabetic', ALPHABETIC),
  'random.alphanumeric': randomString('random.alphanumeric', ALPHANUMERIC),
  'random.hexadecimal': randomString('random.hexadecimal', HEXADECIMAL),
  'random.email': noArgs('random.email', () => `${pick(LOWER, 1)}${pick(LOWER + DIGITS, 9)}@example.com`),
  processEnv: processEnv,
  dotenv: dotenv,
  input: prompt('input'),
  password: prompt('password'),
  pick: prompt('pick'),
  // httpyac: `$prompt` is `$input` by another name; `-askonce` keeps the answer for the session, and
  // a run without prompts answers each the same way.
  prompt: prompt('prompt'),
  'input-askonce': prompt('input-askonce'),
  'password-askonce': prompt('password-askonce'),
  'prompt-askonce': prompt('prompt-askonce'),
  'pick-askonce': prompt('pick-askonce'),
};

/** Names as written after `$`, for `check` and for editors; JetBrains' fake data is FAKE_DATA_NAMES. */
export const DYNAMIC_NAMES: readonly string[] = Object.keys(evaluators);

export function isKnownDynamic(name: string): boolean {
  if (name.startsWith('env.')) return true;
  const called = splitCall(name, '').name;
  return Object.hasOwn(evaluators, called) || isFakeDataName(called);
}

/**
 * `name` is without `$`; `args` is the raw rest. `random.integer(1, 10)` may arrive glued to its name or
 * split as name "random.integer" and args "(1, 10)".
 */
export function evaluateDynamic(name: string, args: string, context: DynamicContext): DynamicResult {
  // kulala's {{$env.NAME}} reads the process environment, like $processEnv NAME.
  if (name.startsWith('env.') && args.trim() === '') return processEnv(name.slice(4), context);
  const call = splitCall(name, args);
  const evaluate = Object.hasOwn(evaluators, call.name) ? evaluators[call.name] : undefined;
  if (evaluate !== undefined) return evaluate(call.args.trim(), context);
  return evaluateFakeData(call.name, call.args) ?? { error: unknownMessage(call.name, call.args.trim()) };
}

function splitCall(name: string, args: string): { name: string; args: string } {
  const trimmed = name.trim().replace(/^\$/, '');
  const paren = trimmed.indexOf('(');
  if (paren === -1) return { name: trimmed, args };
  return { name: trimmed.slice(0, paren).trim(), args: trimmed.slice(paren) + args };
}

const SIGN_IN = 'get the token first (e.g. az account get-access-token) and pass it with --var or as a secret <<TOKEN>>';

/** Peers' dynamic variables that a command line cannot produce: why, and what to write instead. */
const UNSUPPORTED = new Map<string, string>([
  ['aadToken', `REST Client's $aadToken signs in to Azure AD from VS Code, which a command line cannot do; ${SIGN_IN}`],
  ['aadV2Token', `REST Client's $aadV2Token signs in to Azure AD from VS Code, which a command line cannot do; ${SIGN_IN}`],
  ['oidcAccessToken', `REST Client's $oidcAccessToken signs in through a browser, which a command line cannot do; ${SIGN_IN}`],
  [
    'exampleServer',
    "JetBrains' $exampleServer is the address of a demo server inside the IDE; write the address of a server you run (--var host=...)",
  ],
  [
    'projectRoot',
    "JetBrains' $projectRoot is the IDE project's folder; write the path relative to the request file (>> ./out/response.json)",
  ],
  [
    'historyFolder',
    "JetBrains' $historyFolder is the IDE's .idea/httpRequests folder; write the path relative to the request file (>> ./out/response.json)",
  ],
  [
    'placeholder',
    'JetBrains marks with $placeholder a part of the request it could not fill in (e.g. a path parameter of an imported request); replace it with a value or a {{variable}}',
  ],
]);

function unknownMessage(name: string, args: string): string {
  const unsupported = UNSUPPORTED.get(name);
  if (unsupported !== undefined) return `unsupported dynamic variable "$${name}": ${unsupported}`;
  // httpyac's `{{$xpath:login //token}}` queries the XML of the response `# @ref login` brought in.
  if (name === 'xpath') {
    const query = /^:([\w-]+)\s+(\S.*)$/.exec(args);
    const reference = query === null ? '{{login.response.body.//token}}' : `{{${query[1]}.response.body.${query[2]}}}`;
    return `unsupported dynamic variable "$xpath": httpyac's $xpath reads the XML of the last or a referenced response; write it as a request reference, ${reference} (see Captures in the README)`;
  }
  // httpyac's `{{ $global.token = response.parsedBody.token }}` blocks are code, which httprun skips.
  const global = /^global\.([\w$]+)$/.exec(name)?.[1];
  if (global !== undefined) {
    return `unsupported dynamic variable "$${name}": it holds what an httpyac script block sets ($global.${global} = ...), and httprun does not run {{ }} scripts; capture the value with a request reference (@${global} = {{login.response.body.$.${global}}}) or pass it with --var ${global}=...`;
  }
  // JetBrains' and kulala's {{$auth.token("name")}} / {{$auth.idToken("name")}} run an OAuth flow that
  // the editor configures (Security.Auth in http-client.env.json).
  if (name.startsWith('auth.')) {
    return `unsupported dynamic variable "$${name}": JetBrains and kulala get it from an OAuth flow their editor runs (configured under Security.Auth in http-client.env.json); get the token first and pass it with --var or as a secret <<TOKEN>>`;
  }
  const close = closest(name, [...DYNAMIC_NAMES, ...FAKE_DATA_NAMES]);
  const suggestion =
    close.length > 0
      ? `did you mean ${close.map((known) => `$${known}`).join(' or ')}?`
      : `known: ${DYNAMIC_NAMES.map((known) => `$${known}`).join(', ')}, and JetBrains' fake data $random.<class>.<method> (classes ${FAKE_DATA_FAMILIES.join(', ')})`;
  return `unknown dynamic variable "$${name}"; ${suggestion}`;
}

function noArgs(name: string, produce: () => string): Evaluator {
  return (args) => (args === '' || args === '()' ? { value: produce() } : { error: `$${name} takes no arguments, got "${args}"` });
}

function parseOffset(text: string): { amount: number; unit: OffsetUnit } | null {
  const match = OFFSET_PATTERN.exec(text.trim());
  if (match === null) return null;
  return { amount: Number(match[1]), unit: match[2] as OffsetUnit };
}

function shift(date: dayjsType.Dayjs, offset: { amount: number; unit: OffsetUnit } | null): dayjsType.Dayjs {
  if (offset === null) return date;
  // dayjs only knows quarters through a plugin; three months is what a quarter is.
  if (offset.unit === 'Q') return date.add(offset.amount * 3, 'M');
  return date.add(offset.amount, offset.unit);
}

function withOffset(name: string, args: string, now: Date, format: (date: dayjsType.Dayjs) => string): DynamicResult {
  if (args === '') return { value: format(dayjs().utc(now)) };
  const offset = parseOffset(args);
  if (offset === null) return { error: `$${name} expects an optional offset ${OFFSET_EXPECTED}, got "${args}"` };
  return { value: format(shift(dayjs().utc(now), offset)) };
}

const DATE_FORMAT = /^(iso8601|rfc1123|"[^"]*"|'[^']*')(?:\s+(.*))?$/;

function formatDate(name: string, args: string, now: Date, local: boolean): DynamicResult {
  const match = DATE_FORMAT.exec(args);
  if (match === null) {
    const expected = `$${name} expects a format (iso8601, rfc1123 or a quoted dayjs format such as "YYYY-MM-DD") and an optional offset ${OFFSET_EXPECTED}`;
    return { error: `${expected}, got "${args}"` };
  }
  const kind = match[1] ?? '';
  const rest = match[2]?.trim() ?? '';
  const offset = rest === '' ? null : parseOffset(rest);
  if (rest !== '' && offset === null) {
    return { error: `$${name} expects an optional offset ${OFFSET_EXPECTED} after the format, got "${rest}"` };
  }
  const date = shift(local ? dayjs()(now) : dayjs().utc(now), offset);
  // REST Client: UTC is toISOString() (milliseconds, Z); local is dayjs' default format (seconds, +hh:mm).
  if (kind === 'iso8601') return { value: local ? date.format() : date.toISOString() };
  if (kind === 'rfc1123') {
    return { value: local ? date.format('ddd, DD MMM YYYY HH:mm:ss ZZ') : date.toDate().toUTCString() };
  }
  return { value: date.format(kind.slice(1, -1)) };
}

/** `(a, b)`, `a, b` or `a b`: JetBrains writes calls, REST Client writes words. */
function splitArguments(args: string): string[] {
  const inner = args.startsWith('(') && args.endsWith(')') ? args.slice(1, -1) : args;
  const trimmed = inner.trim();
  return trimmed === '' ? [] : trimmed.split(/\s*,\s*|\s+/);
}

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function randomIntRestClient(args: string): DynamicResult {
  const parts = splitArguments(args);
  if (parts.length === 0) return { value: String(cryptoRandomInt(0, 1001)) };
  const [min, max] = parts;
  if (parts.length !== 2 || !INTEGER.test(min ?? '') || !INTEGER.test(max ?? '')) {
    return { error: `$randomInt expects two integers "min max", got "${args}"` };
  }
  const low = Math.min(Number(min), Number(max));
  const high = Math.max(Number(min), Number(max));
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
    return { error: `$randomInt expects integers between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got "${args}"` };
  }
  return { value: String(low === high ? low : randomBelow(low, high)) };
}

function randomIntegerJetBrains(args: string): DynamicResult {
  const parts = splitArguments(args);
  if (parts.length === 0) return { value: String(cryptoRandomInt(0, 1001)) };
  // JetBrains' one-argument form `(to)` starts at 0.
  const [from, to] = parts.length === 1 ? ['0', parts[0]] : parts;
  if (parts.length > 2 || !INTEGER.test(from ?? '') || !INTEGER.test(to ?? '')) {
    return { error: `$random.integer expects two integers "(from, to)" or one "(to)", got "${args}"` };
  }
  const low = Number(from);
  const high = Number(to);
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
    return { error: `$random.integer expects integers between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got "${args}"` };
  }
  if (low > high) return { error: `$random.integer expects from <= to, got "${args}"` };
  return { value: String(randomBelow(low, high + 1)) };
}

/** A uniform integer in [low, high); crypto's randomInt only takes ranges under 2^48. */
function randomBelow(low: number, high: number): number {
  const span = high - low;
  if (span <= 2 ** 48 - 1) return low + cryptoRandomInt(0, span);
  return low + Math.floor(Math.random() * span);
}

function randomFloat(args: string): DynamicResult {
  const parts = splitArguments(args);
  if (parts.length === 0) return { value: String(Math.random() * 1000) };
  const [from, to] = parts.length === 1 ? ['0', parts[0]] : parts;
  if (parts.length > 2 || !NUMBER.test(from ?? '') || !NUMBER.test(to ?? '')) {
    return { error: `$random.float expects two numbers "(from, to)" or one "(to)", got "${args}"` };
  }
  const low = Number(from);
  const high = Number(to);
  if (low > high) return { error: `$random.float expects from <= to, got "${args}"` };
  return { value: String(low + Math.random() * (high - low)) };
}

function randomString(name: string, alphabet: string): Evaluator {
  return (args) => {
    const parts = splitArguments(args);
    const [length] = parts;
    if (parts.length !== 1 || !/^\d+$/.test(length ?? '') || Number(length) > MAX_RANDOM_LENGTH) {
      return { error: `$${name} expects a length "(n)" from 0 to ${MAX_RANDOM_LENGTH}, got "${args}"` };
    }
    return { value: pick(alphabet, Number(length)) };
  };
}

function pick(alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) text += alphabet[cryptoRandomInt(0, alphabet.length)];
  return text;
}

function processEnv(args: string, context: DynamicContext): DynamicResult {
  if (args.startsWith('%')) {
    return {
      error: `$processEnv %${args.slice(1)} (REST Client's indirect form) is unsupported: name the process variable directly, as in $processEnv ${args.slice(1) || 'NAME'}`,
    };
  }
  if (!/^[\w.-]+$/.test(args)) return { error: `$processEnv expects one variable name, got "${args}"` };
  const value = context.processEnv[args];
  if (value === undefined) return { error: `$processEnv ${args}: "${args}" is not set in the process environment` };
  return { value };
}

/**
 * httpyac's prompts (`{{$input username? $value: john}}`) cannot ask anything in a CI run: the
 * `$value:` default answers them (for `$pick`, its first choice); without one they are an error.
 */
function prompt(name: string): Evaluator {
  return (args) => {
    const at = args.indexOf('$value:');
    if (at < 0) {
      return { error: `$${name} asks a question, and httprun runs without prompts: give a default with "$value: ..." or replace it with a {{variable}} set by --var` };
    }
    const value = args.slice(at + '$value:'.length).trim();
    return { value: name.startsWith('pick') ? (value.split(',')[0] ?? '').trim() : value };
  };
}

function dotenv(args: string, context: DynamicContext): DynamicResult {
  if (!/^[\w.-]+$/.test(args)) return { error: `$dotenv expects one variable name, got "${args}"` };
  if (!Object.hasOwn(context.dotenv, args)) {
    return { error: `$dotenv ${args}: "${args}" is not defined in a .env file (beside the request file or at the project root)` };
  }
  return { value: context.dotenv[args] ?? '' };
}
