import { sep } from 'node:path';
import { configScope, isConfigFile } from './watch-targets.js';
import { REQUEST_FILE } from '../run/find-files.js';

export interface WatchState {
  /** Request files being watched (absolute), in run order. */
  files: Set<string>;
  /** Absolute path of an input (env file, body file, .env) → request files whose last check read it. */
  inputs: Map<string, Set<string>>;
}

export interface RerunPlan {
  /** Request files to run again, in the order of `state.files` (new files last). */
  rerun: string[];
  /** Request files that now match the watched paths and were not watched before. */
  added: string[];
  /** Watched request files that are gone. */
  removed: string[];
  /** A config or env file changed: cached parses of them are stale. */
  configChanged: boolean;
  /** Changed paths that affect no watched file (as far as the last checks know). */
  unclaimed: string[];
}

/** What the plan needs to know about the disk, passed in so that the plan stays a pure function. */
export interface DiskView {
  exists(path: string): boolean;
  /**
   * The request files the watched paths (directories, globs, files) match now, as `run` would find
   * them; asked only when a request file that is not watched yet appeared.
   */
  members(): ReadonlySet<string>;
}


/**
 * Which request files a batch of changed paths affects. A request file re-runs when it changed;
 * any file re-runs when something its last check read changed; a config file nobody read yet (just
 * created) affects the request files in its folder and below, the only ones that can read it, and
 * the files that import one of those.
 */
export function planReruns(state: WatchState, changed: Iterable<string>, disk: DiskView): RerunPlan {
  const rerun = new Set<string>();
  const added: string[] = [];
  const removed: string[] = [];
  let configChanged = false;
  const unclaimed: string[] = [];
  let members: ReadonlySet<string> | null = null;
  for (const path of changed) {
    let claimed = false;
    if (REQUEST_FILE.test(path)) {
      if (state.files.has(path)) {
        claimed = true;
        if (disk.exists(path)) rerun.add(path);
        else removed.push(path);
      } else if (disk.exists(path)) {
        members ??= disk.members();
        claimed = members.has(path);
        if (claimed && !added.includes(path)) added.push(path);
      }
    }
    const dependants = state.inputs.get(path);
    for (const dependant of dependants ?? []) {
      claimed = true;
      rerun.add(dependant);
    }
    if (isConfigFile(path)) {
      claimed = true;
      configChanged = true;
      if (!dependants || dependants.size === 0) {
        const folder = configScope(path) + sep;
        for (const file of state.files) if (file.startsWith(folder)) rerun.add(file);
        // An imported (or run) file there reads it too, on behalf of the files that import it.
        for (const [input, readers] of state.inputs) {
          if (REQUEST_FILE.test(input) && input.startsWith(folder)) for (const reader of readers) rerun.add(reader);
        }
      }
    }
    if (!claimed) unclaimed.push(path);
  }
  const gone = new Set(removed);
  const ordered = [...state.files].filter((file) => rerun.has(file) && !gone.has(file));
  return { rerun: [...ordered, ...added], added, removed, configChanged, unclaimed };
}
