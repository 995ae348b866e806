/**
 * Items of a list (requests, file variables) by name, with their lines, built once per list: a
 * file of n requests binds n references, and a scan per reference made `check` quadratic. A list
 * that grew since (imported requests are collected while imports load) is indexed again.
 */
export interface NameIndex<T> {
  /** The last item named `name` on a line before `atLine` (at it too when `inclusive`), else the first. */
  nearest(items: readonly T[], name: string, atLine: number, inclusive: boolean): T | null;
  has(items: readonly T[], name: string): boolean;
}

interface Named<T> {
  named: T[];
  /** Their lines, worked out once (a span computes its line when asked). */
  lines: number[];
  /** In line order (one file's items): halving finds the binding. */
  ordered: boolean;
}

export function nameIndex<T>(nameOf: (item: T) => string, lineOf: (item: T) => number): NameIndex<T> {
  const indexes = new WeakMap<readonly T[], { length: number; byName: Map<string, Named<T>> }>();
  const namedIn = (items: readonly T[], name: string): Named<T> | undefined => {
    let index = indexes.get(items);
    if (index === undefined || index.length !== items.length) {
      const byName = new Map<string, Named<T>>();
      for (const item of items) {
        const line = lineOf(item);
        const found = byName.get(nameOf(item));
        if (found === undefined) byName.set(nameOf(item), { named: [item], lines: [line], ordered: true });
        else {
          // Items of several imported files are not in one line order.
          if (found.ordered && line < found.lines[found.lines.length - 1]!) found.ordered = false;
          found.named.push(item);
          found.lines.push(line);
        }
      }
      index = { length: items.length, byName };
      indexes.set(items, index);
    }
    return index.byName.get(name);
  };
  return {
    nearest(items, name, atLine, inclusive) {
      const found = namedIn(items, name);
      if (found === undefined) return null;
      const { named, lines, ordered } = found;
      // Items on a line before `limit` count (one comparison, no closure per look-up).
      const limit = inclusive ? atLine + 1 : atLine;
      let nearest: T | null = null;
      if (ordered) {
        let low = 0;
        let high = named.length - 1;
        while (low <= high) {
          const middle = (low + high) >> 1;
          if (lines[middle]! < limit) {
            nearest = named[middle]!;
            low = middle + 1;
          } else high = middle - 1;
        }
      } else {
        for (let i = 0; i < named.length; i++) if (lines[i]! < limit) nearest = named[i]!;
      }
      return nearest ?? named[0]!;
    },
    has: (items, name) => namedIn(items, name) !== undefined,
  };
}
