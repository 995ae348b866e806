import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RunResult } from '../run/result.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderTap } from './tap.js';

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

const RENDERERS: Record<keyof ReportPaths, (result: RunResult) => string> = {
  json: renderJson,
  junit: (result) => renderJunit(result),
  tap: renderTap,
  html: renderHtml,
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
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, RENDERERS[kind](result), 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      failures.push({ path, message: `cannot write the ${kind} report to ${path}: ${reason}` });
    }
  }
  return failures;
}
