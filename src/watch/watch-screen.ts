import pc from 'picocolors';
import { describeFailure } from '../report/failure-text.js';
import { formatDuration } from '../report/format-value.js';
import { describeSummary } from '../report/summary-text.js';
import { summarise, type FileResult, type RequestResult } from '../run/result.js';

export interface ScreenView {
  /** The latest result of every watched file. */
  files: readonly FileResult[];
  /** Diagnostics of the latest run of each file, already rendered (location, source line, caret). */
  diagnostics: ReadonlyMap<string, readonly string[]>;
  /** What happened last: "12:04:31 · changed: users.http", "running users.http …". */
  status: string;
  /** Files of the run in flight (shown while a run takes long enough to be noticed). */
  running?: readonly string[];
  color: boolean;
}

/** Clear the screen and its scrollback, cursor home. */
export const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';
export const FOOTER_KEYS = 'a re-run all · f re-run failed · q quit';

/**
 * The interactive screen: the latest result per file, failing files first with the same failure
 * text as `run`, passing files one line each, the summary of all of them and the keys.
 */
export function renderScreen(view: ScreenView): string {
  const c = pc.createColors(view.color);
  const files = [...view.files].sort((a, b) => rank(b) - rank(a) || a.file.localeCompare(b.file));
  const lines: string[] = [c.bold(`httprun watch · ${view.status}`), ''];
  const running = view.running ?? [];
  if (running.length > 0) lines.push(c.yellow(`… running ${running.join(', ')}`), '');
  if (files.length === 0 && running.length === 0) lines.push(c.dim('no request file yet: save a .http or .rest file in a watched folder'));
  for (const file of files) {
    const failing = rank(file) > 0;
    const passed = file.requests.filter((r) => r.outcome === 'passed').length;
    const counts = file.error !== null ? 'did not run' : `${passed}/${file.requests.length} passed`;
    lines.push(`${failing ? c.red('✗') : c.green('✓')} ${c.bold(file.file)}  ${c.dim(counts)}`);
    if (!failing) continue;
    const rendered = view.diagnostics.get(file.file) ?? [];
    if (file.error !== null) {
      const shown = rendered.length > 0 ? rendered : [file.error];
      lines.push(...shown.flatMap((text) => indent(text)).map((line) => c.red(line)));
    }
    for (const request of file.requests) {
      lines.push(`  ${requestLine(request, c)}`);
      if (request.outcome === 'failed' || request.outcome === 'errored') {
        lines.push(...indent(describeFailure(file, request), '      ').map((line) => c.red(line)));
      }
    }
  }
  const summary = summarise([...view.files], 0);
  const text = describeSummary(summary).replace(/ · [^·]*$/, '');
  lines.push('', summary.summary.exitCode === 0 ? c.green(text) : c.red(text), c.dim(FOOTER_KEYS));
  return `${CLEAR_SCREEN}${lines.join('\n')}\n`;
}

/** Failures first: a file that did not run, then errored requests, then failed assertions. */
export function rank(file: FileResult): number {
  if (file.error !== null) return 3;
  if (file.requests.some((r) => r.outcome === 'errored')) return 2;
  if (file.requests.some((r) => r.outcome === 'failed')) return 1;
  return 0;
}

const MARKS = { passed: '✓', failed: '✗', errored: '!', skipped: '-' } as const;

function requestLine(request: RequestResult, c: ReturnType<typeof pc.createColors>): string {
  const paint = request.outcome === 'passed' ? c.green : request.outcome === 'skipped' ? c.yellow : c.red;
  const parts = [paint(`${MARKS[request.outcome]} ${request.outcome.padEnd(7)}`), request.name];
  if (request.status !== null) parts.push(String(request.status));
  if (request.outcome !== 'skipped') parts.push(c.dim(formatDuration(request.durationMs)));
  if (request.outcome === 'skipped' && request.error !== null) parts.push(c.dim(`(${request.error})`));
  return parts.join('  ');
}

function indent(text: string, prefix = '    '): string[] {
  return text === '' ? [] : text.split(/\r?\n/).map((line) => (line === '' ? '' : prefix + line));
}
