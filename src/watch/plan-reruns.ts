import { existsSync } from 'node:fs';
import { basename } from 'node:path';

export interface WatchState {
  /** Request files being watched (absolute). */
  files: Set<string>;
  /** Absolute path of an input (env file, body file, .env) → request files whose run reads it. */
  inputs: Map<string, Set<string>>;
}

export interface RerunPlan {
  rerun: string[];
  added: string[];
  removed: string[];
  configChanged: boolean;
}

const REQUEST_FILE = /\.(http|rest)$/i;
const CONFIG_FILE = /^(httprun\.ya?ml|http-client(\.private)?\.env\.json|\.env(\..+)?)$/;

/** Which request files a batch of changed paths affects: pure, so it is tested without a watcher. */
export function planReruns(state: WatchState, changed: ReadonlySet<string>): RerunPlan {
  const rerun = new Set<string>();
  const added: string[] = [];
  const removed: string[] = [];
  let configChanged = false;
  for (const path of changed) {
    if (REQUEST_FILE.test(path)) {
      if (!existsSync(path)) {
        if (state.files.has(path)) removed.push(path);
        continue;
      }
      if (!state.files.has(path)) added.push(path);
      rerun.add(path);
    }
    const dependants = state.inputs.get(path);
    if (CONFIG_FILE.test(basename(path))) {
      configChanged = true;
      // A config file no run has read yet (just created) may apply to any of them.
      if (!dependants) for (const file of state.files) rerun.add(file);
    }
    for (const dependant of dependants ?? []) rerun.add(dependant);
  }
  return { rerun: [...rerun], added, removed, configChanged };
}
