import type { Span } from '../diagnostics.js';
import type { HttpFileNode } from '../syntax/ast.js';

/**
 * Reuse across files: JetBrains/kulala `import ./auth.http`, `run ./auth.http`, `run #Login`, and
 * httpyac `# @import ./auth.http`. Imported requests run at most once per run.
 */
export type ImportDirective =
  | { kind: 'import'; path: string; span: Span }
  | { kind: 'run-file'; path: string; span: Span; overrides: Record<string, string> }
  | { kind: 'run-request'; name: string; span: Span; overrides: Record<string, string> };

export function importDirectives(ast: HttpFileNode): ImportDirective[] {
  const directives: ImportDirective[] = [];
  const foreign = [...ast.foreign, ...ast.requests.flatMap((request) => request.foreign)];
  for (const node of foreign) {
    if (node.what !== 'import' && node.what !== 'run') continue;
    const rest = node.text.trim().replace(/^(?:#|\/\/)?\s*@?(?:import|run)\s+/, '');
    if (node.what === 'import') directives.push({ kind: 'import', path: firstWord(rest), span: node.span });
    else if (rest.startsWith('#')) {
      directives.push({ kind: 'run-request', name: rest.slice(1).replace(OVERRIDES, '').trim(), span: node.span, overrides: overridesOf(rest) });
    } else directives.push({ kind: 'run-file', path: firstWord(rest.replace(OVERRIDES, '')), span: node.span, overrides: overridesOf(rest) });
  }
  const metadata = [...ast.metadata, ...ast.requests.flatMap((request) => request.metadata)];
  for (const meta of metadata) {
    if (meta.key === 'import' && meta.value.trim() !== '') {
      const already = directives.some((d) => d.kind === 'import' && d.span.start.line === meta.span.start.line);
      if (!already) directives.push({ kind: 'import', path: firstWord(meta.value.trim()), span: meta.span });
    }
  }
  // httpyac: `# @ref name` / `# @forceRef name` in a block without a request line runs that request there.
  for (const meta of ast.metadata) {
    if (meta.key !== 'ref' && meta.key !== 'forceRef' && meta.key !== 'force-ref') continue;
    for (const name of meta.value.split(/[,\s]+/).filter(Boolean)) directives.push({ kind: 'run-request', name, span: meta.span, overrides: {} });
  }
  return directives.sort((a, b) => a.span.start.offset - b.span.start.offset);
}

/** The path a directive names: quoted, else the whole rest when it names a request file (`./my auth.http`), else its first word. */
function firstWord(text: string): string {
  const quoted = /^["']([^"']+)["']/.exec(text);
  if (quoted) return quoted[1]!;
  const whole = text.trim();
  return /\.(?:http|rest)$/i.test(whole) ? whole : (whole.split(/\s+/)[0] ?? '');
}

// Values start with `@`, so a name may hold parentheses (kulala's `run #Request (zero)`).
const OVERRIDES = /\s*\((\s*@[^()]*)\)\s*$/;

/** JetBrains `run #Name (@host=example.server, @port=8080)`: variable values for that run only. */
function overridesOf(text: string): Record<string, string> {
  const list = OVERRIDES.exec(text)?.[1];
  const overrides: Record<string, string> = {};
  for (const item of list?.split(',') ?? []) {
    const match = /^\s*@?([\w.-]+)\s*=\s*(.*?)\s*$/.exec(item);
    if (match) overrides[match[1]!] = match[2]!;
  }
  return overrides;
}
