/**
 * Escaping for XML 1.0 text and attributes. Report text carries server-controlled data, and XML 1.0
 * cannot hold most control characters even escaped, so those are written as visible `\u001b` text
 * rather than dropped (a silent drop would hide what the server really sent).
 */
// Allowed: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, and astral characters as proper surrogate pairs.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(text: string): string {
  return text.replace(NOT_XML_CHAR, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapeXmlText(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Line breaks and tabs become character references so attribute normalisation keeps them. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
