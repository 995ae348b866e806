import { TextDecoder } from 'node:util';
import { createRequire } from 'node:module';
import type { DOMParser as XmlParser, Document, Element, Node } from '@xmldom/xmldom';
import { holdsBigInt, mayHoldBigInt, parseJson } from './parse-json.js';

/** A parsed XML or HTML document with what XPath evaluation needs to know about it. */
export interface MarkupDocument {
  document: Node;
  html: boolean;
  /** Every `xmlns:prefix` declared in the document, plus `_` for the root's default namespace (Hurl's spelling). */
  namespaces: Record<string, string>;
}

export type JsonView = { value: unknown; lossy: unknown } | { error: string };

/**
 * One message body (a response's or the request's): decoded once, parsed on demand, cached.
 * Bodies may be large (up to 64 MiB), so nothing is decoded or parsed before someone asks.
 */
export class BodyView {
  private decoded: string | undefined;
  private parsedJson: JsonView | undefined;
  private parsedMarkup: { document: MarkupDocument } | { error: string } | undefined;

  constructor(
    readonly bytes: Buffer | null,
    readonly contentType: string | null,
  ) {}

  /** The body decoded by the Content-Type charset (UTF-8 when absent or unknown); "" when there is none. */
  text(): string {
    if (this.decoded === undefined) this.decoded = decodeBody(this.bytes, this.contentType);
    return this.decoded;
  }

  /**
   * The body as JSON. `value` keeps big integers exact (bigint); `lossy` is the same tree with
   * plain numbers (the same object when there are no big integers), for libraries that only know numbers.
   */
  json(): JsonView {
    if (this.parsedJson !== undefined) return this.parsedJson;
    const text = this.text();
    if (this.bytes === null || text.trim() === '') {
      this.parsedJson = { error: 'the body is empty, not JSON' };
      return this.parsedJson;
    }
    const parsed = parseJson(text);
    if ('error' in parsed) {
      // V8 quotes the body in its message, line breaks and control characters included: keep it one line.
      // A cut start ends with an ellipsis, which tells masking that a secret may be cut there.
      const reason = parsed.error.replace(/[\u0000-\u001f\u007f]/g, (char) => JSON.stringify(char).slice(1, -1));
      this.parsedJson = { error: `the body is not JSON (${reason}); it starts with ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '…' : ''}` };
    } else {
      this.parsedJson = { value: parsed.value, lossy: mayHoldBigInt(text) && holdsBigInt(parsed.value) ? JSON.parse(text) : parsed.value };
    }
    return this.parsedJson;
  }

  /** The body as an XML document, or as HTML when the Content-Type (or the text itself) says HTML. */
  markup(): { document: MarkupDocument } | { error: string } {
    if (this.parsedMarkup === undefined) this.parsedMarkup = parseMarkup(this.text(), this.contentType);
    return this.parsedMarkup;
  }
}

export function decodeBody(bytes: Buffer | null, contentType: string | null): string {
  if (bytes === null || bytes.length === 0) return '';
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  return decoderFor(charset.toLowerCase()).decode(bytes);
}

// A decoder without `stream` keeps no state between calls: one per charset serves every response
// (making one cost more than decoding a small body). Servers name few charsets; the cap keeps a
// hostile one from growing the map.
const decoders = new Map<string, TextDecoder>();

function decoderFor(charset: string): TextDecoder {
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      // An unknown label is the server's mistake; UTF-8 is what it most likely meant.
      decoder = new TextDecoder('utf-8');
    }
    if (decoders.size < 32) decoders.set(charset, decoder);
  }
  return decoder;
}

function looksLikeHtml(text: string, contentType: string | null): boolean {
  if (contentType !== null && /\bhtml\b/i.test(contentType) && !/xhtml\+xml/i.test(contentType)) return true;
  if (contentType !== null && /xml/i.test(contentType)) return false;
  return /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html[\s>])/i.test(text);
}

function parseMarkup(text: string, contentType: string | null): { document: MarkupDocument } | { error: string } {
  if (text.trim() === '') return { error: 'the body is empty, not XML or HTML' };
  const html = looksLikeHtml(text, contentType);
  let fatal: string | null = null;
  // Required on first use: most runs never read XML and should not pay for loading the parser.
  const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as { DOMParser: typeof XmlParser };
  const parser = new DOMParser({
    // Warnings and recoverable errors are how real-world markup looks; only a fatal error stops.
    onError: (level, message) => {
      if (level === 'fatalError' && fatal === null) fatal = message;
    },
  });
  let document: Document | null = null;
  try {
    document = parser.parseFromString(text, html ? 'text/html' : 'text/xml');
  } catch (error) {
    fatal ??= (error as Error).message;
  }
  if (fatal !== null) {
    // An HTML body (by its Content-Type) of plain text has no element at all: calling it "not
    // well-formed XML" would blame a format the server never claimed.
    if (html && /missing root element/i.test(fatal)) return { error: 'the body has no root element, not XML or HTML' };
    return { error: `the body is not well-formed XML (${firstLine(fatal)})` };
  }
  if (document?.documentElement == null) return { error: 'the body has no root element, not XML or HTML' };
  return { document: { document, html, namespaces: collectNamespaces(document) } };
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

function collectNamespaces(document: Document): Record<string, string> {
  const namespaces: Record<string, string> = {};
  const root = document.documentElement;
  if (root?.namespaceURI) namespaces._ = root.namespaceURI;
  // Iterative: a deeply nested document must not exhaust the call stack.
  const pending: Element[] = root === null ? [] : [root];
  for (let element = pending.pop(); element !== undefined; element = pending.pop()) {
    for (let index = 0; index < element.attributes.length; index += 1) {
      const attribute = element.attributes.item(index);
      // The first declaration of a prefix wins: that is the one a reader of the document sees first.
      if (attribute?.name.startsWith('xmlns:')) namespaces[attribute.name.slice(6)] ??= attribute.value;
    }
    for (let child = element.lastChild; child !== null; child = child.previousSibling) {
      if (child.nodeType === 1) pending.push(child as Element);
    }
  }
  return namespaces;
}
