import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Assertion } from './parse-assertion.js';
import type { ResponseView } from './response-view.js';
import { compareEqual, compareOrder, expectedBytes, expectedValueFor, interpretExpected, type Expected } from './compare-values.js';
import { describeValue, formatValue, toReportValue, typeOf } from './describe-value.js';
import { applyFilters } from './apply-filters.js';
import { isIsoDate } from './iso-date.js';
import { runQuery, selectedValue } from './run-query.js';
import { validateAgainstSchema } from './validate-schema.js';

export { isIsoDate } from './iso-date.js';

export interface AssertionOutcome {
  passed: boolean;
  /** JSON-safe: big integers as their digits in a string, long strings cut with a note. */
  expected: unknown;
  actual: unknown;
  /** Why it failed: the first line says expected vs actual with their types; hints and JSON diff follow. */
  message?: string;
}

/** Whether the positive predicate holds, and how to say it failed either way. */
interface Check {
  holds: boolean;
  expected: unknown;
  /** Message when the predicate was required to hold and did not (a function: built only on failure). */
  failure: string | (() => string);
  /** Message when `not` required it not to hold and it did. */
  negatedFailure: string | (() => string);
  details?: string[];
  /**
   * The predicate cannot apply to this type (`isEmpty` on a number, `<` between a number and a
   * string): the assertion fails with `not` too, as Hurl's "types between actual and expected are
   * not consistent" does.
   */
  mismatch?: boolean;
}

export function evaluateAssertion(assertion: Assertion, view: ResponseView, context: { baseDir: string }): AssertionOutcome {
  const queried = runQuery(assertion.query, view);
  const selection = applyFilters(queried, assertion.filters, assertion.query, view);
  const expectedText = assertion.expected;
  if ('error' in selection) {
    return { passed: false, expected: expectedText === '' ? assertion.predicateText : expectedText, actual: null, message: `${assertion.queryText}: ${selection.error}` };
  }
  // Hurl's `redirects` is always a list, of no or one hop too (`?? redirects isEmpty`).
  const actual = assertion.query.kind === 'redirects' && assertion.filters.length === 0
    ? selection.nodes
    : readsBodyBytes(assertion) ? (view.exchange.response.body ?? Buffer.alloc(0))
      : digestAsBytes(assertion) ? Buffer.from(view.digest(assertion.query.kind as 'sha256' | 'md5'), 'hex') : selectedValue(selection);

  if (actual === undefined) {
    // As in Hurl, no value satisfies no predicate, so `not` holds (`?? header x-debug not contains
    // secret` without the header); but filters given nothing to read are an error there, so a query
    // that matched nothing fails whatever its filters and predicate.
    const filtersGotNothing = assertion.filters.length > 0 && 'nodes' in queried && queried.nodes.length === 0;
    const passed = assertion.not && !filtersGotNothing;
    const expected = assertion.predicate === 'exists' ? (assertion.not ? 'nothing' : 'a match') : describeForReport(assertion, undefined);
    if (passed) return { passed, expected, actual: null };
    const why = 'nodes' in queried && queried.why !== undefined ? ` (${queried.why})` : '';
    const message = assertion.not && filtersGotNothing
      ? `${assertion.queryText} matched nothing${why} before its filters, so they had nothing to read and "${phrase(assertion)}" cannot be checked`
      : `${assertion.queryText} matched nothing${why}` + (assertion.predicate === 'exists' ? '' : `, so there is no value to check against "${phrase(assertion)}"`);
    return { passed, expected, actual: null, message };
  }

  const check = runPredicate(assertion, actual, view, context);
  const passed = check.mismatch === true ? false : assertion.not ? !check.holds : check.holds;
  const outcome: AssertionOutcome = { passed, expected: toReportValue(check.expected), actual: toReportValue(actual) };
  if (!passed) {
    const chosen = assertion.not ? check.negatedFailure : check.failure;
    const first = typeof chosen === 'function' ? chosen() : chosen;
    outcome.message = [first, ...(check.details ?? [])].join('\n');
  }
  return outcome;
}

const BYTE_PREDICATES: ReadonlySet<Assertion['predicate']> = new Set(['startsWith', 'endsWith', 'contains', 'isEmpty', 'isCollection', 'isArray']);

/**
 * `bytes` is the body's length (README: `?? bytes == 1234`), but Hurl's predicates that read
 * bytes (`?? bytes startsWith hex,efbbbf;`, `?? bytes == hex,...;`) get the body itself.
 */
function readsBodyBytes(assertion: Assertion): boolean {
  if (assertion.query.kind !== 'bytes' || assertion.filters.length > 0) return false;
  if (BYTE_PREDICATES.has(assertion.predicate)) return true;
  return (assertion.predicate === '==' || assertion.predicate === '!=') && BYTES_LITERAL.test(assertion.expected);
}

const BYTES_LITERAL = /^(?:hex|base64),[\s\S]*;$/;

/** Hurl's `?? sha256 == hex,...;` (its digests are bytes); written as plain hex they stay text (README). */
function digestAsBytes(assertion: Assertion): boolean {
  return (assertion.query.kind === 'sha256' || assertion.query.kind === 'md5') && assertion.filters.length === 0 && BYTES_LITERAL.test(assertion.expected);
}

function phrase(assertion: Assertion): string {
  return `${assertion.not ? 'not ' : ''}${assertion.predicateText}${assertion.expected === '' ? '' : ` ${assertion.expected}`}`;
}

function describeForReport(assertion: Assertion, actual: unknown): unknown {
  if (assertion.expected === '') return phrase(assertion);
  const expected = interpretExpected(assertion.expected);
  return toReportValue(expectedValueFor(expected, actual));
}

function runPredicate(assertion: Assertion, actual: unknown, view: ResponseView, context: { baseDir: string }): Check {
  const raw = assertion.expected;
  const word = assertion.predicateText;
  switch (assertion.predicate) {
    case '==':
    case '!=': {
      const expected = interpretExpected(raw);
      const comparison = compareEqual(actual, expected);
      const expectedValue = expectedValueFor(expected, actual);
      const holds = assertion.predicate === '==' ? comparison.equal : !comparison.equal;
      // Built only when the assertion fails: describing both values cost more than comparing them.
      const equalFailure = () => comparison.summary ?? `expected ${describeValue(expectedValue)} but got ${describeValue(actual)}`;
      const unequalFailure = () => `expected anything but ${describeValue(expectedValue)}, and got exactly that`;
      return assertion.predicate === '=='
        ? { holds, expected: expectedValue, failure: equalFailure, negatedFailure: unequalFailure, details: assertion.not ? [] : comparison.details }
        : { holds, expected: expectedValue, failure: unequalFailure, negatedFailure: equalFailure, details: assertion.not ? comparison.details : [] };
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return orderCheck(assertion.predicate, actual, interpretExpected(raw));
    case 'contains':
      return containsCheck(word, actual, interpretExpected(raw));
    case 'startsWith':
    case 'endsWith':
      return affixCheck(assertion.predicate, word, actual, interpretExpected(raw));
    case 'matches': {
      const pattern = assertion.pattern as RegExp;
      if (!isTextual(actual)) return unusable(word, raw, actual, 'text');
      pattern.lastIndex = 0;
      return {
        holds: pattern.test(String(actual)),
        expected: String(pattern),
        failure: `expected ${describeValue(actual)} to match ${String(pattern)}`,
        negatedFailure: `expected ${describeValue(actual)} not to match ${String(pattern)}`,
      };
    }
    case 'exists':
      return { holds: true, expected: 'a match', failure: '', negatedFailure: `expected ${assertion.queryText} not to exist, but got ${describeValue(actual)}` };
    case 'isEmpty': {
      const type = typeOf(actual);
      if (type !== 'string' && type !== 'list' && type !== 'bytes' && type !== 'object') return mismatched(word, 'empty (an empty string, list or object)', 'a string, list, object or bytes', actual);
      const holds = type === 'object' ? Object.keys(actual as object).length === 0 : (actual as string | unknown[]).length === 0;
      return typeCheck(holds, 'empty (an empty string, list or object)', actual);
    }
    case 'isNumber':
      return typeCheck(typeOf(actual) === 'number', 'a number', actual);
    case 'isInteger':
      return typeCheck(typeof actual === 'bigint' || Number.isInteger(actual), 'an integer', actual);
    case 'isFloat':
      return typeCheck(typeof actual === 'number' && Number.isFinite(actual) && !Number.isInteger(actual), 'a number with a fraction', actual);
    case 'isString':
      return typeCheck(typeof actual === 'string', 'a string', actual);
    case 'isBoolean':
      return typeCheck(typeof actual === 'boolean', 'a boolean', actual);
    case 'isArray':
      // Hurl's isList holds for bytes too (value_impl.rs is_list).
      return typeCheck(Array.isArray(actual) || Buffer.isBuffer(actual), 'a list', actual);
    case 'isObject':
      return typeCheck(typeOf(actual) === 'object', 'an object', actual);
    case 'isNull':
      return typeCheck(actual === null, 'null', actual);
    case 'isIsoDate':
      return stringCheck(word, actual, isIsoDate, 'an ISO 8601 date (2024-05-01 or 2024-05-01T12:00:00Z)');
    case 'isUuid':
      return stringCheck(word, actual, (text) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text), 'a UUID');
    case 'isTrue':
      return typeCheck(isTruthy(actual), 'truthy (not false, 0, "" or null)', actual);
    case 'isFalse':
      return typeCheck(!isTruthy(actual), 'falsy (false, 0, "" or null)', actual);
    case 'isCollection':
      return typeCheck(['list', 'object', 'bytes'].includes(typeOf(actual)), 'a collection (a list or an object)', actual);
    case 'isDate':
      return typeCheck(actual instanceof Date, 'a date (toDate "<format>" makes one from text)', actual);
    case 'isIpv4':
      return stringCheck(word, actual, isIPv4, 'an IPv4 address');
    case 'isIpv6':
      return stringCheck(word, actual, isIPv6, 'an IPv6 address');
    case 'matchesSchema':
      // The whole body arrives as text; any other query already selected a JSON value.
      return schemaCheck(actual, raw, context.baseDir, assertion.query.kind === 'body' && assertion.filters.length === 0 ? view.json() : null);
    case 'sha256':
    case 'md5':
    case 'sha512':
      return digestCheck(assertion, actual, view);
  }
}

function typeCheck(holds: boolean, what: string, actual: unknown): Check {
  return {
    holds,
    expected: what,
    failure: `expected ${what}, got ${describeValue(actual)}`,
    negatedFailure: `expected anything but ${what}, got ${describeValue(actual)}`,
  };
}

function unusable(word: string, raw: string, actual: unknown, needs: string): Check {
  const message = `${word} needs ${needs}, got ${describeValue(actual)}`;
  return { holds: false, expected: raw, failure: message, negatedFailure: message, mismatch: true };
}

/** A predicate about the form of a string (`isUuid`, `isIpv4` ...): anything else is a type mismatch. */
function stringCheck(word: string, actual: unknown, test: (text: string) => boolean, what: string): Check {
  return typeof actual === 'string' ? typeCheck(test(actual), what, actual) : mismatched(word, what, 'a string', actual);
}

/** A type predicate given a value it cannot judge: it fails, and with `not` it says why. */
function mismatched(word: string, what: string, needs: string, actual: unknown): Check {
  return { ...typeCheck(false, what, actual), negatedFailure: `${word} needs ${needs}, got ${describeValue(actual)}`, mismatch: true };
}

/** Text, numbers and booleans are read as their text for `startsWith`, `matches` ... (httpyac's `?? status startsWith 20`). */
function isTextual(value: unknown): value is string | number | bigint | boolean {
  return ['string', 'number', 'bigint', 'boolean'].includes(typeof value);
}

function orderCheck(operator: '<' | '<=' | '>' | '>=', actual: unknown, expected: Expected): Check {
  const order = compareOrder(actual, expected);
  const expectedValue = expected.kind === 'number' ? expected.value : expectedValueFor(expected, actual);
  if (order === null) {
    const message = `cannot order ${describeValue(actual)} against ${describeValue(expectedValue)}: ${operator} compares two numbers or two strings`;
    return { holds: false, expected: expectedValue, failure: message, negatedFailure: message, mismatch: true };
  }
  const holds = operator === '<' ? order < 0 : operator === '<=' ? order <= 0 : operator === '>' ? order > 0 : order >= 0;
  return {
    holds,
    expected: expectedValue,
    failure: `expected ${describeValue(actual)} to be ${operator} ${formatValue(expectedValue)}`,
    negatedFailure: `expected ${describeValue(actual)} not to be ${operator} ${formatValue(expectedValue)}`,
  };
}

function containsCheck(written: string, actual: unknown, expected: Expected): Check {
  const word = written.toLowerCase() === 'includes' ? 'include' : 'contain';
  if (Array.isArray(actual)) {
    const holds = actual.some((item) => compareEqual(item, expected).equal);
    const shown = expectedValueFor(expected, actual[0]);
    return {
      holds,
      expected: shown,
      failure: `expected ${describeValue(actual)} to ${word} ${describeValue(shown)}`,
      negatedFailure: `expected ${describeValue(actual)} not to ${word} ${describeValue(shown)}`,
    };
  }
  if (Buffer.isBuffer(actual)) return bytesCheck('contains', word, actual, expected);
  if (!isTextual(actual)) return unusable(written, expected.raw, actual, 'text or a list');
  const text = String(actual);
  const candidates = expected.kind === 'quoted' ? [expected.raw, expected.value] : [expected.raw];
  return {
    holds: candidates.some((candidate) => text.includes(candidate)),
    expected: candidates[candidates.length - 1],
    failure: `expected ${describeValue(actual)} to ${word} ${formatValue(candidates[candidates.length - 1])}`,
    negatedFailure: `expected ${describeValue(actual)} not to ${word} ${formatValue(candidates[candidates.length - 1])}`,
  };
}

function affixCheck(predicate: 'startsWith' | 'endsWith', word: string, actual: unknown, expected: Expected): Check {
  const verb = predicate === 'startsWith' ? 'start with' : 'end with';
  if (Buffer.isBuffer(actual)) return bytesCheck(predicate, verb, actual, expected);
  if (!isTextual(actual)) return unusable(word, expected.raw, actual, 'text');
  const text = String(actual);
  const candidates = expected.kind === 'quoted' ? [expected.raw, expected.value] : [expected.raw];
  const shown = candidates[candidates.length - 1] as string;
  return {
    holds: candidates.some((candidate) => (predicate === 'startsWith' ? text.startsWith(candidate) : text.endsWith(candidate))),
    expected: shown,
    failure: `expected ${describeValue(actual)} to ${verb} ${formatValue(shown)}`,
    negatedFailure: `expected ${describeValue(actual)} not to ${verb} ${formatValue(shown)}`,
  };
}

/** Bytes (from `base64Decode`, `utf8Encode` ...) against bytes written as hex, `hex,...;` or `base64,...;` (Hurl's `bytes startsWith hex,efbbbf;`). */
function bytesCheck(predicate: 'contains' | 'startsWith' | 'endsWith', verb: string, actual: Buffer, expected: Expected): Check {
  const bytes = expectedBytes(expected);
  if (bytes === null) {
    const message = `${describeValue(actual)} can only ${verb} bytes; write them as hex (efbbbf), hex,efbbbf; or base64,77u/;`;
    return { holds: false, expected: expected.raw, failure: message, negatedFailure: message, mismatch: true };
  }
  const holds = predicate === 'contains' ? actual.includes(bytes) : predicate === 'startsWith'
    ? actual.subarray(0, bytes.length).equals(bytes)
    : bytes.length <= actual.length && actual.subarray(actual.length - bytes.length).equals(bytes);
  const shown = bytes.toString('hex');
  return {
    holds,
    expected: shown,
    failure: `expected ${describeValue(actual)} to ${verb} ${shown}`,
    negatedFailure: `expected ${describeValue(actual)} not to ${verb} ${shown}`,
  };
}

function schemaCheck(actual: unknown, schemaPath: string, baseDir: string, bodyJson: { value: unknown } | { error: string } | null): Check {
  let value = actual;
  if (bodyJson !== null) {
    if ('error' in bodyJson) {
      const message = `matchesSchema needs JSON, but ${bodyJson.error}`;
      return { holds: false, expected: schemaPath, failure: message, negatedFailure: message };
    }
    value = bodyJson.value;
  }
  const outcome = validateAgainstSchema(value, schemaPath, baseDir);
  if ('error' in outcome) return { holds: false, expected: schemaPath, failure: outcome.error, negatedFailure: outcome.error };
  const count = outcome.valid ? 0 : outcome.errors.length;
  return {
    holds: outcome.valid,
    expected: schemaPath,
    failure: `expected the value to match the schema ${schemaPath}, but it breaks ${count} rule${count === 1 ? '' : 's'}:`,
    negatedFailure: `expected the value not to match the schema ${schemaPath}, but it does`,
    details: outcome.valid ? [] : outcome.errors.map((line) => `  ${line}`),
  };
}

/**
 * httpyac's digest predicates (`?? body sha256 <digest>`): the digest of the body bytes when the
 * query is the whole body, else of the value's UTF-8 text; hex or base64 (httpyac writes base64).
 */
function digestCheck(assertion: Assertion, actual: unknown, view: ResponseView): Check {
  const algorithm = assertion.predicate as 'sha256' | 'md5' | 'sha512';
  const wholeBody = assertion.query.kind === 'body' && assertion.filters.length === 0;
  const bytes = wholeBody ? (view.exchange.response.body ?? Buffer.alloc(0)) : Buffer.isBuffer(actual) ? actual : Buffer.from(typeof actual === 'string' ? actual : JSON.stringify(toReportValue(actual)));
  const hex = wholeBody ? view.digest(algorithm, 'hex') : createHash(algorithm).update(bytes).digest('hex');
  const base64 = Buffer.from(hex, 'hex').toString('base64');
  const expected = assertion.expected.trim();
  const holds = expected.toLowerCase() === hex || expected === base64;
  const of = wholeBody ? 'the body' : assertion.queryText;
  return {
    holds,
    expected,
    failure: `expected the ${algorithm} of ${of} to be ${expected}, got ${hex} (base64 ${base64})`,
    negatedFailure: `expected the ${algorithm} of ${of} not to be ${expected}, and it is`,
  };
}

function isTruthy(value: unknown): boolean {
  if (typeof value === 'bigint') return value !== 0n;
  return Boolean(value);
}
