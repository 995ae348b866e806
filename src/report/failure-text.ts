import { requestFile, type AssertionResult, type FileResult, type RequestResult } from '../run/result.js';
import { formatValue } from './format-value.js';

const INDENT = '    ';

/**
 * The one text for a failed, errored or skipped request, shared by the console, JUnit, TAP and HTML
 * so that CI shows exactly what a developer sees locally. Multi-line, no colour; '' for a pass.
 *
 *   requests/users.http:9  ?? status == 201
 *       expected: 201
 *       actual:   404
 */
export function describeFailure(file: FileResult, request: RequestResult): string {
  const blocks: string[] = [];
  const where = requestFile(file, request);
  const at = `${where}:${request.line}`;
  if (request.outcome === 'errored') blocks.push(headed(`${at}  errored:`, request.error ?? 'the request did not complete'));
  if (request.outcome === 'skipped') blocks.push(headed(`${at}  skipped:`, request.error ?? 'not run'));
  if (request.outcome === 'passed') return '';
  const failed = request.assertions.filter((assertion) => !assertion.passed);
  for (const assertion of failed) blocks.push(describeAssertion(where, assertion));
  // A failed outcome without a failed assertion (a script error, say) still has to say something.
  if (request.outcome === 'failed' && failed.length === 0) {
    blocks.push(request.error === null ? `${at}  failed` : headed(`${at}  failed:`, request.error));
  }
  return blocks.join('\n');
}

/** One failed assertion: where, as written, expected, actual, then the checker's own explanation. */
export function describeAssertion(file: string, assertion: AssertionResult): string {
  const lines = [
    `${file}:${assertion.line}  ${assertion.text}`,
    `${INDENT}expected: ${formatValue(assertion.expected)}`,
    `${INDENT}actual:   ${formatValue(assertion.actual)}`,
  ];
  if (assertion.message !== undefined && assertion.message !== '') {
    lines.push(...assertion.message.split(/\r?\n/).map((line) => `${INDENT}${line}`));
  }
  return lines.join('\n');
}

/** The one-line reason as JUnit's `message` attribute and TAP's description want it. */
export function summariseFailure(request: RequestResult): string {
  if (request.outcome === 'errored' || request.outcome === 'skipped') {
    return firstLine(request.error ?? request.outcome);
  }
  const failed = request.assertions.filter((assertion) => !assertion.passed);
  if (failed.length === 0) return firstLine(request.error ?? request.outcome);
  return failed
    .map((a) => `${a.text} (expected ${formatValue(a.expected)}, actual ${formatValue(a.actual)})`)
    .join('; ');
}

/** `title: reason`, with a reason that spans lines put below the title, indented. */
function headed(title: string, reason: string): string {
  const [first = '', ...rest] = reason.split(/\r?\n/);
  return [`${title} ${first}`, ...rest.map((line) => `${INDENT}${line}`)].join('\n');
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}
