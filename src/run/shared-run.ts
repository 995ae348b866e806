import { dirname, resolve as resolvePath } from 'node:path';
import type { ResponseView } from '../assert/response-view.js';
import type { LazyCookieJar, ReceivedCookie } from '../execute/lazy-cookie-jar.js';
import type { ParseResult, RequestNode } from '../syntax/ast.js';
import { parse } from '../syntax/parse.js';
import type { CheckedFile, FileInput } from './check-file.js';
import { displayPath } from './find-files.js';
import { importDirectives } from './import-directives.js';
import type { RequestResult } from './result.js';
import type { FileState } from './run-file.js';
import { readTextFile } from '../read-text-file.js';

// What the files of one run share: a file parsed once, a request run once, whichever file asks first.

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
  /** What each request that ran leaves a file that runs or imports it (see handOver). */
  handovers: Map<RequestNode, HandOver>;
}

/**
 * What a request leaves the files that run it from another file: the values its scripts set, and
 * the cookies it received. Kept per request because it runs once per run:
 * the second importer gets the result the first one caused, and these with it.
 */
export interface HandOver {
  /** What its scripts set; undefined: what they cleared. */
  values: ReadonlyMap<string, string | undefined>;
  /** Its scripts called `client.global.clearAll()`: the receiver's values go first, then `values` apply. */
  clearedAll?: true;
  cookies: readonly ReceivedCookie[];
}

export const NOTHING_HANDED_OVER: HandOver = { values: new Map(), cookies: [] };

/** An imported request's script values and cookies reach the file it ran for, as its own requests' would. */
export async function handOver(handover: HandOver, to: { values: Map<string, string>; jar: LazyCookieJar }): Promise<void> {
  if (handover.clearedAll) to.values.clear();
  for (const [name, value] of handover.values) {
    if (value === undefined) to.values.delete(name);
    else to.values.set(name, value);
  }
  if (handover.cookies.length > 0) await to.jar.receive(handover.cookies);
}

export function createSharedRun(): SharedRun {
  return {
    checks: new Map(),
    parses: new Map(),
    importedPaths: new Set(),
    states: new Map(),
    results: new Map(),
    views: new Map(),
    running: new Map(),
    owners: new Map(),
    handovers: new Map(),
  };
}

export function parseOnce(shared: SharedRun, input: FileInput, text: string): ParseResult {
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
      text = input.text ?? readTextFile(input.path);
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
