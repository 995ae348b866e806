import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { parseAssertion } from '../assert/parse-assertion.js';
import { loadEnvironment, type Environment } from '../config/environment.js';
import { describeIoError } from '../describe-io-error.js';
import type { Diagnostic, Span } from '../diagnostics.js';
import { planFile, type Selection } from '../plan/plan-file.js';
import { ScriptValues } from '../resolve/variable-table.js';
import { renderTemplate, type Problem, type RenderContext, type Rendered } from '../resolve/render-template.js';
import { bindRequest, hasRequestNamed, parseRequestReference } from '../resolve/request-reference.js';
import { scriptSetNames } from '../script/run-script.js';
import { environmentGetNames, requestVariableSetNames } from '../script/script-set-names.js';
import type { AssertionNode, HttpFileNode, MetadataNode, ParseResult, RequestNode, Template, VariableNode } from '../syntax/ast.js';
import { parse, sharedBlockOf } from '../syntax/parse.js';
import { displayPath } from './find-files.js';
import { importDirectives, type ImportDirective } from './import-directives.js';
import { mask } from './mask.js';
import type { RunOptions } from './options.js';
import { prepareRequest, type Prepared } from './prepare-request.js';
import { SecretSet } from './secret-set.js';
import { readTextFile } from '../read-text-file.js';
import { metadataValueWarnings } from './request-settings.js';

// The static pass over one request file, before anything is sent: parse, environment, imports,
// every placeholder and assertion resolved, and the order the requests run in. `check` stops
// here; a run starts from its result (run-file.ts).

export interface FileInput {
  /** Absolute path (for resolving relative files and environments). */
  path: string;
  /** As shown in output and reports: relative to the working directory. */
  display: string;
  /** The text, when given by a library caller instead of read from disk. */
  text?: string;
}

/** Everything known about one file before anything is sent. */
export interface CheckedFile {
  text: string;
  diagnostics: Diagnostic[];
  environment: Environment | null;
  requests: RequestNode[];
  order: RequestNode[];
  context: RenderContext | null;
  bodyReaders: Set<string>;
  /** Which requests each request needs first (references and @ref); may include imported ones. Absent: none. */
  dependencies: Map<RequestNode, RequestNode[]>;
  /** Requests of imported files, and the import/run directives in source order. */
  imported: RequestNode[];
  directives: ImportDirective[];
  /** Absolute path of each file imported or run by this one. */
  importPaths: Map<ImportDirective, string>;
  /** Files the run reads besides the request file (env files, bodies): watch mode watches them. */
  inputs: string[];
  /** Every secret value the static pass resolved: masked from the start, before a response can show one. */
  secrets?: SecretSet;
  /** Static renders that depend only on the file, --var and the environment: sent as they are. */
  fixed?: Map<RequestNode, Prepared>;
  /** `??` lines outside any request (httpyac's global assertions): checked on every response. */
  fileAssertions?: readonly AssertionNode[];
  /** `# @name` of blocks without a request line, here and in imports: `@ref` to one is no error. */
  regionNames?: ReadonlySet<string>;
}

const BODY_FREE_QUERY = /^\s*(status|header|headers|cookie|duration|url|version|redirects)\b/i;

/** Parse, load the environment, resolve every placeholder statically and plan: no network. */
export async function checkFile(
  input: FileInput,
  options: RunOptions,
  selection: Selection,
  loader: ImportLoader = localLoader(options, [input.path]),
): Promise<CheckedFile> {
  let text: string;
  try {
    // Read at once: a request file is small, and fs/promises' open, stat, read and close (a round
    // through the thread pool each) cost a run of 50 files more than reading them.
    text = input.text ?? readTextFile(input.path);
  } catch (error) {
    const span = { file: input.display, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
    return {
      text: '',
      diagnostics: [{ severity: 'error', code: 'input/unreadable', message: `cannot read ${input.display}: ${describeIoError(error)}`, span }],
      environment: null,
      requests: [],
      order: [],
      context: null,
      bodyReaders: new Set(),
      dependencies: new Map(),
      imported: [],
      directives: [],
      importPaths: new Map(),
      inputs: [],
    };
  }
  const parsed = loader.parse?.(input, text) ?? parse(text, { file: input.display });
  const ast = parsed.ast;
  // A copy: a parse shared with another check of the same file must not collect this one's diagnostics.
  const diagnostics = [...parsed.diagnostics];
  const loaded = loadEnvironment(input.path, { envName: options.env, cwd: options.cwd });
  diagnostics.push(...loaded.diagnostics);
  const environment = loaded.environment;
  const inputs = [...environment.files];

  const secretNames = new Set<string>();
  const addSecretNames = (metadata: readonly MetadataNode[]) => {
    for (const meta of metadata) {
      if (meta.key !== 'secret') continue;
      for (const name of meta.value.split(/[,\s]+/)) if (name !== '') secretNames.add(name);
    }
  };
  for (const request of ast.requests) addSecretNames(request.metadata);
  addSecretNames(ast.metadata);
  const scriptNames = new Set<string>();
  const scriptSecrets: string[] = [];
  for (const request of ast.requests) {
    for (const script of request.scripts) {
      // A `> ./handler.js` file sets names too; one that cannot be read fails at run time, located.
      const handler = script.code === null && script.path !== null ? resolvePath(dirname(input.path), script.path) : null;
      if (handler !== null) inputs.push(handler);
      const code = script.code ?? (handler !== null ? readHandler(handler) : '');
      for (const name of scriptSetNames(code)) scriptNames.add(name);
      // A private env value a script reads is a secret before any response could show it (the run
      // registers what a script reads by a computed name when it reads it).
      for (const name of environmentGetNames(code)) {
        if (Object.hasOwn(environment.private, name)) scriptSecrets.push(environment.private[name]!);
      }
      if (script.phase === 'pre') for (const name of requestVariableSetNames(code)) scriptNames.add(name);
    }
  }
  const staticSecrets = new SecretSet();
  for (const value of scriptSecrets) staticSecrets.add(value);
  const context: RenderContext = {
    table: { cliVars: options.vars, fileVariables: ast.variables, environment, scriptValues: new ScriptValues() },
    requests: ast.requests,
    dynamic: { now: options.now(), processEnv: options.processEnv, dotenv: environment.dotenv },
    secret: (name) => options.processEnv[name] ?? environment.dotenv[name] ?? environment.private[name],
    readReference: null,
    imported: [],
    scriptNames,
    secretNames,
    // A diagnostic may quote rendered text (an assertion that does not parse): its secrets are masked below.
    onSecret: (_name, value) => staticSecrets.add(value),
  };

  diagnostics.push(...skippedConstructs(ast));
  diagnostics.push(...metadataValueWarnings(ast.requests));
  const directives = importDirectives(ast);
  const importPaths = new Map<ImportDirective, string>();
  const imported: RequestNode[] = [];
  const importedSet = new Set<RequestNode>();
  const importedVariables: (readonly VariableNode[])[] = [];
  // `# @name` of blocks without a request line (httpyac's named variable regions), here and in imports.
  const regionNames = new Set(ast.metadata.filter((meta) => meta.key === 'name').map((meta) => meta.value));
  // An import a cycle skipped (its file is being checked up the chain) or one that failed may hold a
  // name `run #Name` asks for: not finding it then says nothing the import's own error does not.
  let importsUnknown = false;
  // `run #Name (@x=1)` / `run ./file.http (@x=1)` give those files x: not defining it there is no error.
  const overridden = new Set(directives.flatMap((d) => (d.kind === 'import' ? [] : Object.keys(d.overrides))));
  for (const directive of directives) {
    if (directive.kind === 'run-request') continue;
    const path = resolvePath(dirname(input.path), directive.path);
    importPaths.set(directive, path);
    if (loader.chain.includes(path)) {
      importsUnknown = true;
      continue;
    }
    const other = await loader.load(path);
    inputs.push(path, ...other.inputs);
    // The imported file's secrets are this run's from the start: a response of this file that comes
    // before `run #Login` may show the password Login sends (the console prints it as it arrives).
    if (other.secrets) staticSecrets.addAll(other.secrets);
    const given = directive.kind === 'run-file' ? new Set([...overridden, ...Object.keys(directive.overrides)]) : overridden;
    const problem = other.diagnostics.find((d) => d.severity === 'error' && !given.has(undefinedName(d) ?? ''));
    if (problem) {
      importsUnknown = true;
      diagnostics.push({
        severity: 'error',
        code: 'plan/import',
        message: `cannot ${directive.kind === 'import' ? 'import' : 'run'} ${directive.path}: ${problem.span.file}:${problem.span.start.line}:${problem.span.start.column}: ${problem.message}`,
        span: directive.span,
      });
      continue;
    }
    for (const list of [other.requests, other.imported]) {
      for (const request of list) {
        if (importedSet.has(request)) continue;
        importedSet.add(request);
        imported.push(request);
      }
    }
    for (const name of other.context?.scriptNames ?? []) scriptNames.add(name);
    // httpyac and kulala: an imported file's variables are defined here too (`import ./constants.http`).
    if (directive.kind === 'import' && other.context !== null) {
      importedVariables.push(...(other.context.table.importedVariables ?? []), other.context.table.fileVariables);
      for (const name of other.regionNames ?? []) regionNames.add(name);
    }
  }
  context.imported = imported;
  if (importedVariables.length > 0) context.table.importedVariables = importedVariables;
  for (const directive of directives) {
    if (directive.kind !== 'run-request' || importsUnknown) continue;
    if (!hasRequestNamed(ast.requests, directive.name) && !hasRequestNamed(imported, directive.name) && !regionNames.has(directive.name)) {
      diagnostics.push({
        severity: 'error',
        code: 'plan/unknown-request',
        message: `run #${directive.name}: there is no request named "${directive.name}" here or in an imported file`,
        span: directive.span,
      });
    }
  }

  // Static pass over every request: its problems, and which requests it depends on. Its own context
  // evaluates each distinct dynamic value once (the run's context, returned below, never does).
  const staticContext: RenderContext = { ...context, dynamicMemo: new Map() };
  // Only requests with something to say are kept: most have no problem and need no other request.
  const statics = new Map<RequestNode, { prepared: Prepared; assertionProblems: Problem[]; assertionWarnings: Problem[] }>();
  const dependencies = new Map<RequestNode, RequestNode[]>();
  const fixed = new Map<RequestNode, Prepared>();
  const prepareOptions = { file: input.path, cwd: options.cwd, check: true };
  for (const request of ast.requests) {
    staticContext.sending = request;
    const prepared = prepareRequest(request, staticContext, prepareOptions);
    // Assertions read the request's own response, after it arrived.
    staticContext.sending = undefined;
    if (prepared.fixed) fixed.set(request, prepared);
    const assertionProblems: Problem[] = [];
    const assertionWarnings: Problem[] = [];
    const references = prepared.references.slice();
    for (const assertion of request.assertions) {
      const checked = checkAssertion(assertion, staticContext);
      assertionProblems.push(...checked.problems);
      if (checked.warning !== null) assertionWarnings.push(checked.warning);
      for (const reference of checked.references) if (!references.includes(reference)) references.push(reference);
    }
    // httpyac: `# @ref login` / `# @forceRef login` run login first.
    for (const meta of request.metadata) {
      if (meta.key !== 'ref' && meta.key !== 'forceRef' && meta.key !== 'force-ref') continue;
      for (const name of meta.value.split(/[,\s]+/).filter(Boolean)) {
        const target = bindRequest(ast.requests, name, request.requestLine.start.line) ?? bindRequest(imported, name, 0);
        // httpyac names regions that hold only variables; theirs apply here anyway (this file's, or an import's).
        if (target === null && regionNames.has(name)) continue;
        if (target === null) {
          assertionProblems.push({
            code: 'resolve/unknown-request',
            message: `@${meta.key} ${name}: there is no request named "${name}" in this file or an imported one`,
            span: meta.span,
          });
        } else if (!references.includes(target)) references.push(target);
      }
    }
    if (prepared.problems.length > 0 || prepared.warnings.length > 0 || assertionProblems.length > 0 || assertionWarnings.length > 0) {
      statics.set(request, { prepared, assertionProblems, assertionWarnings });
    }
    if (references.length > 0) {
      const needs = references.filter((r) => r !== request);
      if (needs.length > 0) dependencies.set(request, needs);
    }
    for (const file of prepared.files) inputs.push(file);
  }
  for (const assertion of ast.assertions) {
    const checked = checkAssertion(assertion, staticContext);
    for (const problem of checked.problems) diagnostics.push({ severity: 'error', ...problem });
    if (checked.warning !== null) diagnostics.push({ severity: 'warning', ...checked.warning });
  }
  // Imported requests run through their own file; the plan orders this file's (a Set: n lookups, not n scans).
  const own = dependencies.size > 0 ? new Set(ast.requests) : null;
  const localDependencies = new Map([...dependencies].map(([request, needs]) => [request, needs.filter((need) => own!.has(need))] as const));
  const plan = planFile(ast.requests, localDependencies, selection, sharedBlockOf(ast.requests)?.request ?? null);
  diagnostics.push(...plan.diagnostics);
  for (const request of plan.order) {
    const found = statics.get(request);
    if (found === undefined) continue;
    for (const problem of found.prepared.problems) diagnostics.push({ severity: 'error', ...problem });
    for (const problem of found.assertionProblems) diagnostics.push({ severity: 'error', ...problem });
    for (const warning of found.prepared.warnings) diagnostics.push({ severity: 'warning', ...warning });
    for (const warning of found.assertionWarnings) diagnostics.push({ severity: 'warning', ...warning });
  }
  // Only a run reads which bodies are read: `check` never pays for the walk over every placeholder.
  let bodyReaders: Set<string> | undefined;
  return {
    text,
    diagnostics: mask(dedupe(diagnostics), staticSecrets),
    environment,
    requests: ast.requests,
    order: plan.order,
    context,
    get bodyReaders() {
      return (bodyReaders ??= bodyReadersOf(ast));
    },
    dependencies,
    imported,
    directives,
    importPaths,
    inputs,
    secrets: staticSecrets,
    fixed,
    fileAssertions: ast.assertions,
    regionNames,
  };
}

/** An assertion before anything is sent: its placeholders and syntax, and a warning for another tool's `?? js`. */
function checkAssertion(
  assertion: AssertionNode,
  context: RenderContext,
): { problems: readonly Problem[]; warning: Problem | null; references: readonly RequestNode[] } {
  const rendered = renderAssertion(assertion.source, context, assertion.span);
  const parsed = parseAssertion(rendered.text);
  const at = 'assertion' in parsed ? null : columnSpan(assertion.source.span, parsed.column);
  return {
    problems: 'error' in parsed ? [...rendered.problems, { code: 'assert/syntax', message: parsed.error, span: at! }] : rendered.problems,
    warning: 'skip' in parsed ? { code: 'assert/skipped', message: parsed.skip, span: at! } : null,
    references: rendered.references,
  };
}

const SKIPPED: Record<string, string> = {
  'response-ref': 'a `<>` reference to a saved response is for comparing in the editor; httprun ignores it',
  'pasted-response': 'a response pasted after the request is ignored (it is not an expectation; use ?? assertions)',
  'grpc-proto': 'gRPC is not supported; this line is ignored',
  script: 'a script outside any request is not run',
};

/** Constructs of other dialects that parse but do not run: each gets a located warning (SPEC §3). */
function skippedConstructs(ast: HttpFileNode): Diagnostic[] {
  const foreign = [...ast.foreign, ...ast.requests.flatMap((request) => request.foreign)];
  const skipped: Diagnostic[] = foreign
    .filter((node) => SKIPPED[node.what] !== undefined)
    .map((node) => ({ severity: 'warning' as const, code: `run/${node.what}-skipped`, message: SKIPPED[node.what]!, span: node.span }));
  for (const request of ast.requests) {
    const [first, ...more] = request.saves;
    for (const save of more) {
      skipped.push({
        severity: 'warning',
        code: 'run/extra-save-skipped',
        message: `a response is saved once, to the file of the first \`>>\` line (line ${first!.span.start.line}); this one is ignored`,
        span: save.span,
      });
    }
  }
  return skipped;
}

/** Loads (and caches) an imported file's static check; `chain` guards against import cycles. */
export interface ImportLoader {
  load(path: string): Promise<CheckedFile>;
  chain: readonly string[];
  /**
   * Parses a file once per run: a file that is both run and imported is then one set of request
   * nodes, and a request runs at most once per run (SPEC §7) whichever file asks for it.
   */
  parse?(input: FileInput, text: string): ParseResult;
}

function localLoader(options: RunOptions, chain: readonly string[]): ImportLoader {
  const cache = new Map<string, Promise<CheckedFile>>();
  const loader: ImportLoader = {
    chain,
    load(path) {
      let found = cache.get(path);
      if (!found) {
        found = checkFile({ path, display: displayPath(path, options.cwd) }, options, NO_SELECTION, {
          load: loader.load,
          chain: [...chain, path],
        });
        cache.set(path, found);
      }
      return found;
    },
  };
  return loader;
}

/** The name an undefined-variable error is about (render-template.ts writes it first in the message). */
function undefinedName(problem: Diagnostic): string | null {
  return problem.code === 'resolve/undefined-variable' ? (/^undefined variable \{\{([^}]+)\}\}/.exec(problem.message)?.[1] ?? null) : null;
}

export const NO_SELECTION: Selection = { names: [], lines: [], tags: [] };

/**
 * Most assertions are plain text (`status == 200`): those need no rendering, at check time or per
 * response. The line (for which definition of a variable applies) is only worked out for the others.
 */
export function renderAssertion(template: Template, context: RenderContext, span: Span): Readonly<Rendered> {
  const only = template.parts.length === 1 ? template.parts[0]! : null;
  if (only !== null && only.kind === 'text') return { text: only.value, problems: NO_PROBLEMS, references: NO_REFERENCES, volatile: false };
  return renderTemplate(template, context, span.start.line);
}

const NO_PROBLEMS: Problem[] = [];
const NO_REFERENCES: RequestNode[] = [];

/** A body nothing reads is drained, never stored (SPEC §7). */
export function readsBody(node: RequestNode, checked: Pick<CheckedFile, 'bodyReaders' | 'fileAssertions'>): boolean {
  if (node.saves.length > 0 || node.scripts.some((s) => s.phase === 'post')) return true;
  for (const assertion of node.assertions) if (!BODY_FREE_QUERY.test(leadingText(assertion.source))) return true;
  for (const assertion of checked.fileAssertions ?? []) if (!BODY_FREE_QUERY.test(leadingText(assertion.source))) return true;
  return checked.bodyReaders.has(node.name);
}

/**
 * The text before a template's first placeholder: enough for BODY_FREE_QUERY, which reads the first
 * word only (a placeholder right after it ends the word as `{{` would).
 */
function leadingText(template: Template): string {
  const first = template.parts[0];
  if (first === undefined || first.kind !== 'text') return '';
  if (template.parts.length === 1 || template.parts[1]!.kind !== 'text') return first.value;
  let text = '';
  for (const part of template.parts) {
    if (part.kind !== 'text') break;
    text += part.value;
  }
  return text;
}

/** Names of requests whose response body some placeholder in the file reads. */
function bodyReadersOf(ast: HttpFileNode): Set<string> {
  const names = new Set<string>();
  const requestNames = new Set(ast.requests.map((request) => request.name));
  const visit = (template: Template | null | undefined) => {
    for (const part of template?.parts ?? []) {
      if (part.kind !== 'variable') continue;
      const name = part.name.startsWith('%') ? part.name.slice(1) : part.name;
      const reference = parseRequestReference(name);
      if (reference && !/^response\.(status|headers?)\b/.test(reference.path)) names.add(reference.request);
      const head = name.split('.')[0]!;
      if (!reference && requestNames.has(head)) names.add(head);
    }
  };
  for (const variable of ast.variables) visit(variable.value);
  for (const request of ast.requests) {
    visit(request.target);
    for (const header of request.headers) visit(header.kind === 'header' ? header.value : header.line);
    for (const part of request.body?.parts ?? []) visit(part.kind === 'text' ? part.text : part.path);
    for (const assertion of request.assertions) visit(assertion.source);
  }
  return names;
}

function readHandler(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function columnSpan(span: RequestNode['span'], column: number): RequestNode['span'] {
  const start = { ...span.start, column: span.start.column + Math.max(0, column - 1), offset: span.start.offset + Math.max(0, column - 1) };
  return { file: span.file, start, end: { ...start, column: start.column + 1, offset: start.offset + 1 } };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}:${d.span.start.line}:${d.span.start.column}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
