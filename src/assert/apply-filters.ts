import { TextDecoder } from 'node:util';
import { BodyView } from './body-view.js';
import { parseExpectedDate } from './compare-values.js';
import { formatDate, parseDate } from './date-format.js';
import { describeValue } from './describe-value.js';
import { htmlEscape, htmlUnescape } from './html-entities.js';
import type { Filter } from './parse-filters.js';
import type { Query } from './parse-assertion.js';
import type { ResponseView } from './response-view.js';
import { selectJson, selectedValue, type Selection } from './run-query.js';
import { evaluateXPath } from './xpath-query.js';
import { isIsoDate } from './iso-date.js';

/**
 * What filters work on: the selected nodes, and for nodes that are redirect hops (the `redirects`
 * query, through `first`/`last`/`nth`) their position, which `location` needs.
 */
interface Current {
  nodes: unknown[];
  multi: boolean;
  hops: number[] | null;
}

type Step = { value: unknown } | { nothing: true } | { error: string };

/** Filters that read bytes: after `bytes` they get the body itself rather than its length. */
const BYTE_READERS = new Set<Filter['kind']>(['base64Encode', 'base64UrlSafeEncode', 'toHex', 'decode', 'utf8Decode']);

/** Applies `filters` left to right. A filter that cannot apply ends the chain with an error (a failed assertion). */
export function applyFilters(selection: Selection, filters: readonly Filter[], query: Query, view: ResponseView): Selection {
  if ('error' in selection || filters.length === 0) return selection;
  let current: Current = { nodes: selection.nodes, multi: selection.multi, hops: query.kind === 'redirects' ? selection.nodes.map((_, index) => index) : null };
  if (query.kind === 'bytes' && BYTE_READERS.has((filters[0] as Filter).kind)) {
    current = { nodes: [view.exchange.response.body ?? Buffer.alloc(0)], multi: false, hops: null };
  }
  for (const filter of filters) {
    // Hurl's `bytes count`: bytes already is the count.
    if (query.kind === 'bytes' && filter.kind === 'count' && typeof current.nodes[0] === 'number') continue;
    const next = applyFilter(current, filter, query, view);
    if ('error' in next) return next;
    current = next;
  }
  return { nodes: current.nodes, multi: current.multi };
}

function applyFilter(current: Current, filter: Filter, query: Query, view: ResponseView): Current | { error: string } {
  const value = selectedValue(current);
  switch (filter.kind) {
    case 'count': {
      // One match that is itself a list is counted, as Hurl counts `$.list_in_list[*]` (one match, [1, 2, 3]) as 3.
      if (current.multi && !(current.nodes.length === 1 && Array.isArray(current.nodes[0]))) return one(current.nodes.length);
      if (value === undefined) return current;
      if (Array.isArray(value) || typeof value === 'string' || Buffer.isBuffer(value)) return one(value.length);
      if (value !== null && typeof value === 'object' && !(value instanceof Date)) return one(Object.keys(value).length);
      return { error: `count needs a list, got ${describeValue(value)}` };
    }
    case 'first':
    case 'last':
    case 'nth': {
      // One selected node that is itself a list is that list; but `redirects` is a list even of one hop.
      const fromNodes = current.multi && (current.nodes.length !== 1 || current.hops !== null);
      const list = fromNodes ? current.nodes : Array.isArray(value) ? value : null;
      if (list === null) {
        if (value === undefined) return current;
        return { error: `${filter.kind} needs a list, got ${describeValue(value)}` };
      }
      const wanted = filter.kind === 'first' ? 0 : filter.kind === 'last' ? list.length - 1 : filter.index;
      const index = wanted < 0 ? list.length + wanted : wanted;
      if (index < 0 || index >= list.length) {
        return { error: list.length === 0 ? 'the list is empty' : `the list has only ${list.length} item${list.length === 1 ? '' : 's'}` };
      }
      const hop = fromNodes ? current.hops?.[index] : current.hops?.[0];
      return { nodes: [list[index]], multi: false, hops: hop === undefined ? null : [hop] };
    }
    case 'jsonpath':
    case 'xpath': {
      const nodes: unknown[] = [];
      let multi = current.multi;
      for (const node of current.nodes) {
        const selected = filter.kind === 'jsonpath' ? jsonPathOf(node, filter) : xpathOf(node, filter);
        if ('error' in selected) return selected;
        nodes.push(...selected.nodes);
        multi ||= selected.multi;
      }
      return { nodes, multi, hops: null };
    }
    case 'location': {
      const nodes: unknown[] = [];
      for (const [index, node] of current.nodes.entries()) {
        const step = locationOf(node, current.hops?.[index], query, view);
        if ('error' in step) return step;
        if ('value' in step) nodes.push(step.value);
      }
      return { nodes, multi: current.multi, hops: null };
    }
    default: {
      const nodes: unknown[] = [];
      for (const node of current.nodes) {
        const step = applyToValue(node, filter);
        if ('error' in step) return step;
        if ('value' in step) nodes.push(step.value);
      }
      return { nodes, multi: current.multi, hops: null };
    }
  }
}

function one(value: unknown): Current {
  return { nodes: [value], multi: false, hops: null };
}

function wrongType(filter: string, needs: string, value: unknown, hint = ''): { error: string } {
  return { error: `${filter} needs ${needs}, got ${describeValue(value)}${hint}` };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]*={0,2}$/;

function applyToValue(value: unknown, filter: Filter): Step {
  const kind = filter.kind;
  switch (filter.kind) {
    case 'toInt':
    case 'toFloat':
    case 'toString':
      return convert(value, filter.kind);
    case 'base64Decode':
    case 'base64UrlSafeDecode': {
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      const text = value.replace(/\s+/g, '');
      const valid = (kind === 'base64Decode' ? BASE64 : BASE64_URL).test(text) && text.replace(/=+$/, '').length % 4 !== 1;
      if (!valid) return { error: `${kind}: ${describeValue(value)} is not ${kind === 'base64Decode' ? 'Base64' : 'URL-safe Base64'}` };
      return { value: Buffer.from(text, kind === 'base64Decode' ? 'base64' : 'base64url') };
    }
    case 'base64Encode':
    case 'base64UrlSafeEncode':
    case 'toHex':
    case 'utf8Decode':
    case 'decode': {
      if (!Buffer.isBuffer(value)) {
        return wrongType(kind, 'bytes', value, typeof value === 'string' ? ' (utf8Encode turns text into bytes; base64Decode reads Base64 text)' : '');
      }
      if (kind === 'base64Encode') return { value: value.toString('base64') };
      if (kind === 'base64UrlSafeEncode') return { value: value.toString('base64url') };
      if (kind === 'toHex') return { value: value.toString('hex') };
      if (kind === 'utf8Decode') {
        try {
          return { value: new TextDecoder('utf-8', { fatal: true }).decode(value) };
        } catch {
          return { error: `utf8Decode: the bytes ${shortHex(value)} are not valid UTF-8` };
        }
      }
      return { value: new TextDecoder((filter as { charset: string }).charset).decode(value) };
    }
    case 'utf8Encode':
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      return { value: Buffer.from(value, 'utf8') };
    case 'htmlEscape':
    case 'htmlUnescape':
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      return { value: kind === 'htmlEscape' ? htmlEscape(value) : htmlUnescape(value) };
    case 'urlEncode':
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      return { value: urlEncode(value) };
    case 'urlDecode': {
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      try {
        return { value: decodeURIComponent(value) };
      } catch {
        return { error: `urlDecode: ${describeValue(value)} holds a % that is not followed by UTF-8 in hex (%C3%A9)` };
      }
    }
    case 'urlQueryParam': {
      if (typeof value !== 'string') return wrongType(kind, 'a URL', value);
      let url: URL;
      try {
        // A relative URL (a Location header often is one) still has a query to read.
        url = new URL(value, 'http://relative.invalid/');
      } catch {
        return { error: `urlQueryParam: ${describeValue(value)} is not a URL` };
      }
      const found = url.searchParams.get(filter.name);
      return found === null ? { nothing: true } : { value: found };
    }
    case 'split':
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      return { value: value.split(filter.separator) };
    case 'replace':
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      return { value: value.split(filter.old).join(filter.replacement) };
    case 'replaceRegex':
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      filter.pattern.lastIndex = 0;
      return { value: value.replace(filter.pattern, filter.replacement) };
    case 'regex': {
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      filter.pattern.lastIndex = 0; // shared by every response (parseAssertion caches)
      const match = filter.pattern.exec(value);
      return match === null ? { nothing: true } : { value: match[1] ?? match[0] };
    }
    case 'toDate': {
      if (typeof value !== 'string') return wrongType(kind, 'a string', value);
      const parsed = parseDate(value, filter.format);
      return 'error' in parsed ? { error: `toDate: ${parsed.error}` } : { value: parsed.value };
    }
    case 'dateFormat':
    case 'daysAfterNow':
    case 'daysBeforeNow': {
      const date = asDate(value);
      if (date === null) return wrongType(kind, 'a date', value, typeof value === 'string' ? ' (toDate "<format>" reads a date from text; ISO 8601 text is read as it is)' : '');
      if (kind === 'dateFormat') return formatDate(date, (filter as { format: string }).format);
      // Whole days, cut toward zero as chrono's num_days does.
      const days = Math.trunc((date.getTime() - Date.now()) / 86_400_000);
      return { value: (kind === 'daysAfterNow' ? days : -days) || 0 };
    }
    default:
      throw new Error(`filter ${kind} is parsed but not applied`);
  }
}

/** Dates from `toDate`, and ISO 8601 text (what `cookie NAME[Expires]` gives) read as it is. */
function asDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && isIsoDate(value)) {
    const time = parseExpectedDate(value);
    return Number.isFinite(time) ? new Date(time) : null;
  }
  return null;
}

/** RFC 3986 unreserved characters and `/` stay; everything else is percent-encoded as UTF-8 (Hurl's urlEncode). */
function urlEncode(text: string): string {
  // A lone surrogate (from a `\ud800` JSON escape) is encoded as U+FFFD, as UTF-8 can carry no other.
  return encodeURIComponent(text.toWellFormed())
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function shortHex(bytes: Buffer): string {
  const hex = bytes.subarray(0, 32).toString('hex');
  return bytes.length > 32 ? `${hex}…` : hex;
}

function convert(value: unknown, kind: 'toInt' | 'toFloat' | 'toString'): Step {
  if (kind === 'toString') {
    if (typeof value === 'string') return { value };
    if (value instanceof Date) return { value: value.toISOString() };
    if (Buffer.isBuffer(value)) return { value: value.toString('hex') };
    return { value: typeof value === 'object' && value !== null ? JSON.stringify(value, (_k, item: unknown) => (typeof item === 'bigint' ? Number(item) : item)) : String(value) };
  }
  if (typeof value === 'bigint') return { value };
  if (typeof value === 'number') return { value: kind === 'toInt' ? Math.trunc(value) : value };
  if (typeof value === 'string') {
    const text = value.trim();
    if (kind === 'toInt' && /^[-+]?\d+$/.test(text)) {
      const big = BigInt(text);
      return { value: Number.isSafeInteger(Number(big)) ? Number(big) : big };
    }
    if (kind === 'toFloat' && text !== '' && Number.isFinite(Number(text))) return { value: Number(text) };
  }
  return { error: `cannot convert ${describeValue(value)} to ${kind === 'toInt' ? 'an integer' : 'a number'}` };
}

function jsonPathOf(node: unknown, filter: Extract<Filter, { kind: 'jsonpath' }>): Selection {
  if (typeof node === 'string') {
    const json = new BodyView(Buffer.from(node, 'utf8'), 'application/json').json();
    if ('error' in json) return { error: `jsonpath: ${json.error.replace(/^the body/, 'the text')}` };
    return selectJson(filter.compiled, null, json.value, json.lossy);
  }
  // A value the query already read as JSON (an object or a list) is searched as it is.
  if (node !== null && typeof node === 'object' && !(node instanceof Date) && !Buffer.isBuffer(node)) {
    return selectJson(filter.compiled, null, node, node);
  }
  return wrongType('jsonpath', 'JSON text', node);
}

function xpathOf(node: unknown, filter: Extract<Filter, { kind: 'xpath' }>): Selection {
  if (typeof node !== 'string' && !Buffer.isBuffer(node)) return wrongType('xpath', 'XML or HTML text', node);
  const markup = new BodyView(typeof node === 'string' ? Buffer.from(node, 'utf8') : node, null).markup();
  if ('error' in markup) return { error: `xpath: ${markup.error.replace(/^the body/, 'the text')}` };
  return evaluateXPath(filter.compiled, markup.document);
}

/**
 * Hurl's `location`: the absolute URL a redirect points to. A hop of `redirects` went to the next
 * hop (or, for the last one, to the final URL); a Location header is resolved against the URL of
 * the response that carried it.
 */
function locationOf(node: unknown, hop: number | undefined, query: Query, view: ResponseView): Step {
  const response = view.exchange.response;
  if (hop !== undefined) return { value: response.redirects[hop + 1] ?? response.url };
  if (query.kind === 'header' && query.name.toLowerCase() === 'location' && typeof node === 'string') {
    try {
      return { value: new URL(node, response.url).toString() };
    } catch {
      return { error: `location: ${describeValue(node)} is not a URL` };
    }
  }
  return wrongType('location', 'a redirect (redirects nth 0 location) or the Location header (header location location)', node);
}
