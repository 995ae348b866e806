import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, render(result), 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      failures.push({ path, message: `cannot write the ${kind} report to ${path}: ${reason}` });
    }
  }
  return failures;
}
