import type { RequestNode } from '../syntax/ast.js';
import { nameIndex } from './name-index.js';

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
  return requestIndex.nearest(requests, name, atLine, true);
}

/** Whether any request of the list has this name. */
export function hasRequestNamed(requests: readonly RequestNode[], name: string): boolean {
  return requestIndex.has(requests, name);
}

const requestIndex = nameIndex<RequestNode>(
  (request) => request.name,
  (request) => request.requestLine.start.line,
);
