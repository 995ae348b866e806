import vm from 'node:vm';
import { types } from 'node:util';
import { decodeBody } from '../assert/body-view.js';
import type { Exchange } from '../execute/exchange.js';
import { compileScript, scriptApi } from './compile-script.js';

export { scriptSetNames } from './script-set-names.js';

/**
 * What a JetBrains script may read and change outside itself.
 *
 * Isolation: each run gets a fresh node:vm context holding only the JetBrains API (built inside
 * that context, see script-api-source.ts): no `require`, `process`, host globals, timers or
 * `eval`/`new Function`, and an endless loop is stopped after `timeoutMs`. node:vm is not a
 * security boundary; this keeps scripts from reaching the host's globals by accident or by the
 * usual constructor tricks, and makes no stronger promise. Only run request files you trust.
 */
export interface ScriptHost {
  /** `client.global`: shared by the file's requests; the runner substitutes it into later `{{name}}`. */
  globals: Map<string, string>;
  /** `request.variables.get` → the resolved `{{name}}`. */
  variable(name: string): string | undefined;
  /** `request.environment.get`. */
  environment(name: string): string | undefined;
  /** Where the script's code starts (1-based), for located messages: the file, or the handler `.js` file. */
  file: string;
  line: number;
  column: number;
  /** Default 1000 ms. */
  timeoutMs?: number;
}

/** One `client.test(...)`, or a failed `client.assert` outside any test (named by its message). */
export interface ScriptTest {
  name: string;
  passed: boolean;
  message?: string;
  /** The line of the `client.test` call (of the `client.assert` when outside a test), when known. */
  line?: number;
}

export interface ScriptOutcome {
  tests: ScriptTest[];
  /** `client.log` lines: strings as they are, other values as JSON. */
  logs: string[];
  /** One line, located `file:line:col: ...`, when the script could not run to its end; else null. */
  error: string | null;
  /** `request.variables.set` values. */
  variables: Map<string, string>;
}

export interface ScriptRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
}

const DEFAULT_TIMEOUT_MS = 1000;

/** Runs a `< {% ... %}` script before its request is sent; `request` is what will be sent. */
export function runPreRequestScript(code: string, host: ScriptHost, request: ScriptRequest): ScriptOutcome {
  return runScript(code, host, {
    data: { request: { method: request.method, url: request.url, headers: request.headers }, response: null },
    requestBody: request.body,
    responseBody: null,
  });
}

/** Runs a `> {% ... %}` (or `> ./handler.js`) response handler on a completed exchange. */
export function runResponseScript(code: string, host: ScriptHost, exchange: Exchange): ScriptOutcome {
  const { request, response } = exchange;
  const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
  const mimeType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  return runScript(code, host, {
    data: {
      request: { method: request.method, url: request.url, headers: request.headers },
      response: {
        status: response.status,
        headers: response.headers,
        mimeType,
        charset,
        // JetBrains hands JSON bodies to scripts parsed; everything else as text.
        json: /^[\w.+-]+\/([\w.-]+\+)?json$/.test(mimeType),
      },
    },
    requestBody: request.body === null ? null : request.body.toString('utf8'),
    responseBody: () => decodeBody(response.body, contentType),
  });
}

interface ScriptInput {
  /** Serialised into the context as JSON, so the script only ever sees its own realm's objects. */
  data: {
    request: { method: string; url: string; headers: [string, string][] };
    response: { status: number; headers: [string, string][]; mimeType: string; charset: string; json: boolean } | null;
  };
  requestBody: string | null;
  /** Decoded only when the script reads `response.body`. */
  responseBody: (() => string) | null;
}

type BridgeValue = string | boolean | null | undefined;

function runScript(code: string, host: ScriptHost, input: ScriptInput): ScriptOutcome {
  const outcome: ScriptOutcome = { tests: [], logs: [], error: null, variables: new Map() };
  const start = `${host.file}:${host.line}:${host.column}`;
  const locate = (stack: string): string => {
    const at = userFrame(stack, host.file);
    return at === null ? start : `${host.file}:${at.line}:${at.column}`;
  };
  const lineOf = (stack: string): number => userFrame(stack, host.file)?.line ?? host.line;
  const fail = (message: string) => {
    // The first problem is the one to fix; later ones are usually its consequences.
    outcome.error ??= oneLine(message);
  };

  if (/^\s*--\s*lua\b/.test(code)) {
    fail(`${start}: this is a kulala Lua script (-- lua); httprun runs JavaScript scripts only`);
    return outcome;
  }
  const compiled = compileScript(code, host);
  if ('problem' in compiled) {
    const { line, column, message } = compiled.problem;
    fail(`${host.file}:${line}:${column}: ${message}`);
    return outcome;
  }

  let responseText: string | undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  // Called from inside the context: primitives in, primitives out, never a throw (see script-api-source.ts).
  const bridge = (op: unknown, a?: unknown, b?: unknown, c?: unknown, d?: unknown): BridgeValue => {
    try {
      switch (op) {
        case 'globalSet': host.globals.set(text(a), text(b)); return undefined;
        case 'globalGet': return host.globals.get(text(a)) ?? null;
        case 'globalIsEmpty': return host.globals.size === 0;
        case 'globalClear': host.globals.delete(text(a)); return undefined;
        case 'globalClearAll': host.globals.clear(); return undefined;
        case 'variableGet': return outcome.variables.get(text(a)) ?? host.variable(text(a)) ?? null;
        case 'variableSet': outcome.variables.set(text(a), text(b)); return undefined;
        case 'environmentGet': return host.environment(text(a)) ?? null;
        case 'requestBody': return input.requestBody;
        case 'responseBody':
          responseText ??= input.responseBody?.() ?? '';
          return responseText;
        case 'log': outcome.logs.push(text(a)); return undefined;
        case 'test': {
          const test: ScriptTest = { name: text(a), passed: b === true, line: lineOf(text(d)) };
          if (b !== true) test.message = text(c);
          outcome.tests.push(test);
          return undefined;
        }
        case 'testError':
          outcome.tests.push({ name: text(a), passed: false, message: oneLine(`${text(b)} (at ${locate(text(c))})`), line: lineOf(text(d)) });
          return undefined;
        case 'assert':
          outcome.tests.push({ name: text(a), passed: false, message: text(a), line: lineOf(text(b)) });
          return undefined;
        case 'unsupported':
          fail(`${locate(text(c))}: JetBrains script API "${text(a)}" is not supported by httprun (supported: ${text(b)})`);
          return undefined;
        case 'error':
          fail(`${locate(text(b))}: JetBrains script failed: ${text(a)}`);
          return undefined;
        default:
          return undefined;
      }
    } catch {
      return null;
    }
  };

  const timeoutMs = host.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context = vm.createContext(
    // A host object here would be reachable as the context's global (`this.constructor` is the
    // host's Object, whose constructor is the host's Function): no prototype, nothing to reach.
    Object.create(null) as object,
    // Promise jobs run inside runInContext, under the timeout, not later in the host's queue.
    { codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' },
  );
  try {
    const install = scriptApi().runInContext(context) as (bridge: unknown, dataJson: string) => void;
    install(bridge, JSON.stringify(input.data));
    compiled.script.runInContext(context, { timeout: timeoutMs, displayErrors: false });
  } catch (error) {
    if (isTimeout(error)) fail(`${start}: JetBrains script did not finish within ${timeoutMs} ms and was stopped (an endless loop?)`);
    // Anything else escaped the API's own error handling (a stack overflow inside it, say). The
    // value may belong to the script's realm: do not read it, its getters would run unguarded.
    else fail(`${start}: JetBrains script stopped unexpectedly`);
  }
  return outcome;
}

function isTimeout(error: unknown): boolean {
  // Node creates this error in the script's realm. Read it without running script code: no Proxy
  // traps, no getters (an own data property only).
  if (types.isProxy(error) || !types.isNativeError(error)) return false;
  const code = Object.getOwnPropertyDescriptor(error, 'code');
  return code !== undefined && 'value' in code && code.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** The innermost stack frame in the script's own file: `at fn (file:12:5)` or `at file:12:5`. */
function userFrame(stack: string, file: string): { line: number; column: number } | null {
  for (const frame of stack.split('\n')) {
    const match = /^\s*at (?:.*? \()?(.+):(\d+):(\d+)\)?$/.exec(frame);
    if (match !== null && match[1] === file) return { line: Number(match[2]), column: Number(match[3]) };
  }
  return null;
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
