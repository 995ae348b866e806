import type { RequestNode } from '../syntax/ast.js';

/** `{{login.response.body.$.token}}` → { request: 'login', path: 'response.body.$.token' } */
export interface RequestReference {
  request: string;
  path: string;
}

const REFERENCE = /^(.+?)\.((?:response|request)(?:\.[\s\S]*)?)$/;

export function parseRequestReference(name: string): RequestReference | null {
  // Most names are plain (`host`, `token`): skip the regex unless a reference word is there at all.
  if (!name.includes('.response') && !name.includes('.request')) return null;
  const match = REFERENCE.exec(name);
  if (!match || match[1] === undefined || match[2] === undefined) return null;
  return { request: match[1], path: match[2] };
}

/** A reference binds to the nearest request of that name defined before it, else the first one after it. */
export function bindRequest(requests: readonly RequestNode[], name: string, atLine: number): RequestNode | null {
  const { named, lines, ordered } = requestsNamed(requests, name);
  if (named.length === 0) return null;
  if (!ordered) return scan(named, lines, atLine);
  // `named` is in line order: the last one at or before the line, else the first one after it.
  let before: RequestNode | null = null;
  let low = 0;
  let high = named.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (lines[middle]! <= atLine) {
      before = named[middle]!;
      low = middle + 1;
    } else high = middle - 1;
  }
  return before ?? named[0]!;
}

function scan(named: readonly RequestNode[], lines: readonly number[], atLine: number): RequestNode | null {
  let before: RequestNode | null = null;
  let after: RequestNode | null = null;
  for (let i = 0; i < named.length; i++) {
    if (lines[i]! <= atLine) before = named[i]!;
    else if (after === null) after = named[i]!;
  }
  return before ?? after;
}

/** Whether any request of the list has this name. */
export function hasRequestNamed(requests: readonly RequestNode[], name: string): boolean {
  return requestsNamed(requests, name).named.length > 0;
}

interface Named {
  named: readonly RequestNode[];
  /** Their request lines, worked out once (a span computes its line when asked). */
  lines: readonly number[];
  /** In line order (one file's requests): a binary search finds the binding. */
  ordered: boolean;
}

const NONE: Named = { named: [], lines: [], ordered: true };

/**
 * Requests by name, built once per list: a file of n requests that reference each other binds
 * n references, and a scan per reference made `check` quadratic. A list that grew since (the
 * imported requests are collected while imports load) is indexed again.
 */
const indexes = new WeakMap<readonly RequestNode[], { length: number; byName: Map<string, Named> }>();

function requestsNamed(requests: readonly RequestNode[], name: string): Named {
  let index = indexes.get(requests);
  if (index === undefined || index.length !== requests.length) {
    const byName = new Map<string, { named: RequestNode[]; lines: number[]; ordered: boolean }>();
    for (const request of requests) {
      const line = request.requestLine.start.line;
      const found = byName.get(request.name);
      if (found === undefined) byName.set(request.name, { named: [request], lines: [line], ordered: true });
      else {
        // Requests of several imported files are not in one line order.
        if (found.ordered && line < found.lines[found.lines.length - 1]!) found.ordered = false;
        found.named.push(request);
        found.lines.push(line);
      }
    }
    index = { length: requests.length, byName };
    indexes.set(requests, index);
  }
  return index.byName.get(name) ?? NONE;
}
