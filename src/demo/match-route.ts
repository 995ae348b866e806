import type { Route } from './demo-route.js';

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/** First route whose path and method match wins; a path that matches only other methods gives 405. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const segments = splitPath(pathname);
  const allow: string[] = [];
  for (const route of routes) {
    const params = matchPath(splitPath(route.path), segments);
    if (params === undefined) continue;
    if (route.method === '*' || route.method === method || (method === 'HEAD' && route.method === 'GET')) {
      return { kind: 'found', route, params };
    }
    allow.push(route.method);
  }
  return allow.length > 0 ? { kind: 'method-not-allowed', allow: [...new Set(allow)] } : { kind: 'not-found' };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = decodeSegment(segments[index] ?? '');
    if (!part.startsWith(':')) {
      if (part !== segment) return undefined;
      continue;
    }
    const dot = part.indexOf('.');
    const name = dot === -1 ? part.slice(1) : part.slice(1, dot);
    const suffix = dot === -1 ? '' : part.slice(dot);
    if (!segment.endsWith(suffix) || segment.length === suffix.length) return undefined;
    params[name] = segment.slice(0, segment.length - suffix.length);
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape cannot name anything we store; keep it raw so it simply finds nothing.
    return segment;
  }
}
