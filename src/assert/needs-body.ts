import type { Assertion } from './parse-assertion.js';
import { queryReadsBody } from './run-query.js';

/**
 * Whether anything will read the response body: the executor drains (and does not store) a body
 * that no assertion and no capture reads. `items` are parsed assertions and request-reference
 * paths (what follows `name.` in `{{name.response.body.$.id}}`).
 */
export function needsBody(items: readonly (Assertion | string)[]): boolean {
  return items.some((item) => (typeof item === 'string' ? /^\s*response\.body(\.|$)/.test(item) : queryReadsBody(item.query)));
}
