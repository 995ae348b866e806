import type { CompiledJsonPath } from './compile-json-path.js';
import type { CertificateAttribute, CookieAttribute, Query } from './parse-assertion.js';
import type { Exchange } from '../execute/exchange.js';
import type { ResponseView } from './response-view.js';
import { evaluateXPath } from './xpath-query.js';
import { selectFromLargeBody } from './scan-json-path.js';

/**
 * What a query selected. `nodes` empty means "no match". `multi` marks queries that can select
 * several things (a non-singular JSONPath, an XPath node set, a repeated header): there `count`
 * counts the matches, and a single match is still that one value. `why` says why nothing matched
 * where a reader could not guess it (a certificate asked of an http:// response).
 */
export type Selection = { nodes: unknown[]; multi: boolean; why?: string } | { error: string };

export const BODY_NOT_KEPT = 'the response body was not kept, so nothing can read it (a bug: needsBody() should have asked for it)';

/** Queries that read the response body (the executor must keep it for them). */
export function queryReadsBody(query: Query): boolean {
  return ['body', 'jsonpath', 'xpath', 'regex', 'bytes', 'sha256', 'md5'].includes(query.kind);
}

export function runQuery(query: Query, view: ResponseView): Selection {
  const response = view.exchange.response;
  if (queryReadsBody(query) && !view.hasBody()) return { error: BODY_NOT_KEPT };
  switch (query.kind) {
    case 'status':
      return one(response.status);
    case 'duration':
      return one(Math.round(response.durationMs));
    case 'bytes':
      return one(response.body?.length ?? 0);
    case 'sha256':
    case 'md5':
      return one(view.digest(query.kind));
    case 'url':
      return one(response.url);
    case 'version':
      return one(response.httpVersion.replace(/^HTTP\//i, ''));
    case 'redirects':
      return { nodes: [...response.redirects], multi: true };
    case 'header':
      return { nodes: view.headers(query.name), multi: true };
    case 'cookie':
      return cookieSelection(view, query.name, query.attribute);
    case 'body':
      return one(view.text());
    case 'jsonpath': {
      // A large body is searched, not parsed, when the path names one value: a 200 MB body parsed costs several times that in memory.
      const scanned = query.lengthOf === null ? selectFromLargeBody(query.path, view) : null;
      if (scanned !== null) return scanned;
      const trees = view.jsonTrees();
      if ('error' in trees) return trees;
      return selectJson(query.compiled, query.lengthOf, trees.value, trees.lossy);
    }
    case 'xpath': {
      const markup = view.markup();
      if ('error' in markup) return markup;
      return evaluateXPath(query.compiled, markup.document);
    }
    case 'certificate':
      return certificateSelection(response, query.attribute);
    case 'ip':
      return response.ip === undefined ? { nodes: [], multi: false, why: 'the address of the connection was not recorded' } : one(response.ip);
    case 'regex': {
      query.pattern.lastIndex = 0; // shared by every response (parseAssertion caches), a /g pattern keeps state
      const match = query.pattern.exec(view.text());
      if (match === null) return { nodes: [], multi: false };
      return one(match[1] ?? match[0]);
    }
  }
}

function one(value: unknown): Selection {
  return { nodes: [value], multi: false };
}

/**
 * JSONPath runs on the plain-number tree (so RFC 9535 filters compare numbers as numbers) and
 * reads each match back from the exact tree by its location, so big integers stay exact.
 */
export function selectJson(compiled: CompiledJsonPath, lengthOf: CompiledJsonPath | null, exact: unknown, lossy: unknown): Selection {
  const nodes = compiled.query(lossy as never).nodes;
  const values = exact === lossy ? nodes.map((node) => node.value as unknown) : nodes.map((node) => locate(exact, node.location));
  if (values.length === 0 && lengthOf !== null) {
    const parents = lengthOf.query(lossy as never).nodes;
    const parent = parents.length === 1 ? parents[0]?.value : undefined;
    if (Array.isArray(parent) || typeof parent === 'string') return one(parent.length);
  }
  return { nodes: values, multi: !compiled.singularQuery() };
}

function locate(root: unknown, location: readonly (string | number)[]): unknown {
  let current = root;
  for (const key of location) current = (current as Record<string | number, unknown>)[key];
  return current;
}

function cookieSelection(view: ResponseView, name: string, attribute: CookieAttribute): Selection {
  const found = view.cookie(name);
  if (found === undefined) {
    // The cookie may well be in the jar, set by a redirect's response: say where this query looks.
    const hops = view.exchange.response.redirects.length;
    if (hops === 0) return { nodes: [], multi: false };
    const why = `it reads the Set-Cookie headers of the final response, after ${hops === 1 ? 'a redirect' : `${hops} redirects`}; a cookie a redirect's response set is kept and sent on, but not read here (as in Hurl)`;
    return { nodes: [], multi: false, why };
  }
  const { cookie, line } = found;
  const present = (value: unknown): Selection => (value === null || value === undefined ? { nodes: [], multi: false } : one(value));
  switch (attribute) {
    case 'Value':
      return one(cookie.value);
    case 'Expires':
      return present(cookie.expires instanceof Date ? cookie.expires.toISOString() : null);
    case 'Max-Age':
      return present(typeof cookie.maxAge === 'number' ? cookie.maxAge : null);
    case 'Domain':
      return present(cookie.domain);
    case 'Path':
      return present(cookie.path);
    case 'Secure':
      return present(cookie.secure ? true : null);
    case 'HttpOnly':
      return present(cookie.httpOnly ? true : null);
    case 'SameSite':
      // tough-cookie lowercases SameSite; the value as the server wrote it is what a reader expects.
      return present(/;\s*samesite\s*=\s*([^;]*)/i.exec(line)?.[1]?.trim() ?? null);
  }
}

function certificateSelection(response: Exchange['response'], attribute: CertificateAttribute): Selection {
  const certificate = response.certificate;
  if (certificate === undefined) {
    const why = response.url.startsWith('http:')
      ? `${response.url} was not fetched over TLS, so there is no certificate`
      : 'the certificate of the connection was not recorded';
    return { nodes: [], multi: false, why };
  }
  switch (attribute) {
    case 'Subject':
      return one(certificate.subject);
    case 'Issuer':
      return one(certificate.issuer);
    case 'Start-Date':
      return one(certificate.startDate);
    case 'Expire-Date':
      return one(certificate.expireDate);
    case 'Serial-Number':
      return one(certificate.serialNumber);
    case 'Subject-Alt-Name':
      return certificate.subjectAltName === undefined ? { nodes: [], multi: false, why: 'the certificate has no subject alternative name' } : one(certificate.subjectAltName);
    case 'Value':
      return one(certificate.pem);
  }
}

/** The selected value: the one match, or the list of matches. Undefined when nothing matched. */
export function selectedValue(selection: { nodes: unknown[] }): unknown {
  return selection.nodes.length === 1 ? selection.nodes[0] : selection.nodes.length === 0 ? undefined : selection.nodes;
}
