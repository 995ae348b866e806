import { jsonpath, type JSONPathQuery } from 'json-p3';

/** RFC 9535 JSONPath via json-p3; a syntax error comes back with its 0-based offset in the path. */
export function compileJsonPath(path: string): { compiled: JSONPathQuery } | { error: string; index: number } {
  try {
    return { compiled: jsonpath.compile(path) };
  } catch (error) {
    const index = (error as { token?: { index?: number } }).token?.index ?? 0;
    // json-p3 ends its messages with the query and offset in parentheses; callers show the path anyway.
    const detail = (error as Error).message.replace(/\s*\('[\s\S]*':\d+\)$/, '');
    return { error: `invalid JSONPath ${path}: ${detail}`, index: Math.min(index, path.length) };
  }
}
