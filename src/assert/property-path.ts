/**
 * httpyac's property paths (`?? body id`, `?? body items[0].name`, `?? body data.user.id`) read as
 * JSONPath (`$.id`, `$.items[0].name`, `$.data.user.id`). They are never evaluated as code: only
 * names, `[index]` and `['quoted name']` are accepted.
 */
export type PropertyPathResult =
  | {
      /** The JSONPath to run. */
      path: string;
      /** JSONPath of everything but the last segment (null when there is one segment only and it is an index). */
      parent: string | null;
      /** The last segment when it is a name. */
      last: string | null;
    }
  | { error: string; offset: number };

export function propertyPathToJsonPath(text: string): PropertyPathResult {
  // `body 'content-type'`: one quoted name.
  const quoted = /^'((?:[^'\\]|\\.)*)'$/.exec(text);
  if (quoted !== null) return propertyPathToJsonPath(`[${text}]`);
  const segments: { jsonPath: string; name: string | null }[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '.') {
      if (index === 0 || index === text.length - 1 || text[index + 1] === '.' || text[index + 1] === '[') {
        return { error: `unexpected "." in the property path ${text}`, offset: index };
      }
      index += 1;
      continue;
    }
    if (char === '[') {
      const rest = text.slice(index);
      const indexMatch = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      const quotedMatch = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      if (indexMatch !== null) {
        segments.push({ jsonPath: `[${indexMatch[1]}]`, name: null });
        index += indexMatch[0].length;
      } else if (quotedMatch !== null) {
        const name = (quotedMatch[1] ?? quotedMatch[2] ?? '').replace(/\\(.)/g, '$1');
        segments.push({ jsonPath: `[${quoteName(name)}]`, name });
        index += quotedMatch[0].length;
      } else {
        return { error: `expected [number] or ['name'] in the property path ${text}`, offset: index };
      }
      continue;
    }
    const nameMatch = /^[^.[\]]+/.exec(text.slice(index));
    if (nameMatch === null) return { error: `unexpected "${char}" in the property path ${text}`, offset: index };
    const name = nameMatch[0];
    segments.push({ jsonPath: /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${quoteName(name)}]`, name });
    index += name.length;
  }
  const join = (items: typeof segments): string => `$${items.map((segment) => segment.jsonPath).join('')}`;
  const last = segments[segments.length - 1];
  return {
    path: join(segments),
    parent: segments.length === 0 ? null : join(segments.slice(0, -1)),
    last: last?.name ?? null,
  };
}

function quoteName(name: string): string {
  return `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
