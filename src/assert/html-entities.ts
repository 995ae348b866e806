import { createRequire } from 'node:module';

/** Hurl's `htmlEscape`: `&`, `<`, `>` and both quotes become character references. */
export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

let named: Readonly<Record<string, string>> | undefined;

/**
 * Hurl's `htmlUnescape`: named references (the HTML5 table, which @xmldom/xmldom already ships)
 * and numeric ones, decimal or hex, with or without their `;` (`&#65 foo` is `A foo`, as browsers
 * read it). An unknown name is left as written.
 */
export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  named ??= (createRequire(import.meta.url)('@xmldom/xmldom/lib/entities.js') as { HTML_ENTITIES: Record<string, string> }).HTML_ENTITIES;
  const table = named;
  return text.replace(/&(?:#[xX]([0-9a-fA-F]+);?|#(\d+);?|([A-Za-z][A-Za-z0-9]*);)/g, (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (name !== undefined) return Object.hasOwn(table, name) ? (table[name] as string) : whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
    // What the HTML standard substitutes for a reference to nothing, a surrogate or beyond Unicode.
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
    return String.fromCodePoint(code);
  });
}
