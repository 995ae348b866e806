// `client.global.set("name", ...)` with a literal name (not `"a" + i`); whitespace allowed around the dots and parentheses.
const GLOBAL_SET = /\bclient\s*\.\s*global\s*\.\s*set\s*\(\s*(["'`])([^"'`\\\r\n]+)\1\s*,/g;
const LINE_COMMENT = /^\s*\/\/.*$/gm;

/**
 * Names a JetBrains script sets with `client.global.set("x", ...)`: the static check counts them as
 * defined (SPEC §7). A textual scan, not an evaluation: names built at run time are not found, and a
 * call in a string or a block comment is (over-counting only hides an "undefined variable").
 */
export function scriptSetNames(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.replace(LINE_COMMENT, '').matchAll(GLOBAL_SET)) names.add(match[2]!);
  return [...names];
}

const REQUEST_VARIABLE_SET = /\brequest\s*\.\s*variables\s*\.\s*set\s*\(\s*(["'`])([^"'`\\\r\n]+)\1\s*,/g;

/**
 * Names a pre-request script sets with `request.variables.set("x", ...)`: the `{{x}}` of its own
 * request is defined by them (JetBrains' per-request variables). Same textual scan as above.
 */
export function requestVariableSetNames(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.replace(LINE_COMMENT, '').matchAll(REQUEST_VARIABLE_SET)) names.add(match[2]!);
  return [...names];
}

// A literal name: "x" or 'x', or `x` without a `${}` in it.
const ENVIRONMENT_GET = /\benvironment\s*\.\s*get\s*\(\s*(?:"([^"\\]+)"|'([^'\\]+)'|`([^`\\$]+)`)\s*\)/g;

/**
 * Names a script reads with `request.environment.get("x")`: a private env value read so is a secret
 * before any response could show it. Same textual scan as above (comments included: over-counting
 * only masks a value more).
 */
export function environmentGetNames(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(ENVIRONMENT_GET)) names.add(match[1] ?? match[2] ?? match[3]!);
  return [...names];
}
