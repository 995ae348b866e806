import type { Environment } from '../config/environment.js';
import type { VariableNode } from '../syntax/ast.js';
import { nameIndex } from './name-index.js';

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
  /**
   * The `@name = value` lines of imported files (`import ./x.http`, httpyac's `# @import`), one list
   * per file in import order: below the file's own, and a later import wins over an earlier one.
   */
  importedVariables?: readonly (readonly VariableNode[])[];
  environment: Environment;
  /** Set at run time by JetBrains scripts (`client.global.set`). */
  scriptValues: ScriptValues;
}

/**
 * `client.global`'s values. It counts `clearAll()`: a file that runs an imported request must
 * clear its own values too when that request's script clears them all (JetBrains globals are global).
 */
export class ScriptValues extends Map<string, string> {
  clears = 0;

  override clear(): void {
    this.clears++;
    super.clear();
  }
}

/** File variables apply from their line on; a name used before its first definition takes that first one. */
export function findFileVariable(variables: readonly VariableNode[], name: string, atLine: number): VariableNode | null {
  return variableIndex.nearest(variables, name, atLine, false);
}

const variableIndex = nameIndex<VariableNode>(
  (variable) => variable.name,
  (variable) => variable.span.start.line,
);

/** An imported file's value is the one at its end: its last definition. */
function findImportedVariable(table: VariableTable, name: string): VariableNode | null {
  const lists = table.importedVariables ?? [];
  for (let i = lists.length - 1; i >= 0; i--) {
    const node = findFileVariable(lists[i]!, name, Number.MAX_SAFE_INTEGER);
    if (node) return node;
  }
  return null;
}

export function lookupVariable(table: VariableTable, name: string, atLine: number): Binding | null {
  const own = Object.prototype.hasOwnProperty;
  if (own.call(table.cliVars, name)) return { source: 'cli', value: table.cliVars[name]! };
  const scripted = table.scriptValues.get(name);
  if (scripted !== undefined) return { source: 'script', value: scripted };
  const node = findFileVariable(table.fileVariables, name, atLine) ?? findImportedVariable(table, name);
  if (node) return { source: 'file', node };
  return lookupEnvironment(table, name);
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
  // httpyac and kulala read `.env` lines as variables, below every environment file. `.env` holds
  // secrets, so a value read from it is one (masked), as a private env file's is.
  if (own.call(env.dotenv, name)) return { source: 'private', value: env.dotenv[name]! };
  return null;
}
