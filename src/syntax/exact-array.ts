/**
 * A copy of an array built by push, at its length: V8 gives a pushed array room for 16 more
 * items, and an AST holds a dozen small arrays per request for as long as it lives (for a 5 MB
 * file, a third of its memory was that room).
 */
export function exact<T>(items: T[]): T[] {
  return items.length === 0 ? [] : items.slice();
}
