import { createRequire } from 'node:module';
import type { MarkupDocument } from './body-view.js';

/**
 * XPath 1.0 over @xmldom/xmldom documents.
 *
 * Namespaces: every prefix the document declares can be used as written there (`//bk:title`),
 * `_` names the root element's default namespace (Hurl's spelling: `//_:book`), and an
 * unprefixed name also matches elements that sit in a default namespace. Without that last rule
 * `/feed/title` would match nothing in `<feed xmlns="http://www.w3.org/2005/Atom">` — the most
 * common XPath surprise. HTML is matched case-insensitively, as browsers do.
 */

interface XPathResultValue {
  stringValue(): string;
  numberValue(): number;
  booleanValue(): boolean;
  toArray?(): unknown[];
}

interface XPathEvaluator {
  evaluate(options: {
    node: unknown;
    namespaces?: Record<string, string>;
    allowAnyNamespaceForNoPrefix?: boolean;
    isHtml?: boolean;
  }): XPathResultValue;
}

type ResultClass = abstract new (...args: never[]) => unknown;
// `parse` exists at runtime (xpath 0.0.34) but its typings omit it.
interface XPathLibrary {
  parse(expression: string): XPathEvaluator;
  XNodeSet: ResultClass;
  XNumber: ResultClass;
  XBoolean: ResultClass;
}
let library: XPathLibrary | undefined;
/** Required on first use: most runs never evaluate XPath and should not pay for loading it. */
const xpath = (): XPathLibrary => (library ??= createRequire(import.meta.url)('xpath') as XPathLibrary);

export interface CompiledXPath {
  expression: string;
  evaluator: XPathEvaluator;
}

export function compileXPath(expression: string): { compiled: CompiledXPath } | { error: string } {
  if (expression.trim() === '') return { error: 'expected an XPath expression' };
  try {
    return { compiled: { expression, evaluator: xpath().parse(expression) } };
  } catch (error) {
    return { error: `invalid XPath ${expression}: ${(error as Error).message.replace(/^XPath parse error\s*/i, '') || 'syntax error'}` };
  }
}

/** A node set gives the string value of each node; a number, string or boolean result is itself. */
export function evaluateXPath(
  compiled: CompiledXPath,
  markup: MarkupDocument,
): { nodes: unknown[]; multi: boolean } | { error: string } {
  let result: XPathResultValue;
  try {
    result = compiled.evaluator.evaluate({
      node: markup.document,
      namespaces: markup.namespaces,
      allowAnyNamespaceForNoPrefix: true,
      isHtml: markup.html,
    });
  } catch (error) {
    const message = (error as Error).message;
    const prefix = /^Cannot resolve QName (\S+)/.exec(message)?.[1];
    if (prefix !== undefined) {
      const declared = Object.keys(markup.namespaces);
      return { error: `unknown namespace prefix "${prefix}" (the document declares ${declared.length === 0 ? 'none' : declared.join(', ')})` };
    }
    return { error: `XPath ${compiled.expression} failed: ${message}` };
  }
  if (result instanceof xpath().XNodeSet && result.toArray !== undefined) {
    const nodes = result.toArray() as { textContent?: string | null; nodeValue?: string | null }[];
    return { nodes: nodes.map((node) => node.textContent ?? node.nodeValue ?? ''), multi: true };
  }
  if (result instanceof xpath().XNumber) return { nodes: [result.numberValue()], multi: false };
  if (result instanceof xpath().XBoolean) return { nodes: [result.booleanValue()], multi: false };
  return { nodes: [result.stringValue()], multi: false };
}
