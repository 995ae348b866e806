import type { RequestNode } from '../syntax/ast.js';

/** `{{login.response.body.$.token}}` → { request: 'login', path: 'response.body.$.token' } */
export interface RequestReference {
  request: string;
  path: string;
}

const REFERENCE = /^(.+?)\.((?:response|request)(?:\.[\s\S]*)?)$/;

export function parseRequestReference(name: string): RequestReference | null {
  const match = REFERENCE.exec(name);
  if (!match || match[1] === undefined || match[2] === undefined) return null;
  return { request: match[1], path: match[2] };
}

/** A reference binds to the nearest request of that name defined before it, else the first one after it. */
export function bindRequest(requests: readonly RequestNode[], name: string, atLine: number): RequestNode | null {
  let before: RequestNode | null = null;
  let after: RequestNode | null = null;
  for (const request of requests) {
    if (request.name !== name) continue;
    if (request.requestLine.start.line <= atLine) before = request;
    else if (after === null) after = request;
  }
  return before ?? after;
}
