import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { evaluateAssertion } from '../assert/evaluate-assertion.js';
import { parseAssertion } from '../assert/parse-assertion.js';
import { readReference } from '../assert/read-reference.js';
import { ResponseView } from '../assert/response-view.js';
import type { Environment } from '../config/environment.js';
import { describeIoError } from '../describe-io-error.js';
import { hasErrors } from '../diagnostics.js';
import type { Exchange, RequestError } from '../execute/exchange.js';
import type { HttpClient } from '../execute/http-client.js';
import { LazyCookieJar, type ReceivedCookie } from '../execute/lazy-cookie-jar.js';
import type { CookieStore, SecretValue, SendOptions } from '../execute/prepared-request.js';
import { sendRequest, type SendFailure, type SendResult, type SendSuccess } from '../execute/send-request.js';
import type { Selection } from '../plan/plan-file.js';
import { renderTemplate, type RenderContext } from '../resolve/render-template.js';
import { runPreRequestScript, runResponseScript, type ScriptHost, type ScriptOutcome } from '../script/run-script.js';
import { scriptCodeOrigin } from '../script/script-code-origin.js';
import type { AssertionNode, RequestNode, ScriptNode, Template } from '../syntax/ast.js';
import { formatDiagnostic } from '../syntax/format-diagnostic.js';
import { sharedBlockOf } from '../syntax/parse.js';
import { checkFile, NO_SELECTION, readsBody, renderAssertion, type CheckedFile, type FileInput, type ImportLoader } from './check-file.js';
import type { ImportDirective } from './import-directives.js';
import type { RunEvent } from './events.js';
import { displayPath } from './find-files.js';
import { maskSavedFile } from './mask.js';
import type { RunOptions } from './options.js';
import { prepareRequest, type Prepared } from './prepare-request.js';
import { settingsFor, type RequestSettings } from './request-settings.js';
import type { AssertionResult, FileResult, Outcome, RequestResult, WireMessage } from './result.js';
import { SecretSet } from './secret-set.js';
import { handOver, NOTHING_HANDED_OVER, parseOnce, type HandOver, type SharedRun } from './shared-run.js';

// Running one request file: its requests in order, each sent, retried, checked and reported, with
// what the files of the run share (imports, responses) in SharedRun. What comes before anything is
// sent is check-file.ts.

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

/** A file ready to send: its static check and what its requests run with. */
export interface FileState {
  input: FileInput;
  checked: CheckedFile;
  scope: RequestScope & { jar: LazyCookieJar };
}

function loaderFor(run: FileRunContext, chain: readonly string[]): ImportLoader {
  const loader: ImportLoader = {
    chain,
    load: (path) => loadChecked(run, { path, display: displayPath(path, run.options.cwd) }, NO_SELECTION, [...chain, path]),
    parse: (input, text) => parseOnce(run.shared, input, text),
  };
  return loader;
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
      // An undefined variable may be one the `run … (@name=value)` line gives: the importer's check
      // decided that (check-file.ts), and a request that still lacks it fails at its line when sent.
      checked.diagnostics.some((d) => d.severity === 'error' && d.code !== 'resolve/undefined-variable') || checked.context === null || checked.environment === null
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
    if (options.bail && (result.outcome === 'failed' || result.outcome === 'errored')) run.cancel.abort(BAIL);
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
  // The loop alone here, the rest in functions of their own: V8 charges each wait in this loop to the
  // function's tier-up budget by how far into the function it is, and the whole of it was compiled
  // by TurboFan mid-run in every W3 run.
  const directives = withDirectives ? directiveRunner(run, file, host, record, overrides, chain) : null;
  const each = eachRequest(file.checked);
  const order = file.checked.order;
  let previous: RequestNode | null = null;
  for (let i = 0; i < order.length; i++) {
    const node = order[i]!;
    if (directives !== null && directives.pending.length > 0) await directives.runBefore(node.requestLine.start.line);
    if (each !== null && node !== each && previous !== each) await executeOnce(file, each, host, record, overrides, true);
    await executeOnce(file, node, host, record, overrides);
    previous = node;
  }
  if (directives !== null && directives.pending.length > 0) await directives.runBefore(Number.MAX_SAFE_INTEGER);
}

/** kulala's `### Shared each`: its request (first in the order whenever anything runs) runs again before every later request, so each one gets a fresh login, token or reset. */
function eachRequest(checked: CheckedFile): RequestNode | null {
  const block = sharedBlockOf(checked.requests);
  return block !== null && block.each ? block.request : null;
}

/** The file's `run` lines still to run, and what runs those before a line; null when the file has none. */
function directiveRunner(
  run: FileRunContext,
  file: FileState,
  host: FileState,
  record: (result: RequestResult) => void,
  overrides: Record<string, string>,
  chain: readonly string[],
): { pending: ImportDirective[]; runBefore(line: number): Promise<void> } | null {
  const checked = file.checked;
  const pending = checked.directives.filter((d) => d.kind !== 'import');
  if (pending.length === 0) return null;
  const runBefore = async (line: number) => {
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
  return { pending, runBefore };
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
 * `run #Name (@var=value)` asks for a run with other values: that one runs again, whatever ran before;
 * so does `again` (a `### Shared each` request before each request).
 */
function executeOnce(
  owner: FileState,
  node: RequestNode,
  host: FileState,
  record: (result: RequestResult) => void,
  overrides: Record<string, string> = {},
  again = false,
): Promise<RequestResult> {
  const shared = owner.scope.run.shared;
  const overriding = Object.keys(overrides).length > 0;
  const running = shared.running.get(node);
  if (running && !overriding && !again) return joinRunning(running, owner, node, host);
  let promise: Promise<RequestResult>;
  try {
    promise = executeNow(owner, node, host, record, overrides, overriding);
  } catch (error) {
    // As from an async function: a bug is this run's rejection, recorded against the file by run().
    promise = Promise.reject(error as Error);
  }
  if (!running) shared.running.set(node, promise);
  return promise;
}

/** A request that ran (or runs) already: its result, and for another file what it left behind. */
async function joinRunning(running: Promise<RequestResult>, owner: FileState, node: RequestNode, host: FileState): Promise<RequestResult> {
  const result = await running;
  // It ran for another file (or its own) first: this one gets what it left all the same.
  if (owner !== host) await handOver(owner.scope.run.shared.handovers.get(node) ?? NOTHING_HANDED_OVER, hostSide(host));
  return result;
}

function executeNow(
  owner: FileState,
  node: RequestNode,
  host: FileState,
  record: (result: RequestResult) => void,
  overrides: Record<string, string>,
  overriding: boolean,
): Promise<RequestResult> {
  const dependencies = owner.checked.dependencies.get(node);
  // A file's own order runs what its requests need first; one run alone from another file
  // (`run #Profile`, which reads Login's response) needs it run here.
  if (dependencies !== undefined && dependencies.some((dependency) => owner !== host || !owner.checked.requests.includes(dependency))) {
    return runDependencies(owner, dependencies, host, record).then(() => executeRequest(owner, node, host, record, overrides, overriding));
  }
  return executeRequest(owner, node, host, record, overrides, overriding);
}

// Plain functions chained on the request's promise rather than one async function, which TurboFan
// compiled mid-run in every W3 run: see runRequestOnce.
function executeRequest(
  owner: FileState,
  node: RequestNode,
  host: FileState,
  record: (result: RequestResult) => void,
  overrides: Record<string, string>,
  overriding: boolean,
): Promise<RequestResult> {
  const shared = owner.scope.run.shared;
  const run = owner.scope.run;
  const settings = settingsFor(node, run.options, owner.scope.environment.config.defaults);
  host.scope.run.emit({ type: 'request-start', file: host.input.display, name: node.name, line: node.requestLine.start.line });
  // Above the file's own variables, below --var (the command line has the last word).
  const table = owner.scope.context.table;
  // What it leaves another file is kept only where another file may ask (a file no other imports: never).
  const handsOver = owner !== host || shared.importedPaths.has(owner.input.path);
  if (!handsOver && !overriding) return runRequest(node, settings, owner.scope).then((result) => requestDone(owner, node, host, record, result));
  const cookies: ReceivedCookie[] = [];
  const jar = handsOver ? owner.scope.jar.recording(cookies) : owner.scope.jar;
  const scope: RequestScope = overriding
    ? { ...owner.scope, jar, fixed: new Map(), context: { ...owner.scope.context, table: { ...table, cliVars: { ...overrides, ...table.cliVars } } } }
    : { ...owner.scope, jar };
  const values = owner.scope.context.table.scriptValues;
  const before = handsOver && values.size > 0 ? new Map(values) : null;
  const clears = values.clears;
  return runRequest(node, settings, scope).then((result) => {
    settle(owner, node, host, result);
    if (handsOver) {
      const changed = changedValues(before, values);
      const handover: HandOver =
        values.clears !== clears ? { values: changed, cookies, clearedAll: true }
        : changed.size === 0 && cookies.length === 0 ? NOTHING_HANDED_OVER : { values: changed, cookies };
      shared.handovers.set(node, handover);
      if (owner !== host) return handOver(handover, hostSide(host)).then(() => recorded(record, result));
    }
    return recorded(record, result);
  });
}

function requestDone(owner: FileState, node: RequestNode, host: FileState, record: (result: RequestResult) => void, result: RequestResult): RequestResult {
  settle(owner, node, host, result);
  return recorded(record, result);
}

/** The run's result for the request, reported under the file that ran it (its lines count in its own file). */
function settle(owner: FileState, node: RequestNode, host: FileState, result: RequestResult): void {
  if (owner !== host) result.file = owner.input.display;
  owner.scope.run.shared.results.set(node, result);
}

function recorded(record: (result: RequestResult) => void, result: RequestResult): RequestResult {
  record(result);
  return result;
}

/** What a request needs run first (dependencies of another file's request run here, on its behalf). */
async function runDependencies(owner: FileState, dependencies: readonly RequestNode[], host: FileState, record: (result: RequestResult) => void): Promise<void> {
  const shared = owner.scope.run.shared;
  for (const dependency of dependencies) {
    if (owner === host && owner.checked.requests.includes(dependency)) continue;
    if (!shared.owners.has(dependency)) await openImportsFor(owner.scope.run, owner);
    const dependencyOwner = shared.owners.get(dependency);
    if (dependencyOwner) await executeOnce(dependencyOwner, dependency, host, record);
  }
}

/**
 * The values a request's scripts set (or cleared: undefined): what it hands over, not the whole of its
 * file's values, or a value the importer set since an earlier import would be overwritten by a stale one.
 */
function changedValues(before: ReadonlyMap<string, string> | null, after: ReadonlyMap<string, string>): Map<string, string | undefined> {
  const changed = new Map<string, string | undefined>();
  for (const [name, value] of after) if (before?.get(name) !== value) changed.set(name, value);
  if (before !== null) for (const name of before.keys()) if (!after.has(name)) changed.set(name, undefined);
  return changed;
}

function hostSide(host: FileState): { values: Map<string, string>; jar: LazyCookieJar } {
  return { values: host.scope.context.table.scriptValues, jar: host.scope.jar };
}

interface RequestScope {
  run: FileRunContext;
  input: FileInput;
  context: RenderContext;
  /** The file's jar (FileState) or a view of it that notes what one request receives (executeOnce). */
  jar: CookieStore;
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
function runRequest(node: RequestNode, settings: RequestSettings, scope: RequestScope): Promise<RequestResult> {
  // Only a pre-request script sets such values: without scripts there is nothing to put back.
  return node.scripts.length === 0 ? runRequestOnce(node, settings, scope, null) : runRequestRestoring(node, settings, scope);
}

async function runRequestRestoring(node: RequestNode, settings: RequestSettings, scope: RequestScope): Promise<RequestResult> {
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

/** A request's result before it was sent: `url` is filled in by whoever decides its outcome. */
interface ResultBase {
  name: string;
  line: number;
  method: string;
  url: string;
  status: null;
  durationMs: number;
  attempts: number;
  assertions: AssertionResult[];
}

/** A request that nothing stops from being sent, rendered, with what it is sent with. */
interface ReadyRequest {
  base: ResultBase;
  prepared: Prepared;
  context: RenderContext;
  send: SendOptions;
}

// A request's tries are plain functions chained on what they wait for (the send, a retry's sleep):
// V8 charges every suspension of an async function to the budget that sends it to the optimising
// compiler, and this loop as one async function was compiled by TurboFan mid-run in every W3 run
// (with the exchange inlined) for little return. Plain functions this size, run once per request,
// stay in baseline code for a thousand requests. What comes before the first try (rendering,
// scripts, dependencies) and what is made of a response are functions of their own.
function runRequestOnce(
  node: RequestNode,
  settings: RequestSettings,
  scope: RequestScope,
  saved: Map<string, string | undefined> | null,
): Promise<RequestResult> {
  const ready = readyToSend(node, settings, scope, saved);
  if (!('send' in ready)) return Promise.resolve(ready);
  const run = scope.run;
  // httpyac's `# @sleep`, kulala's `# @delay`: a wait that a cancelled run does not sit out.
  if (settings.delay > 0) {
    return sleep(settings.delay, run.cancel.signal).then((slept) =>
      slept ? attempt({ node, settings, scope, ready }, 1) : skippedResult(ready.base, node, cancelReason(run)),
    );
  }
  return attempt({ node, settings, scope, ready }, 1);
}

/** What every try of one request shares. */
interface Tries {
  node: RequestNode;
  settings: RequestSettings;
  scope: RequestScope;
  ready: ReadyRequest;
}

function attempt(tries: Tries, attempts: number): Promise<RequestResult> {
  const started = performance.now();
  return sendRequest(tries.ready.prepared.request, tries.ready.send, tries.scope.client).then((sent) => tried(tries, attempts, started, sent));
}

/** A try's result, or the next try's when the request is to be retried. */
function tried(tries: Tries, attempts: number, started: number, sent: SendResult): RequestResult | Promise<RequestResult> {
  const { node, settings, scope, ready } = tries;
  const run = scope.run;
  for (let i = 0; i < sent.derivedSecrets.length; i++) run.secrets.addExact(sent.derivedSecrets[i]!);
  // What the executor corrected on its own (a wrong Content-Length, a repeated Host) is said once.
  if (attempts === 1 && sent.warnings.length > 0) emitWarnings(sent.warnings, scope, ready.base.line);
  if ('error' in sent) {
    const last = erroredResult(ready, sent, run, attempts, started);
    if (!retryable(sent.error) || attempts > settings.retry || run.cancel.signal.aborted) return last;
    return retryAfter(tries, attempts, sent, last);
  }
  const last = checkedResult(node, scope, ready, sent, attempts);
  if (sent.savedTo !== undefined && !node.metadata.some((m) => m.key === 'save-raw')) {
    return maskSavedFile(sent.savedTo, run.secrets).then(() => retriedOrDone(tries, attempts, sent, last));
  }
  return retriedOrDone(tries, attempts, sent, last);
}

function retriedOrDone(tries: Tries, attempts: number, sent: SendSuccess, last: RequestResult): RequestResult | Promise<RequestResult> {
  const status = sent.exchange.response.status;
  const again = last.outcome === 'failed' || status >= 500 || status === 429;
  if (!again || attempts > tries.settings.retry) return last;
  return retryAfter(tries, attempts, sent, last);
}

/** The next try after the retry interval (or the server's Retry-After); the last result when the run is cancelled meanwhile. */
function retryAfter(tries: Tries, attempts: number, sent: SendResult, last: RequestResult): Promise<RequestResult> {
  const wait = retryDelay(tries.settings.retryInterval, sent.exchange);
  return sleep(wait, tries.scope.run.cancel.signal).then((slept) => (slept ? attempt(tries, attempts + 1) : last));
}

function skippedResult(base: ResultBase, node: RequestNode, reason: string): RequestResult {
  return { ...base, url: templateText(node.target), outcome: 'skipped', error: reason };
}

/**
 * Everything before the network: skip and cancel, the render (or the static pass's, reused), pre-request
 * scripts, a dry run, the requests this one needs. A result when the request is not sent.
 */
function readyToSend(
  node: RequestNode,
  settings: RequestSettings,
  scope: RequestScope,
  saved: Map<string, string | undefined> | null,
): RequestResult | ReadyRequest {
  const { run, context } = scope;
  const base: ResultBase = {
    name: node.name,
    line: node.requestLine.start.line,
    method: node.method.toUpperCase(),
    url: '',
    status: null,
    durationMs: 0,
    attempts: 0,
    assertions: [] as AssertionResult[],
  };

  if (settings.skip !== null) return skippedResult(base, node, settings.skip);
  if (run.cancel.signal.aborted) return skippedResult(base, node, cancelReason(run));

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
        if (!saved!.has(name)) saved!.set(name, context.table.scriptValues.get(name));
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
        // An imported request's line is in its own file: name the file, or "line 2" points into this one.
        const { file, start } = dependency.requestLine;
        const where = file === scope.input.display ? `line ${start.line}` : `${file}:${start.line}`;
        return skippedResult(base, node, `depends on "${dependency.name}" (${where}), which ${describeOutcome(outcome)}`);
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
    ? { path: resolvePath(scope.baseDir, renderTemplate(save.path, requestContext).text.trim()), overwrite: save.overwrite }
    : undefined;
  const send: SendOptions = {
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
  };
  return { base, prepared, context: requestContext, send };
}

/** A try that got no response, or not the whole of one (a body past the limit, a reset). */
function erroredResult(ready: ReadyRequest, sent: SendFailure, run: FileRunContext, attempts: number, started: number): RequestResult {
  const exchange = sent.exchange;
  return {
    ...ready.base,
    // The final hop's method and URL, which a 302 or 303 after a POST makes a GET elsewhere.
    method: exchange?.request.method ?? ready.base.method,
    url: exchange?.response.url ?? ready.prepared.request.url,
    status: exchange?.response.status ?? null,
    durationMs: Math.round(performance.now() - started),
    outcome: run.cancel.signal.aborted ? 'skipped' : 'errored',
    error: run.cancel.signal.aborted ? cancelReason(run) : sent.error.message,
    attempts,
    ...wire(ready.prepared, exchange),
  };
}

/** A response: its assertions, post-response scripts and captures, as the request's result. */
function checkedResult(node: RequestNode, scope: RequestScope, ready: ReadyRequest, sent: SendSuccess, attempts: number): RequestResult {
  const run = scope.run;
  const requestContext = ready.context;
  const view = new ResponseView(sent.exchange);
  const assertions = evaluateAll(node, scope.fileAssertions, view, requestContext, scope.baseDir);
  const scriptError = node.scripts.length === 0 ? null : runResponseScripts(node, scope, requestContext, sent, assertions);
  let failed = scriptError !== null;
  for (let i = 0; i < assertions.length && !failed; i++) failed = !assertions[i]!.passed;
  run.shared.views.set(node, view);
  registerCapturedSecrets(node, requestContext, run.secrets);
  return responseResult(ready, sent, attempts, assertions, failed, scriptError);
}

// Apart from checkedResult so that each stays small enough that a thousand requests do not send it
// to the optimising compiler (checkedResult whole was compiled mid-run in every W3 run).
function responseResult(ready: ReadyRequest, sent: SendSuccess, attempts: number, assertions: AssertionResult[], failed: boolean, scriptError: string | null): RequestResult {
  const { request, response } = sent.exchange;
  // Written out rather than spread from `base`: this literal is built once per response (same key order).
  return {
    name: ready.base.name,
    line: ready.base.line,
    method: request.method,
    url: response.url,
    status: response.status,
    durationMs: Math.round(response.durationMs),
    attempts,
    assertions,
    outcome: failed ? 'failed' : 'passed',
    error: scriptError,
    redirects: response.redirects,
    request: wireRequest(ready.prepared, sent.exchange),
    response: wireResponse(sent.exchange),
  };
}

function emitWarnings(warnings: readonly string[], scope: RequestScope, line: number): void {
  for (const warning of warnings) scope.run.emit({ type: 'log', file: scope.input.display, line, message: `warning: ${warning}` });
}

/** The post-response scripts: their client.test results join the assertions; the first script error stops them. */
function runResponseScripts(
  node: RequestNode,
  scope: RequestScope,
  requestContext: RenderContext,
  sent: SendSuccess,
  assertions: AssertionResult[],
): string | null {
  for (const script of node.scripts.filter((s) => s.phase === 'post')) {
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
    if (outcome.error !== null) return outcome.error;
  }
  return null;
}

/**
 * `# @secret token`: once this response (or a script handling it) gives `token` a value, that value is
 * masked — in this response's own output too, which reporters have not seen yet.
 */
function registerCapturedSecrets(node: RequestNode, context: RenderContext, secrets: SecretSet): void {
  if (context.secretNames.size === 0) return;
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
    const path = resolvePath(scope.baseDir, script.path);
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
      // A private env value is a secret however it is read: a script may log it, throw it or store it.
      if (Object.hasOwn(env.private, name)) {
        const secret = env.private[name]!;
        scope.run.secrets.add(secret);
        return secret;
      }
      return env.public[name] ?? env.shared[name];
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
  for (let i = 0; i < all.length; i++) {
    const assertion = all[i]!;
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

/** The abort reason of a run that --bail stopped (a caller's signal or Ctrl-C gives another). */
export const BAIL = 'bail';

function cancelReason(run: FileRunContext): string {
  return run.cancel.signal.reason === BAIL ? 'cancelled by --bail' : 'cancelled';
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

