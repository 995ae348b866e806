import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { describeIoError } from '../describe-io-error.js';
import { makeDirectories } from '../make-directories.js';
import type { RunResult } from '../run/result.js';

/** Where each requested report goes (paths relative to cwd); absent keys are not written. */
export interface ReportPaths {
  json?: string;
  junit?: string;
  tap?: string;
  html?: string;
}

export interface ReportWriteFailure {
  path: string;
  message: string;
}

// Imported when asked for: a run without reports should not load four renderers (and yaml for TAP).
const RENDERERS: Record<keyof ReportPaths, () => Promise<(result: RunResult) => string>> = {
  json: async () => (await import('./json.js')).renderJson,
  junit: async () => {
    const { renderJunit } = await import('./junit.js');
    return (result) => renderJunit(result);
  },
  tap: async () => (await import('./tap.js')).renderTap,
  html: async () => (await import('./html.js')).renderHtml,
};

/**
 * Writes every requested report, creating folders. One report that cannot be written does not stop
 * the others: each failure comes back as a value with a message naming the file and the reason.
 */
export async function writeReports(result: RunResult, paths: ReportPaths, cwd: string): Promise<ReportWriteFailure[]> {
  const failures: ReportWriteFailure[] = [];
  for (const kind of Object.keys(RENDERERS) as (keyof ReportPaths)[]) {
    const path = paths[kind];
    if (path === undefined) continue;
    const target = resolve(cwd, path);
    try {
      const render = await RENDERERS[kind]();
      await makeDirectories(dirname(target));
      await writeAtomically(target, render(result));
    } catch (error) {
      const { code, path: blocker } = error as NodeJS.ErrnoException;
      const reason = code === 'ENOTDIR' && blocker !== undefined ? `${relative(cwd, blocker) || blocker} is a file, not a folder` : describeIoError(error);
      failures.push({ path, message: `cannot write the ${kind} report to ${path}: ${reason}` });
    }
  }
  return failures;
}

/**
 * A regular file is written beside the target and renamed over it, so that a reader (a CI step, a
 * dashboard polling the file) never sees half a report. Anything else — a symlink, /dev/stdout, a
 * pipe — is written to directly: a rename would replace it.
 */
async function writeAtomically(target: string, text: string): Promise<void> {
  const existing = await lstat(target).catch(() => null);
  if (existing !== null && !existing.isFile()) {
    await writeFile(target, text, 'utf8');
    return;
  }
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
