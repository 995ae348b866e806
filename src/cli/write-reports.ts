import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderTap } from '../report/tap.js';
import type { RunResult } from '../run/result.js';

export interface ReportPaths {
  json?: string;
  junit?: string;
  tap?: string;
  html?: string;
}

const RENDERERS: Record<keyof ReportPaths, (result: RunResult) => string> = {
  json: renderJson,
  junit: renderJunit,
  tap: renderTap,
  html: renderHtml,
};

/** Writes every requested report, relative to cwd, creating folders. Returns one message per failure. */
export function writeReports(result: RunResult, paths: ReportPaths, cwd: string): string[] {
  const problems: string[] = [];
  for (const [kind, path] of Object.entries(paths) as [keyof ReportPaths, string | undefined][]) {
    if (!path) continue;
    const target = resolve(cwd, path);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, RENDERERS[kind](result));
    } catch (error) {
      problems.push(`cannot write the ${kind} report ${path}: ${(error as Error).message}`);
    }
  }
  return problems;
}
