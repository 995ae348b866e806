import type { BodyView } from './body-view.js';
import { compileJsonPath } from './compile-json-path.js';
import { headerValues, type ResponseView } from './response-view.js';
import { stringifyJson } from './parse-json.js';
import { propertyPathToJsonPath } from './property-path.js';
import { selectJson, selectedValue, type Selection } from './run-query.js';
import { compileXPath, evaluateXPath } from './xpath-query.js';

/**
 * A captured value, in the three forms a substitution needs:
 * - `value`: plain and JSON-safe (a big integer is its digits as a string);
 * - `text`: what goes into a URL, a header or plain text (strings as they are, other values as JSON);
 * - `json`: the JSON literal (exact big integers), for a `{{ref}}` standing where a JSON value goes,
 *   so numbers stay numbers and `{"id": {{login.response.body.$.id}}}` keeps every digit.
 */
export interface ReferenceValue {
  value: unknown;
  text: string;
  json: string;
}

/**
 * REST Client request references: `path` is what follows `name.` in `{{name.response.body.$.token}}`.
 *
 * - `response.body.*` (whole body text), `response.body.$...` (JSONPath), `response.body.//a/b` (XPath),
 *   `response.body.items[0].id` (httpyac-style property path, read as JSONPath); REST Client's
 *   `response.body.asJson.$.id` / `response.body.asXml.//id` read the body as JSON / XML regardless of its type;
 * - `response.headers.NAME` (case-insensitive; repeated headers joined with ", " as RFC 9110 combines them);
 * - `response.cookies.NAME` (the value of a cookie the response sets);
 * - `response.status`, `response.url` (after redirects), `response.version`, `response.duration`;
 * - the same `body.` and `headers.` forms under `request.`, plus `request.url` and `request.method`.
 *
 * Several matches give a list; no match is an error (a reference must stand for something).
 */
export function readReference(path: string, view: ResponseView): ReferenceValue | { error: string } {
  // kulala writes `response.headers['Date']` for REST Client's `response.headers.Date`.
  const bracketed = /^(request|response)\.(headers|cookies)\[\s*(['"])(.*)\3\s*\]$/.exec(path.trim());
  const normalized = bracketed === null ? path.trim() : `${bracketed[1]}.${bracketed[2]}.${bracketed[4]}`;
  const match = /^(request|response)\.([A-Za-z]+)(?:\.([\s\S]*))?$/.exec(normalized);
  if (match === null) return { error: `cannot read "${path}": expected response.body..., response.headers.NAME, response.status or request.body... after the request name` };
  const side = match[1] as 'request' | 'response';
  const part = match[2] ?? '';
  const rest = match[3];
  const exchange = view.exchange;

  if (part === 'body') {
    if (rest === undefined || rest === '') return { error: `"${path}": expected *, a JSONPath ($.id), an XPath (//id) or a property path after "body."` };
    if (side === 'response' && !view.hasBody()) return { error: 'the response body was not kept, so the reference cannot read it (a bug: needsBody() should have asked for it)' };
    return fromSelection(path, readBody(side === 'response' ? view.responseBody() : view.request(), rest));
  }
  if (part === 'headers') {
    if (rest === undefined || rest === '') return { error: `"${path}": expected a header name after "headers."` };
    const values = headerValues(side === 'response' ? exchange.response.headers : exchange.request.headers, rest);
    if (values.length === 0) return { error: `the ${side} has no header ${rest}` };
    return wrap(values.join(', '));
  }
  if (rest === undefined || rest === '') {
    if (side === 'request' && part === 'url') return wrap(exchange.request.url);
    if (side === 'request' && part === 'method') return wrap(exchange.request.method);
    if (side === 'response' && part === 'status') return wrap(exchange.response.status);
    if (side === 'response' && part === 'url') return wrap(exchange.response.url);
    if (side === 'response' && part === 'version') return wrap(exchange.response.httpVersion.replace(/^HTTP\//i, ''));
    if (side === 'response' && part === 'duration') return wrap(exchange.response.durationMs);
  }
  if (side === 'response' && part === 'cookies' && rest !== undefined && rest !== '') {
    const found = view.cookie(rest);
    if (found === undefined) return { error: `the response sets no cookie ${rest}` };
    return wrap(found.cookie.value);
  }
  return { error: `cannot read "${path}": ${side} has no "${part}${rest === undefined ? '' : `.${rest}`}" (expected ${side === 'response' ? 'body, headers, cookies, status, url, version or duration' : 'body, headers, url or method'})` };
}

function readBody(body: BodyView, written: string): Selection {
  if (written === '*') return { nodes: [body.text()], multi: false };
  // REST Client's `asJson.` / `asXml.` force how the body is read, whatever its Content-Type says.
  const forced = /^as(Json|Xml)\./.exec(written)?.[1];
  const rest = forced === undefined ? written : written.slice(forced.length + 3);
  // `$...` is JSONPath; `/...` is XPath, and so is anything else on an XML or HTML body (`count(//id)`).
  if (forced === 'Xml' || (forced === undefined && (rest.startsWith('/') || (!rest.startsWith('$') && isMarkup(body))))) {
    const compiled = compileXPath(rest);
    if ('error' in compiled) return compiled;
    const markup = body.markup();
    if ('error' in markup) return markup;
    return evaluateXPath(compiled.compiled, markup.document);
  }
  let path = rest;
  if (!rest.startsWith('$')) {
    const converted = propertyPathToJsonPath(rest);
    if ('error' in converted) return { error: converted.error };
    path = converted.path;
  }
  const compiled = compileJsonPath(path);
  if ('error' in compiled) return { error: compiled.error };
  const trees = body.json();
  if ('error' in trees) return trees;
  return selectJson(compiled.compiled, null, trees.value, trees.lossy);
}

function isMarkup(body: BodyView): boolean {
  return /xml|html/i.test(body.contentType ?? '') || /^\s*</.test(body.text().slice(0, 200));
}

function fromSelection(path: string, selection: Selection): ReferenceValue | { error: string } {
  if ('error' in selection) return selection;
  const value = selectedValue(selection);
  if (value === undefined) return { error: `${path.replace(/^(request|response)\.body\./, '')} matched nothing in the ${path.startsWith('request') ? 'request' : 'response'} body` };
  return wrap(value);
}

function wrap(value: unknown): ReferenceValue {
  const json = stringifyJson(value);
  const text = typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : json;
  const plain = typeof value === 'string' ? value : toPlain(value);
  return { value: plain, text, json };
}

/** JSON-safe without cutting long strings (a captured token must stay whole). */
function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  return value;
}
