/**
 * Finds `async` functions and `import(...)` in a script's code, outside strings and comments.
 *
 * Why scripts may not be asynchronous: a promise rejected inside a vm context and never handled is
 * reported on the HOST process (`unhandledRejection`), which by default ends it — one careless
 * script would crash the whole run. The JetBrains API is synchronous and the context has no timers,
 * so nothing a script needs is lost. With `Promise` itself hidden (script-api-source.ts), these two
 * forms are the only ways left to make a promise.
 *
 * A scan, not a parser: regular expression literals are read as code, so a quote inside one can
 * hide what follows it. Returns the 0-based offset of the first use, or null.
 */
export function findAsyncUse(code: string): { offset: number; what: string } | null {
  const masked = maskLiterals(code);
  const match = /\basync\b|\bimport\s*\(/.exec(masked);
  if (match === null) return null;
  return { offset: match.index, what: match[0].startsWith('async') ? 'async functions' : 'import()' };
}

/** The code with the contents of strings, template text and comments blanked (offsets kept). */
function maskLiterals(code: string): string {
  const out = code.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n') out[i] = ' ';
  };
  // Brace depth of each open `${` so the template resumes at its own `}`.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const readTemplate = (start: number): number => {
    let j = start;
    while (j < code.length && code[j] !== '`') {
      if (code[j] === '\\') j += 2;
      else if (code[j] === '$' && code[j + 1] === '{') {
        blank(start, j);
        templates.push(depth);
        return j + 2;
      } else j++;
    }
    blank(start, j);
    return j + 1;
  };
  while (i < code.length) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      const stop = end < 0 ? code.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end < 0 ? code.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
    } else if (c === '`') {
      i = readTemplate(i + 1);
    } else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        i = readTemplate(i + 1);
      } else {
        depth--;
        i++;
      }
    } else i++;
  }
  return out.join('');
}
