import { resolve as resolvePath } from 'node:path';
import { importDirectives, type ImportDirective } from './import-directives.js';
import { displayPath } from './find-files.js';
import { dirname } from 'node:path';
import { evaluateAssertion } from '../assert/evaluate-assertion.js';
import { parseAssertion } from '../assert/parse-assertion.js';
import { readReference } from '../assert/read-reference.js';
import { ResponseView } from '../assert/response-view.js';
import { loadEnvironment, type Environment } from '../config/environment.js';
import { hasErrors, type Diagnostic, type Span } from '../diagnostics.js';
import type { Exchange, RequestError } from '../execute/exchange.js';
import type { HttpClient } from '../execute/http-client.js';
import { LazyCookieJar } from '../execute/lazy-cookie-jar.js';
import type { SecretValue } from '../execute/prepared-request.js';
import { sendRequest } from '../execute/send-request.js';
import { planFile, type Selection } from '../plan/plan-file.js';
import { renderTemplate, type Problem, type RenderContext, type Rendered } from '../resolve/render-template.js';
import type { AssertionNode, HttpFileNode, MetadataNode, ParseResult, RequestNode, Template, VariableNode } from '../syntax/ast.js';
import { bindRequest, hasRequestNamed, parseRequestReference } from '../resolve/request-reference.js';
import { formatDiagnostic } from '../syntax/format-diagnostic.js';
import { parse } from '../syntax/parse.js';
import type { RunEvent } from './events.js';
import { runPreRequestScript, runResponseScript, scriptSetNames, type ScriptHost, type ScriptOutcome } from '../script/run-script.js';
import { requestVariableSetNames } from '../script/script-set-names.js';
import { scriptCodeOrigin } from '../script/script-code-origin.js';
import type { ScriptNode } from '../syntax/ast.js';
import { readFileSync } from 'node:fs';
import type { RunOptions } from './options.js';
import { describeIoError } from '../describe-io-error.js';
import { prepareRequest, type Prepared } from './prepare-request.js';
import { settingsFor, type RequestSettings } from './request-settings.js';
import type { AssertionResult, FileResult, Outcome, RequestResult, WireMessage } from './result.js';
import { mask, maskSavedFile } from './mask.js';
import { SecretSet } from './secret-set.js';

export interface FileRunContext {
  options: RunOptions;
  /** Shared by every file of the run (imports run once per run). */
  shared: SharedRun;
  client: (environment: Environment) => HttpClient;
  secrets: SecretSet;
  emit(event: RunEvent): void;
  /** Aborted by --bail (first failure) or by a signal. */
  cancel: AbortController;
  userAgent: string;
}

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
    text = input.text ?? readFileSync(input.path, 'utf8');
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
  for (const request of ast.requests) {
    for (const script of request.scripts) {
      // A `> ./handler.js` file sets names too; one that cannot be read fails at run time, located.
      const handler = script.code === null && script.path !== null ? resolveFrom(dirname(input.path), script.path) : null;
      if (handler !== null) inputs.push(handler);
      const code = script.code ?? (handler !== null ? readHandler(handler) : '');
      for (const name of scriptSetNames(code)) scriptNames.add(name);
      if (script.phase === 'pre') for (const name of requestVariableSetNames(code)) scriptNames.add(name);
    }
  }
  const staticSecrets = new SecretSet();
  const context: RenderContext = {
    table: { cliVars: options.vars, fileVariables: ast.variables, environment, scriptValues: new Map() },
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
  const directives = importDirectives(ast);
  const importPaths = new Map<ImportDirective, string>();
  const imported: RequestNode[] = [];
  const importedSet = new Set<RequestNode>();
  const importedVariables: (readonly VariableNode[])[] = [];
  // `# @name` of blocks without a request line (httpyac's named variable regions), here and in imports.
  const regionNames = new Set(ast.metadata.filter((meta) => meta.key === 'name').map((meta) => meta.value));
  for (const directive of directives) {
    if (directive.kind === 'run-request') continue;
    const path = resolvePath(dirname(input.path), directive.path);
    importPaths.set(directive, path);
    if (loader.chain.includes(path)) continue;
    const other = await loader.load(path);
    inputs.push(path, ...other.inputs);
    const problem = other.diagnostics.find((d) => d.severity === 'error');
    if (problem) {
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
    if (directive.kind !== 'run-request') continue;
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
  for (const request of ast.requests) {
    const prepared = prepareRequest(request, staticContext, { file: input.path, cwd: options.cwd, check: true });
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
  const plan = planFile(ast.requests, localDependencies, selection);
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

export const NO_SELECTION: Selection = { names: [], lines: [], tags: [] };

/** What a run shares across its files: imported requests run once per run, whoever asks first. */
export interface SharedRun {
  checks: Map<string, Promise<CheckedFile>>;
  parses: Map<string, { text: string; parsed: ParseResult }>;
  /** Files of the run that another file imports or runs (see markImportedFiles). */
  importedPaths: Set<string>;
  states: Map<string, Promise<FileState | null>>;
  results: Map<RequestNode, RequestResult>;
  views: Map<RequestNode, ResponseView>;
  running: Map<RequestNode, Promise<RequestResult>>;
  owners: Map<RequestNode, FileState>;
}

export function createSharedRun(): SharedRun {
  return { checks: new Map(), parses: new Map(), importedPaths: new Set(), states: new Map(), results: new Map(), views: new Map(), running: new Map(), owners: new Map() };
}

/** A file ready to send: its static check and what its requests run with. */
export interface FileState {
  input: FileInput;
  checked: CheckedFile;
  scope: RequestScope;
}

function loaderFor(run: FileRunContext, chain: readonly string[]): ImportLoader {
  const loader: ImportLoader = {
    chain,
    load: (path) => loadChecked(run, { path, display: displayPath(path, run.options.cwd) }, NO_SELECTION, [...chain, path]),
    parse: (input, text) => parseOnce(run.shared, input, text),
  };
  return loader;
}

function parseOnce(shared: SharedRun, input: FileInput, text: string): ParseResult {
  const found = shared.parses.get(input.path);
  if (found !== undefined && found.text === text) return found.parsed;
  const parsed = parse(text, { file: input.display });
  shared.parses.set(input.path, { text, parsed });
  return parsed;
}

/** A line that may import or run another file: `import x`, `run x`, `# @import x`. */
const MAY_IMPORT = /^[ \t]*(?:(?:import|run)[ \t]|(?:#|\/\/)[ \t]*@import\b)/m;

/**
 * Which of the run's files another file imports or runs, followed through imports of imports. Such a
 * file's requests keep their bodies whoever runs them first, since an importer may read any of its
 * responses. Parses are shared with the checks that follow, so this costs the reading of each file.
 */
export function markImportedFiles(shared: SharedRun, files: readonly FileInput[], cwd: string): void {
  const runPaths = new Set(files.map((file) => file.path));
  const seen = new Set<string>();
  const visit = (input: FileInput) => {
    if (seen.has(input.path)) return;
    seen.add(input.path);
    let text: string;
    try {
      text = input.text ?? readFileSync(input.path, 'utf8');
    } catch {
      return; // The file's own check reports it.
    }
    // Most files import nothing: only a file with such a line is parsed here (the checks parse the rest).
    if (!MAY_IMPORT.test(text)) return;
    for (const directive of importDirectives(parseOnce(shared, input, text).ast)) {
      if (directive.kind === 'run-request') continue;
      const path = resolvePath(dirname(input.path), directive.path);
      if (runPaths.has(path)) shared.importedPaths.add(path);
      visit({ path, display: displayPath(path, cwd) });
    }
  };
  for (const file of files) visit(file);
}

function loadChecked(run: FileRunContext, input: FileInput, selection: Selection, chain: readonly string[]): Promise<CheckedFile> {
  const key = `${selection === NO_SELECTION ? 'import' : 'top'}:${input.path}`;
  let found = run.shared.checks.get(key);
  if (!found) {
    found = checkFile(input, run.options, selection, loaderFor(run, chain));
    run.shared.checks.set(key, found);
  }
  return found;
}

function openState(run: FileRunContext, input: FileInput, checked: CheckedFile, imported = false): FileState {
  const environment = checked.environment!;
  const shared = run.shared;
  if (checked.secrets) run.secrets.addAll(checked.secrets);
  const context: RenderContext = {
    ...checked.context!,
    dynamic: { ...checked.context!.dynamic },
    readReference: (request, path) => {
      const view = shared.views.get(request);
      if (!view) return { error: `the request "${request.name}" has no response` };
      return readReference(path, view);
    },
  };
  const state: FileState = {
    input,
    checked,
    scope: {
      run,
      input,
      context,
      jar: new LazyCookieJar(),
      client: run.client(environment),
      baseDir: dirname(input.path),
      environment,
      text: checked.text,
      dependencies: checked.dependencies,
      fixed: checked.fixed ?? new Map(),
      // An importer may read any imported response, which this file's own placeholders do not show.
      // bodyReaders walks the whole file: asked only for a request none of whose own parts reads the body.
      readsBody: (n) => imported || shared.importedPaths.has(input.path) || readsBody(n, checked),
      fileAssertions: checked.fileAssertions ?? [],
    },
  };
  for (const request of checked.requests) shared.owners.set(request, state);
  return state;
}

/** The state of an imported (or run) file, opened once per run. */
function importedState(run: FileRunContext, path: string): Promise<FileState | null> {
  let found = run.shared.states.get(path);
  if (!found) {
    found = loadChecked(run, { path, display: displayPath(path, run.options.cwd) }, NO_SELECTION, [path]).then((checked) =>
      hasErrors(checked.diagnostics) || checked.context === null || checked.environment === null
        ? null
        : openState(run, { path, display: displayPath(path, run.options.cwd) }, checked, true),
    );
    run.shared.states.set(path, found);
  }
  return found;
}

export async function runFile(input: FileInput, run: FileRunContext): Promise<FileResult> {
  const { options } = run;
  run.emit({ type: 'file-start', file: input.display });
  const checked = await loadChecked(run, input, options, [input.path]);
  if (checked.diagnostics.length > 0) {
    run.emit({
      type: 'diagnostics',
      file: input.display,
      diagnostics: checked.diagnostics,
      // Only the request file's own lines are shown: an env file's line may hold a secret.
      rendered: checked.diagnostics.map((d) => formatDiagnostic(d, d.span.file === input.display ? checked.text : '')),
    });
  }
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(checked.diagnostics) || checked.context === null || checked.environment === null) {
    const first = errors[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    const result: FileResult = {
      file: input.display,
      error: `${first.span.file}:${first.span.start.line}:${first.span.start.column}: ${first.message}${more}`,
      requests: [],
    };
    run.emit({ type: 'file-end', file: result });
    return result;
  }
  const state = openState(run, input, checked);
  const requests: RequestResult[] = [];
  const record = (result: RequestResult) => {
    requests.push(result);
    run.emit({ type: 'request-end', file: input.display, request: result });
    if (options.bail && (result.outcome === 'failed' || result.outcome === 'errored')) run.cancel.abort();
  };

  // Import/run directives take their place among the requests by line (none when selecting).
  const selecting = options.names.length + options.lines.length + options.tags.length > 0;
  await runInPlace(run, state, state, record, {}, [input.path], !selecting);
  const fileResult: FileResult = { file: input.display, error: null, requests };
  run.emit({ type: 'file-end', file: fileResult });
  return fileResult;
}

/**
 * A file's requests in order, on behalf of `host`, with its `run #Name` and `run ./file.http` lines
 * at their places; a file that `run` names runs its own `run` lines too (`chain` stops a cycle).
 * Values a `run … (@name=value)` line gives apply to everything it runs, an inner line's over an outer's.
 */
async function runInPlace(
  run: FileRunContext,
  file: FileState,
  host: FileState,
  record: (result: RequestResult) => void,
  overrides: Record<string, string>,
  chain: readonly string[],
  withDirectives = true,
): Promise<void> {
  const checked = file.checked;
  const pending = withDirectives ? checked.directives.filter((d) => d.kind !== 'import') : [];
  const runDirectivesBefore = async (line: number) => {
    while (pending.length > 0 && pending[0]!.span.start.line < line) {
      const directive = pending.shift()!;
      const values = { ...overrides, ...directive.overrides };
      if (directive.kind === 'run-request') {
        const node =
          checked.requests.find((r) => r.name === directive.name) ?? checked.imported.find((r) => r.name === directive.name);
        if (node && !run.shared.owners.has(node)) await openImportsFor(run, file);
        const owner = node ? run.shared.owners.get(node) : undefined;
        if (node && owner) await executeOnce(owner, node, host, record, values);
      } else if (directive.kind === 'run-file') {
        const path = checked.importPaths.get(directive)!;
        if (chain.includes(path)) continue;
        const other = await importedState(run, path);
        if (other) await runInPlace(run, other, host, record, values, [...chain, path]);
      }
    }
  };
  for (const node of checked.order) {
    await runDirectivesBefore(node.requestLine.start.line);
    await executeOnce(file, node, host, record, overrides);
  }
  await runDirectivesBefore(Number.MAX_SAFE_INTEGER);
}

/** Opens every file this one imports, and what those import in turn (`run #Name` may reach two files away). */
async function openImportsFor(run: FileRunContext, from: FileState, seen = new Set([from.input.path])): Promise<void> {
  const checked = from.checked;
  for (const path of checked.importPaths.values()) {
    if (seen.has(path)) continue;
    seen.add(path);
    const state = await importedState(run, path);
    if (state) await openImportsFor(run, state, seen);
  }
}

/**
 * Every request runs at most once per run. A request of another file (imported) runs on behalf of
 * `host`: its result is reported there, and the values its scripts set become visible there.
 * `run #Name (@var=value)` asks for a run with other values: that one runs again, whatever ran before.
 */
async function executeOnce(
  owner: FileState,
  node: RequestNode,
  host: FileState,
  record: (result: RequestResult) => void,
  overrides: Record<string, string> = {},
): Promise<RequestResult> {
  const shared = owner.scope.run.shared;
  const overriding = Object.keys(overrides).length > 0;
  const running = shared.running.get(node);
  if (running && !overriding) return running;
  const promise = (async () => {
    for (const dependency of owner.checked.dependencies.get(node) ?? []) {
      if (owner.checked.requests.includes(dependency)) continue;
      if (!shared.owners.has(dependency)) await openImportsFor(owner.scope.run, owner);
      const dependencyOwner = shared.owners.get(dependency);
      if (dependencyOwner) await executeOnce(dependencyOwner, dependency, host, record);
    }
    const run = owner.scope.run;
    const settings = settingsFor(node, run.options, owner.scope.environment.config.defaults);
    host.scope.run.emit({ type: 'request-start', file: host.input.display, name: node.name, line: node.requestLine.start.line });
    // Above the file's own variables, below --var (the command line has the last word).
    const table = owner.scope.context.table;
    const scope = overriding
      ? { ...owner.scope, fixed: new Map(), context: { ...owner.scope.context, table: { ...table, cliVars: { ...overrides, ...table.cliVars } } } }
      : owner.scope;
    const result = await runRequest(node, settings, scope);
    shared.results.set(node, result);
    if (owner !== host) {
      for (const [name, value] of owner.scope.context.table.scriptValues) host.scope.context.table.scriptValues.set(name, value);
    }
    record(result);
    return result;
  })();
  if (!running) shared.running.set(node, promise);
  return promise;
}

interface RequestScope {
  run: FileRunContext;
  input: FileInput;
  context: RenderContext;
  jar: LazyCookieJar;
  client: HttpClient;
  baseDir: string;
  environment: Environment;
  text: string;
  dependencies: Map<RequestNode, RequestNode[]>;
  /** Static renders the run may send as they are (none when `run #Name (@var=value)` overrides values). */
  fixed: ReadonlyMap<RequestNode, Prepared>;
  readsBody(node: RequestNode): boolean;
  fileAssertions: readonly AssertionNode[];
}

const NO_SCRIPTS: readonly ScriptNode[] = [];
const NO_REQUESTS: readonly RequestNode[] = [];

/** `request.variables.set` lasts for its own request only (JetBrains); the file's values come back after. */
async function runRequest(node: RequestNode, settings: RequestSettings, scope: RequestScope): Promise<RequestResult> {
  const saved = new Map<string, string | undefined>();
  try {
    return await runRequestOnce(node, settings, scope, saved);
  } finally {
    const values = scope.context.table.scriptValues;
    for (const [name, value] of saved) {
      if (value === undefined) values.delete(name);
      else values.set(name, value);
    }
  }
}

async function runRequestOnce(
  node: RequestNode,
  settings: RequestSettings,
  scope: RequestScope,
  saved: Map<string, string | undefined>,
): Promise<RequestResult> {
  const { run, context } = scope;
  const base = {
    name: node.name,
    line: node.requestLine.start.line,
    method: node.method.toUpperCase(),
    url: '',
    status: null,
    durationMs: 0,
    attempts: 0,
    assertions: [] as AssertionResult[],
  };
  const skipped = (reason: string): RequestResult => ({ ...base, url: templateText(node.target), outcome: 'skipped', error: reason });

  if (settings.skip !== null) return skipped(settings.skip);
  if (run.cancel.signal.aborted) return skipped(run.options.bail ? 'cancelled by --bail' : 'cancelled');

  const used = new Map<string, string>();
  const requestContext: RenderContext = {
    ...context,
    ...(run.options.dryRun ? { readReference: null } : {}),
    dynamic: { ...context.dynamic, now: run.options.now() },
    onSecret: (name, value) => {
      used.set(name, value);
      run.secrets.add(value);
    },
  };
  const preScripts = node.scripts.length === 0 ? NO_SCRIPTS : node.scripts.filter((script) => script.phase === 'pre');
  // The static pass rendered it already; nothing it used can have changed unless a script set a value.
  const reusable = preScripts.length === 0 && context.table.scriptValues.size === 0 ? scope.fixed.get(node) : undefined;
  let prepared = reusable ?? prepareRequest(node, requestContext, { file: scope.input.path, cwd: run.options.cwd });
  if (preScripts.length > 0 && !run.options.dryRun) {
    for (const script of preScripts) {
      const outcome = runScriptNode(script, scope, requestContext, (code, host) =>
        runPreRequestScript(code, host, {
          method: prepared.request.method,
          url: prepared.request.url,
          headers: prepared.request.headers,
          body: Buffer.isBuffer(prepared.request.body) ? prepared.request.body.toString('utf8') : null,
        }),
      );
      if (outcome.error !== null) return { ...base, url: prepared.request.url, outcome: 'failed', error: outcome.error, attempts: 0 };
      for (const [name, value] of outcome.variables) {
        if (!saved.has(name)) saved.set(name, context.table.scriptValues.get(name));
        context.table.scriptValues.set(name, value);
      }
    }
    // Scripts may have set variables the request uses.
    prepared = prepareRequest(node, requestContext, { file: scope.input.path, cwd: run.options.cwd });
  }
  // A dry run prints references to responses unresolved (SPEC §7), so dependencies do not matter.
  if (run.options.dryRun) {
    run.emit({ type: 'log', file: scope.input.display, line: base.line, message: dryRunText(prepared) });
    return { ...base, url: prepared.request.url, outcome: 'skipped', error: 'dry run: not sent' };
  }
  const needs = scope.dependencies.get(node) ?? NO_REQUESTS;
  if (needs.length > 0 || prepared.references.length > 0) {
    for (const dependency of new Set([...needs, ...prepared.references])) {
      const outcome = scope.run.shared.results.get(dependency)?.outcome;
      if (outcome !== 'passed' && dependency !== node) {
        return skipped(`depends on "${dependency.name}" (line ${dependency.requestLine.start.line}), which ${describeOutcome(outcome)}`);
      }
    }
  }
  if (prepared.problems.length > 0) {
    return { ...base, url: prepared.request.url, outcome: 'errored', error: prepared.problems.map((p) => p.message).join('; ') };
  }

  const secrets: SecretValue[] = [...used].map(([name, value]) => ({
    name,
    value,
    hosts: scope.environment.config.secrets[name]?.hosts ?? null,
  }));
  const save = node.saves[0];
  const saveTo = save
    ? { path: resolveFrom(scope.baseDir, renderTemplate(save.path, requestContext).text.trim()), overwrite: save.overwrite }
    : undefined;

  // httpyac's `# @sleep`, kulala's `# @delay`: a wait that a cancelled run does not sit out.
  if (settings.delay > 0 && !(await sleep(settings.delay, run.cancel.signal))) {
    return skipped(run.options.bail ? 'cancelled by --bail' : 'cancelled');
  }

  let attempts = 0;
  let last: RequestResult | null = null;
  for (;;) {
    attempts++;
    const started = performance.now();
    const sent = await sendRequest(
      prepared.request,
      {
        followRedirects: settings.followRedirects,
        maxRedirects: settings.maxRedirects,
        timeoutMs: settings.timeout,
        connectionTimeoutMs: settings.connectionTimeout,
        maxBodyBytes: settings.maxBody,
        readBody: scope.readsBody(node),
        // Shown by --verbose and the HTML report: a preview, so a huge or broken body nothing reads stays harmless.
        previewBytes: run.options.captureBodies ? REPORT_BODY_LIMIT : 0,
        cookieJar: settings.cookies ? scope.jar : null,
        insecure: settings.insecure,
        secrets,
        userAgent: run.userAgent,
        signal: run.cancel.signal,
        ...(saveTo ? { saveTo } : {}),
      },
      scope.client,
    );
    for (const derived of sent.derivedSecrets) run.secrets.addExact(derived);
    // What the executor corrected on its own (a wrong Content-Length, a repeated Host) is said once.
    if (attempts === 1) {
      for (const warning of sent.warnings) run.emit({ type: 'log', file: scope.input.display, line: base.line, message: `warning: ${warning}` });
    }
    const exchange: Exchange | undefined = sent.exchange;
    if ('error' in sent) {
      last = {
        ...base,
        url: exchange?.response.url ?? prepared.request.url,
        status: exchange?.response.status ?? null,
        durationMs: Math.round(performance.now() - started),
        outcome: run.cancel.signal.aborted ? 'skipped' : 'errored',
        error: run.cancel.signal.aborted ? cancelReason(run) : sent.error.message,
        attempts,
        ...wire(prepared, exchange),
      };
      if (!retryable(sent.error) || attempts > settings.retry || run.cancel.signal.aborted) break;
    } else {
      const view = new ResponseView(sent.exchange);
      const assertions = evaluateAll(node, scope.fileAssertions, view, requestContext, scope.baseDir);
      let scriptError: string | null = null;
      for (const script of node.scripts.length === 0 ? NO_SCRIPTS : node.scripts.filter((s) => s.phase === 'post')) {
        const outcome = runScriptNode(script, scope, requestContext, (code, host) => runResponseScript(code, host, sent.exchange));
        for (const test of outcome.tests) {
          const result: AssertionResult = {
            line: test.line ?? script.span.start.line,
            text: `client.test("${test.name}")`,
            passed: test.passed,
            expected: true,
            actual: test.passed,
          };
          if (!test.passed && test.message) result.message = test.message;
          assertions.push(result);
        }
        if (outcome.error !== null) {
          scriptError = outcome.error;
          break;
        }
      }
      const failed = scriptError !== null || assertions.some((a) => !a.passed);
      scope.run.shared.views.set(node, view);
      registerCapturedSecrets(node, requestContext, run.secrets);
      if (sent.savedTo !== undefined && !node.metadata.some((m) => m.key === 'save-raw')) await maskSavedFile(sent.savedTo, run.secrets);
      // Written out rather than spread from `base`: this literal is built once per response (same key order).
      last = {
        name: base.name,
        line: base.line,
        method: base.method,
        url: sent.exchange.response.url,
        status: sent.exchange.response.status,
        durationMs: Math.round(sent.exchange.response.durationMs),
        attempts,
        assertions,
        outcome: failed ? 'failed' : 'passed',
        error: scriptError,
        redirects: sent.exchange.response.redirects,
        request: wireRequest(prepared, sent.exchange),
        response: wireResponse(sent.exchange),
      };
      const status = sent.exchange.response.status;
      const again = failed || status >= 500 || status === 429;
      if (!again || attempts > settings.retry) break;
    }
    const wait = retryDelay(settings.retryInterval, exchange);
    if (!(await sleep(wait, run.cancel.signal))) break;
  }
  return last!;
}

/**
 * `# @secret token`: once this response (or a script handling it) gives `token` a value, that value is
 * masked — in this response's own output too, which reporters have not seen yet.
 */
function registerCapturedSecrets(node: RequestNode, context: RenderContext, secrets: SecretSet): void {
  const span = node.requestLine;
  for (const name of context.secretNames) {
    for (const line of [span.start.line, Number.MAX_SAFE_INTEGER]) {
      const rendered = renderTemplate({ parts: [{ kind: 'variable', name, span }], span }, context, line);
      if (rendered.problems.length === 0) secrets.add(rendered.text);
    }
  }
}

/** Runs one JetBrains script (inline or `> ./handler.js`) with the file's globals; logs become events. */
function runScriptNode(
  script: ScriptNode,
  scope: RequestScope,
  context: RenderContext,
  execute: (code: string, host: ScriptHost) => ScriptOutcome,
): ScriptOutcome {
  let code = script.code;
  let origin = { file: scope.input.display, ...(script.code !== null ? scriptCodeOrigin(scope.text, script) : { line: 1, column: 1 }) };
  if (code === null && script.path !== null) {
    const path = resolveFrom(scope.baseDir, script.path);
    try {
      code = readFileSync(path, 'utf8');
      origin = { file: script.path, line: 1, column: 1 };
    } catch (error) {
      return {
        tests: [],
        logs: [],
        error: `${scope.input.display}:${script.span.start.line}: cannot read the handler ${script.path}: ${describeIoError(error)}`,
        variables: new Map(),
      };
    }
  }
  const host: ScriptHost = {
    globals: context.table.scriptValues,
    variable: (name) => {
      const rendered = renderTemplate({ parts: [{ kind: 'variable', name, span: script.span }], span: script.span }, context, script.span.start.line);
      return rendered.problems.length ? undefined : rendered.text;
    },
    environment: (name) => {
      const env = scope.environment;
      return env.private[name] ?? env.public[name] ?? env.shared[name];
    },
    ...origin,
  };
  const outcome = execute(code ?? '', host);
  // `# @secret token` set by this very script: masked before its own client.log lines go out.
  for (const name of context.secretNames) {
    const value = context.table.scriptValues.get(name);
    if (value !== undefined) scope.run.secrets.add(value);
  }
  for (const message of outcome.logs) scope.run.emit({ type: 'log', file: scope.input.display, line: script.span.start.line, message });
  return outcome;
}

/**
 * Most assertions are plain text (`status == 200`): those need no rendering, at check time or per
 * response. The line (for which definition of a variable applies) is only worked out for the others.
 */
function renderAssertion(template: Template, context: RenderContext, span: Span): Readonly<Rendered> {
  const only = template.parts.length === 1 ? template.parts[0]! : null;
  if (only !== null && only.kind === 'text') return { text: only.value, problems: NO_PROBLEMS, references: NO_REFERENCES, volatile: false };
  return renderTemplate(template, context, span.start.line);
}

const NO_PROBLEMS: Problem[] = [];
const NO_REFERENCES: RequestNode[] = [];

// A loop and push, not map: map's array changes its elements kind once map is optimised, which
// threw runRequestOnce out of optimised code for the rest of a run (a "wrong map" deopt on it).
function evaluateAll(
  node: RequestNode,
  fileAssertions: readonly AssertionNode[],
  view: ResponseView,
  context: RenderContext,
  baseDir: string,
): AssertionResult[] {
  const results: AssertionResult[] = [];
  const all = fileAssertions.length === 0 ? node.assertions : [...node.assertions, ...fileAssertions];
  for (const assertion of all) {
    const rendered = renderAssertion(assertion.source, context, assertion.span);
    const line = assertion.span.start.line;
    if (rendered.problems.length > 0) {
      results.push({ line, text: assertion.text, passed: false, expected: null, actual: null, message: rendered.problems.map((p) => p.message).join('; ') });
      continue;
    }
    const parsed = parseAssertion(rendered.text);
    if ('error' in parsed) {
      results.push({ line, text: assertion.text, passed: false, expected: null, actual: null, message: parsed.error });
      continue;
    }
    // The check warned about it: neither passed nor failed, so not among the results.
    if ('skip' in parsed) continue;
    const outcome = evaluateAssertion(parsed.assertion, view, { baseDir });
    const result: AssertionResult = { line, text: assertion.text, passed: outcome.passed, expected: outcome.expected, actual: outcome.actual };
    if (outcome.message !== undefined && !outcome.passed) result.message = outcome.message;
    results.push(result);
  }
  return results;
}

/** A body nothing reads is drained, never stored (SPEC §7). */
function readsBody(node: RequestNode, checked: Pick<CheckedFile, 'bodyReaders' | 'fileAssertions'>): boolean {
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
      const reference = parseRequestReference(part.name);
      if (reference && !/^response\.(status|headers?)\b/.test(reference.path)) names.add(reference.request);
      const head = part.name.split('.')[0]!;
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

/** A template as written, placeholders kept: for reading a query's first word and naming a skipped target. */
function templateText(template: Template): string {
  return template.parts
    .map((part) => (part.kind === 'text' ? part.value : part.kind === 'secret' ? `<<${part.name}>>` : part.kind === 'expression' ? `{{${part.code}}}` : part.kind === 'dynamic' ? `{{$${part.name}}}` : `{{${part.name}}}`))
    .join('');
}

function retryable(error: RequestError): boolean {
  return error.kind === 'connect' || error.kind === 'timeout' || error.kind === 'protocol' || error.kind === 'dns';
}

function retryDelay(interval: number, exchange: Exchange | undefined): number {
  const header = exchange?.response.headers.find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  if (header === undefined) return interval;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(Math.max(ms, interval), 60_000) : interval;
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelReason(run: FileRunContext): string {
  return run.options.bail ? 'cancelled by --bail' : 'cancelled';
}

function describeOutcome(outcome: Outcome | undefined): string {
  if (outcome === 'failed') return 'failed';
  if (outcome === 'errored') return 'errored';
  if (outcome === 'skipped') return 'was skipped';
  return 'has not run';
}

const REPORT_BODY_LIMIT = 64 * 1024;

function wire(prepared: Prepared, exchange: Exchange | undefined): { request: WireMessage; response?: WireMessage } {
  const request = wireRequest(prepared, exchange);
  return exchange ? { request, response: wireResponse(exchange) } : { request };
}

function wireRequest(prepared: Prepared, exchange: Exchange | undefined): WireMessage {
  const sent = exchange?.request;
  return {
    method: sent?.method ?? prepared.request.method,
    url: sent?.url ?? prepared.request.url,
    headers: sent?.headers ?? prepared.request.headers,
    body: bodyText(sent?.body ?? (Buffer.isBuffer(prepared.request.body) ? prepared.request.body : null)),
  };
}

function wireResponse(exchange: Exchange): WireMessage {
  return {
    status: exchange.response.status,
    httpVersion: exchange.response.httpVersion,
    statusText: exchange.response.statusText,
    headers: exchange.response.headers,
    body: bodyText(exchange.response.body, exchange.response.bodyTruncated === true),
  };
}

function bodyText(body: Buffer | null | undefined, truncated = false): string | null {
  if (!body) return null;
  const text = body.subarray(0, REPORT_BODY_LIMIT).toString('utf8');
  if (truncated && body.length <= REPORT_BODY_LIMIT) return `${text}\n… (more bytes not shown)`;
  return body.length > REPORT_BODY_LIMIT ? `${text}\n… (${body.length - REPORT_BODY_LIMIT} more bytes not shown)` : text;
}

function dryRunText(prepared: Prepared): string {
  const { method, url, headers, body } = prepared.request;
  const lines = [`${method} ${url}`, ...headers.map(([name, value]) => `${name}: ${value}`)];
  if (body !== null) {
    lines.push('');
    lines.push(Buffer.isBuffer(body) ? body.toString('utf8') : `< ${body.path}`);
  }
  return lines.join('\n');
}

function readHandler(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function resolveFrom(baseDir: string, path: string): string {
  return resolvePath(baseDir, path);
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
