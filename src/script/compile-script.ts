import vm from 'node:vm';
import { findAsyncUse } from './find-async-use.js';
import { RUN_HOOK, SCRIPT_API_FILENAME, SCRIPT_API_SOURCE } from './script-api-source.js';

/** Where a script's code starts in its file: 1-based line and column. */
export interface ScriptOrigin {
  file: string;
  line: number;
  column: number;
}

/** A script ready to run, or why it cannot run, located in its file. */
export type CompiledScript =
  | { script: vm.Script }
  | { problem: { line: number; column: number; message: string } };

// The code becomes a function body, so `return` at top level works and declarations stay local;
// the prefix sits on the code's first line so every other line keeps its number and column.
const PREFIX = `${RUN_HOOK}(function () {`;

// A file may run the same script a thousand times (a request with retries, a long file):
// compile each distinct script once per process. Bounded, since watch mode sees every edit.
const cache = new Map<string, CompiledScript>();
const CACHE_LIMIT = 500;

let apiScript: vm.Script | undefined;

/** The installer of the `client` / `request` / `response` API, compiled once. */
export function scriptApi(): vm.Script {
  apiScript ??= new vm.Script(SCRIPT_API_SOURCE, { filename: SCRIPT_API_FILENAME });
  return apiScript;
}

/**
 * Compiles a script so that its stack frames carry the file's own line and column numbers.
 * Nothing runs here.
 */
export function compileScript(code: string, origin: ScriptOrigin): CompiledScript {
  const key = `${origin.file}\0${origin.line}\0${origin.column}\0${code}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const compiled = compile(code, origin);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function compile(code: string, origin: ScriptOrigin): CompiledScript {
  const lineOffset = origin.line - 1;
  try {
    // Parsing the code as a function body first does two jobs: syntax errors point into the code
    // (not into our wrapper), and code such as `}); (function () {` cannot step out of the
    // wrapper and run outside the API's error handling.
    vm.compileFunction(code, [], { filename: origin.file, lineOffset, columnOffset: origin.column - 1 });
  } catch (error) {
    const at = locateSyntaxError(error, origin);
    return { problem: { ...at, message: `syntax error in JetBrains script: ${at.message}` } };
  }
  const asyncUse = findAsyncUse(code);
  if (asyncUse !== null) {
    return {
      problem: {
        ...positionOf(code, asyncUse.offset, origin),
        message: `${asyncUse.what} cannot run in JetBrains scripts under httprun: scripts run synchronously (a rejected promise would escape the script)`,
      },
    };
  }
  try {
    const script = new vm.Script(`${PREFIX}${code}\n})`, {
      filename: origin.file,
      lineOffset,
      columnOffset: origin.column - 1 - PREFIX.length,
    });
    return { script };
  } catch (error) {
    // Code that compiled as a function body can still fail here: `-->` opening the first line is an
    // HTML-like comment at the start of a line, but after the prefix it is `--` then `>`. V8's source
    // line then includes the prefix, which the caret's column must not count.
    const at = locateSyntaxError(error, origin, PREFIX.length);
    return { problem: { ...at, message: `syntax error in JetBrains script: ${at.message}` } };
  }
}

function positionOf(code: string, offset: number, origin: ScriptOrigin): { line: number; column: number } {
  const before = code.slice(0, offset);
  const lineStart = before.lastIndexOf('\n');
  const line = origin.line + (before.match(/\n/g)?.length ?? 0);
  return { line, column: lineStart < 0 ? origin.column + offset : offset - lineStart };
}

/** V8 puts the position of a syntax error only in the stack: "file:LINE\n<source line>\n   ^^^". */
function locateSyntaxError(error: unknown, origin: ScriptOrigin, prefixLength = 0): { line: number; column: number; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack.split('\n') : [];
  const lineMatch = /:(\d+)$/.exec(stack[0] ?? '');
  const caret = (stack[2] ?? '').indexOf('^');
  if (lineMatch === null || caret < 0) return { line: origin.line, column: origin.column, message };
  const line = Number(lineMatch[1]);
  // The first line of the code starts at the origin's column; the others at column 1.
  const column = caret + 1 + (line === origin.line ? origin.column - 1 - prefixLength : 0);
  return { line, column, message };
}
