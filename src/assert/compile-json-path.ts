import { createRequire } from 'node:module';
import type * as JsonP3 from 'json-p3';

/** What the assertions use of a compiled query: json-p3's JSONPathQuery, or a plain path of names and indexes. */
export interface CompiledJsonPath {
  query(value: unknown): { nodes: readonly { value: unknown; location: readonly (string | number)[] }[] };
  singularQuery(): boolean;
}

type Compiled = { compiled: CompiledJsonPath } | { error: string; index: number };

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

// `$.id`, `$.items[0].name`: dotted names and non-negative indexes, the paths nearly every file writes.
const PLAIN_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|[1-9][0-9]{0,14})\])*$/;
const PLAIN_SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]/g;

/**
 * Evaluates a plain path as RFC 9535 does (a name selects an own member of a non-array object, an
 * index an element of an array), so that such files never load json-p3 at all.
 */
function plainPath(path: string): CompiledJsonPath | null {
  if (!PLAIN_PATH.test(path)) return null;
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(PLAIN_SEGMENT)) segments.push(match[1] ?? Number(match[2]));
  return {
    singularQuery: () => true,
    query(value) {
      let current = value;
      for (const segment of segments) {
        if (typeof segment === 'number') {
          if (!Array.isArray(current) || segment >= current.length) return { nodes: [] };
          current = current[segment];
        } else {
          if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) return { nodes: [] };
          current = (current as Record<string, unknown>)[segment];
        }
      }
      return { nodes: [{ value: current, location: segments }] };
    },
  };
}

function compile(path: string): Compiled {
  const plain = plainPath(path);
  if (plain !== null) return { compiled: plain };
  try {
    return { compiled: jsonP3().jsonpath.compile(path) as unknown as CompiledJsonPath };
  } catch (error) {
    const index = (error as { token?: { index?: number } }).token?.index ?? 0;
    // json-p3 ends its messages with the query and offset in parentheses; callers show the path anyway.
    const detail = (error as Error).message.replace(/\s*\('[\s\S]*':\d+\)$/, '');
    return { error: `invalid JSONPath ${path}: ${detail}`, index: Math.min(index, path.length) };
  }
}
