import type { Environment } from '../config/environment.js';
import type { VariableNode } from '../syntax/ast.js';

/**
 * Where a `{{name}}` gets its value. Precedence (SPEC §4): --var > request references (their own
 * dotted syntax) > values set by scripts > file variables > private env > public env / httprun.yaml > $shared.
 */
export type Binding =
  | { source: 'cli'; value: string }
  | { source: 'script'; value: string }
  | { source: 'file'; node: VariableNode }
  | { source: 'private' | 'public' | 'shared'; value: string };

export interface VariableTable {
  cliVars: Readonly<Record<string, string>>;
  fileVariables: readonly VariableNode[];
  environment: Environment;
  /** Set at run time by JetBrains scripts (`client.global.set`). */
  scriptValues: Map<string, string>;
}

/** File variables apply from their line on; a name used before its first definition takes that first one. */
export function findFileVariable(variables: readonly VariableNode[], name: string, atLine: number): VariableNode | null {
  const found = variablesNamed(variables, name);
  if (found === undefined) return null;
  const { named, lines, ordered } = found;
  let before: VariableNode | null = null;
  if (ordered) {
    // The last definition above the line, found by halving: a file may define a name many times.
    let low = 0;
    let high = named.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (lines[middle]! < atLine) {
        before = named[middle]!;
        low = middle + 1;
      } else high = middle - 1;
    }
  } else {
    for (let i = 0; i < named.length; i++) if (lines[i]! < atLine) before = named[i]!;
  }
  return before ?? named[0]!;
}

interface Named {
  named: VariableNode[];
  /** Their lines, worked out once (a span computes its line when asked). */
  lines: number[];
  ordered: boolean;
}

/** Definitions by name, built once per list: a scan per placeholder made large files quadratic. */
const indexes = new WeakMap<readonly VariableNode[], { length: number; byName: Map<string, Named> }>();

function variablesNamed(variables: readonly VariableNode[], name: string): Named | undefined {
  let index = indexes.get(variables);
  if (index === undefined || index.length !== variables.length) {
    const byName = new Map<string, Named>();
    for (const variable of variables) {
      const line = variable.span.start.line;
      const found = byName.get(variable.name);
      if (found === undefined) byName.set(variable.name, { named: [variable], lines: [line], ordered: true });
      else {
        if (found.ordered && line < found.lines[found.lines.length - 1]!) found.ordered = false;
        found.named.push(variable);
        found.lines.push(line);
      }
    }
    index = { length: variables.length, byName };
    indexes.set(variables, index);
  }
  return index.byName.get(name);
}

export function lookupVariable(table: VariableTable, name: string, atLine: number): Binding | null {
  const own = Object.prototype.hasOwnProperty;
  if (own.call(table.cliVars, name)) return { source: 'cli', value: table.cliVars[name]! };
  const scripted = table.scriptValues.get(name);
  if (scripted !== undefined) return { source: 'script', value: scripted };
  const node = findFileVariable(table.fileVariables, name, atLine);
  if (node) return { source: 'file', node };
  const env = table.environment;
  if (own.call(env.private, name)) return { source: 'private', value: env.private[name]! };
  if (own.call(env.public, name)) return { source: 'public', value: env.public[name]! };
  if (own.call(env.shared, name)) return { source: 'shared', value: env.shared[name]! };
  return null;
}

/** `@baseUrl = {{baseUrl}}` re-exports the environment's value: the look-up below the file layer. */
export function lookupEnvironment(
  table: VariableTable,
  name: string,
): { source: 'private' | 'public' | 'shared'; value: string } | null {
  const own = Object.prototype.hasOwnProperty;
  const env = table.environment;
  if (own.call(env.private, name)) return { source: 'private', value: env.private[name]! };
  if (own.call(env.public, name)) return { source: 'public', value: env.public[name]! };
  if (own.call(env.shared, name)) return { source: 'shared', value: env.shared[name]! };
  return null;
}
