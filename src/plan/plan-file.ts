import type { Diagnostic } from '../diagnostics.js';
import type { RequestNode } from '../syntax/ast.js';

export interface Selection {
  names: readonly string[];
  lines: readonly number[];
  tags: readonly string[];
}

export interface FilePlan {
  /** Requests in the order they run; each at most once. */
  order: RequestNode[];
  /** Requests explicitly selected (or all when nothing was selected). */
  selected: Set<RequestNode>;
  diagnostics: Diagnostic[];
}

export function isSelecting(selection: Selection): boolean {
  return selection.names.length > 0 || selection.lines.length > 0 || selection.tags.length > 0;
}

export function tagsOf(request: RequestNode): string[] {
  return request.metadata
    .filter((m) => m.key === 'tag' || m.key === 'tags')
    .flatMap((m) => m.value.split(/[,\s]+/))
    .map((tag) => tag.trim())
    .filter(Boolean);
}

export function matchesSelection(request: RequestNode, selection: Selection): boolean {
  if (!isSelecting(selection)) return true;
  if (selection.names.includes(request.name)) return true;
  if (selection.lines.some((line) => line >= request.span.start.line && line <= request.span.end.line)) return true;
  const tags = tagsOf(request);
  return selection.tags.some((tag) => tags.includes(tag));
}

const NONE: readonly RequestNode[] = [];

/**
 * Dependency order (SPEC §7): requests run in file order; one that another needs runs just before
 * its first dependant and not again at its own place. Cycles are errors found before sending.
 * `prelude` (kulala's shared block request) runs first whenever any request of the file runs, also
 * when a selection leaves it out: kulala runs it before the request you run.
 */
export function planFile(
  requests: readonly RequestNode[],
  dependencies: ReadonlyMap<RequestNode, readonly RequestNode[]>,
  selection: Selection,
  prelude: RequestNode | null = null,
): FilePlan {
  const selected = new Set(requests.filter((request) => matchesSelection(request, selection)));
  const order: RequestNode[] = [];
  const done = new Set<RequestNode>();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<RequestNode>();

  // Depth first with an explicit stack: a chain of n requests each needing the next is n deep, which
  // recursion with a copied path made quadratic (and could overflow the call stack).
  const path: RequestNode[] = [];
  const next: number[] = [];
  const onPath = new Set<RequestNode>();
  const visit = (root: RequestNode): void => {
    if (done.has(root)) return;
    if ((dependencies.get(root)?.length ?? 0) === 0) {
      done.add(root);
      order.push(root);
      return;
    }
    path.push(root);
    next.push(0);
    onPath.add(root);
    while (path.length > 0) {
      const top = path.length - 1;
      const request = path[top]!;
      const needs = dependencies.get(request) ?? NONE;
      const at = next[top]!;
      if (at < needs.length) {
        next[top] = at + 1;
        const dependency = needs[at]!;
        if (done.has(dependency)) continue;
        if (onPath.has(dependency)) {
          if (!reported.has(dependency)) {
            reported.add(dependency);
            const cycle = [...path.slice(path.indexOf(dependency)), dependency].map((r) => r.name).join(' → ');
            diagnostics.push({
              severity: 'error',
              code: 'plan/dependency-cycle',
              message: `requests depend on each other in a cycle: ${cycle}`,
              span: dependency.requestLine,
            });
          }
          continue;
        }
        path.push(dependency);
        next.push(0);
        onPath.add(dependency);
        continue;
      }
      path.pop();
      next.pop();
      onPath.delete(request);
      if (!done.has(request)) {
        done.add(request);
        order.push(request);
      }
    }
  };
  if (prelude !== null && selected.size > 0) visit(prelude);
  for (const request of requests) if (selected.has(request)) visit(request);
  return { order, selected, diagnostics };
}
