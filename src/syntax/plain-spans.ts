import type { ParseResult } from './ast.js';
import { SourceSpan } from './source-lines.js';

/**
 * The parse result with every span as plain data, `{ file, start, end }` with both positions as
 * own properties. The parser's spans compute positions when read (cheap for the runner, which
 * reads few), but a caller of the library copies, compares and posts them: spread, `toEqual`,
 * `structuredClone` and `postMessage` see only own properties. Replaced in place: the tree is new.
 */
export function withPlainSpans(result: ParseResult): ParseResult {
  const seen = new Set<object>();
  const visit = (value: object): void => {
    if (seen.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item !== 'object' || item === null) continue;
      if (item instanceof SourceSpan) record[key] = item.toJSON();
      else visit(item);
    }
  };
  visit(result);
  return result;
}
