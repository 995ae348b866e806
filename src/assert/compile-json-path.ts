import { createRequire } from 'node:module';
import type * as JsonP3 from 'json-p3';
import type { JSONPathQuery } from 'json-p3';

type Compiled = { compiled: JSONPathQuery } | { error: string; index: number };

let library: typeof JsonP3 | undefined;
/** Required on first use: a run without JSONPath should not pay for loading json-p3. */
const jsonP3 = (): typeof JsonP3 => (library ??= createRequire(import.meta.url)('json-p3') as typeof JsonP3);

// The same few paths are compiled once per request and assertion (`$.id` a thousand times in a
// file); a compiled query is immutable, so one per distinct path serves them all.
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 2000;

/** RFC 9535 JSONPath via json-p3; a syntax error comes back with its 0-based offset in the path. */
export function compileJsonPath(path: string): Compiled {
  let found = cache.get(path);
  if (found === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    found = compile(path);
    cache.set(path, found);
  }
  return found;
}

function compile(path: string): Compiled {
  try {
    return { compiled: jsonP3().jsonpath.compile(path) };
  } catch (error) {
    const index = (error as { token?: { index?: number } }).token?.index ?? 0;
    // json-p3 ends its messages with the query and offset in parentheses; callers show the path anyway.
    const detail = (error as Error).message.replace(/\s*\('[\s\S]*':\d+\)$/, '');
    return { error: `invalid JSONPath ${path}: ${detail}`, index: Math.min(index, path.length) };
  }
}
