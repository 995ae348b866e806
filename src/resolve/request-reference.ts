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
  const { named, ordered } = requestsNamed(requests, name);
  if (named.length === 0) return null;
  if (!ordered) return scan(named, atLine);
  // `named` is in line order: the last one at or before the line, else the first one after it.
  let before: RequestNode | null = null;
  let low = 0;
  let high = named.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (named[middle]!.requestLine.start.line <= atLine) {
      before = named[middle]!;
      low = middle + 1;
    } else high = middle - 1;
  }
  return before ?? named[0]!;
}

function scan(named: readonly RequestNode[], atLine: number): RequestNode | null {
  let before: RequestNode | null = null;
  let after: RequestNode | null = null;
  for (const request of named) {
    if (request.requestLine.start.line <= atLine) before = request;
    else if (after === null) after = request;
  }
  return before ?? after;
}

/** Whether any request of the list has this name. */
export function hasRequestNamed(requests: readonly RequestNode[], name: string): boolean {
  return requestsNamed(requests, name).named.length > 0;
}

interface Named {
  named: readonly RequestNode[];
  /** In line order (one file's requests): a binary search finds the binding. */
  ordered: boolean;
}

const NONE: Named = { named: [], ordered: true };

/**
 * Requests by name, built once per list: a file of n requests that reference each other binds
 * n references, and a scan per reference made `check` quadratic. A list that grew since (the
 * imported requests are collected while imports load) is indexed again.
 */
const indexes = new WeakMap<readonly RequestNode[], { length: number; byName: Map<string, Named> }>();

function requestsNamed(requests: readonly RequestNode[], name: string): Named {
  let index = indexes.get(requests);
  if (index === undefined || index.length !== requests.length) {
    const byName = new Map<string, { named: RequestNode[]; ordered: boolean }>();
    for (const request of requests) {
      const found = byName.get(request.name);
      if (found === undefined) byName.set(request.name, { named: [request], ordered: true });
      else {
        // Requests of several imported files are not in one line order.
        const last = found.named[found.named.length - 1]!;
        if (found.ordered && request.requestLine.start.line < last.requestLine.start.line) found.ordered = false;
        found.named.push(request);
      }
    }
    index = { length: requests.length, byName };
    indexes.set(requests, index);
  }
  return index.byName.get(name) ?? NONE;
}
