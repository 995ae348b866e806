import { isAbsolute, relative } from 'node:path';
import picocolors from 'picocolors';
import type { RunEvent, Reporter } from '../run/events.js';
import type { FileResult, Outcome, RequestResult, RunResult } from '../run/result.js';
import { describeFailure } from './failure-text.js';
import { formatDuration } from './format-value.js';
import { describeSummary } from './summary-text.js';
import { describeExchange } from './wire-text.js';

export interface ConsoleReporterOptions {
  write: (text: string) => void;
  color: boolean;
  /** Only failures, diagnostics and the summary. */
  quiet: boolean;
  /** After each request, the request and response as sent and received. */
  verbose: boolean;
  /** Draw a live progress line, redrawn in place. */
  tty: boolean;
  /** Absolute file paths are shown relative to this. */
  cwd: string;
  /** The clock for the progress line's elapsed time; Date.now unless a test fixes it. */
  now?: () => number;
  /** How often the progress line redraws between events; 0 only on events. */
  refreshMs?: number;
}

const MARKS: Record<Outcome, string> = { passed: '✓', failed: '✗', errored: '!', skipped: '-' };

/**
 * The human console: one line per request as it ends, the failure text under it, the diagnostics
 * as rendered upstream, and a summary. Files are printed in input order even when they run in
 * parallel: output of a file that is not yet at the head of the list waits in a buffer.
 */
export function createConsoleReporter(options: ConsoleReporterOptions): Reporter {
  const colors = picocolors.createColors(options.color);
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 1000;

  let order: string[] = [];
  let head = 0;
  const ended = new Set<string>();
  const buffers = new Map<string, string[]>();
  let startedAt = now();
  let requestsDone = 0;
  let failures = 0;
  let wroteAnything = false;
  let progressWidth = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const display = (file: string): string => (isAbsolute(file) ? relative(options.cwd, file) || file : file);

  function writeLines(lines: string[]): void {
    if (lines.length === 0) return;
    eraseProgress();
    options.write(`${lines.join('\n')}\n`);
    wroteAnything = true;
  }

  /** Writes now if the file is at the head of the input order (or unknown), else holds the lines. */
  function emit(file: string, lines: string[]): void {
    if (lines.length === 0) return;
    const index = order.indexOf(file);
    if (index > head) {
      const buffer = buffers.get(file) ?? [];
      buffer.push(...lines);
      buffers.set(file, buffer);
      return;
    }
    writeLines(lines);
  }

  function advance(): void {
    while (head < order.length && ended.has(order[head] as string)) {
      head += 1;
      const next = order[head];
      if (next === undefined) break;
      writeLines(buffers.get(next) ?? []);
      buffers.delete(next);
    }
  }

  function flushAll(): void {
    for (const file of order.slice(head + 1)) {
      writeLines(buffers.get(file) ?? []);
      buffers.delete(file);
    }
    head = order.length;
  }

  function eraseProgress(): void {
    if (progressWidth === 0) return;
    // Spaces rather than an ANSI erase, so that colour off really means no escape codes at all.
    options.write(`\r${' '.repeat(progressWidth)}\r`);
    progressWidth = 0;
  }

  function drawProgress(): void {
    if (!options.tty) return;
    const filesDone = Math.min(ended.size, order.length);
    const parts = [
      `${filesDone}/${order.length} files`,
      `${requestsDone} ${requestsDone === 1 ? 'request' : 'requests'}`,
      `${failures} failed`,
      formatDuration(now() - startedAt),
    ];
    const line = `… ${parts.join(' · ')}`;
    eraseProgress();
    options.write(failures > 0 ? colors.red(line) : colors.dim(line));
    progressWidth = line.length;
  }

  function fileHeader(file: string): string[] {
    return options.quiet ? [] : [colors.bold(display(file))];
  }

  function requestLines(file: string, request: RequestResult): string[] {
    const failing = request.outcome === 'failed' || request.outcome === 'errored';
    if (options.quiet && !failing) return [];
    const lines = [requestLine(request)];
    if (failing) {
      const text = describeFailure({ file: display(file), error: null, requests: [] }, request);
      lines.push(...indent(text, '    ').map((line) => colors.red(line)));
    }
    if (options.verbose) {
      const wire = describeExchange(request);
      if (wire !== '') lines.push(...indent(wire, '    ').map((line) => colors.dim(line)));
    }
    return lines;
  }

  function requestLine(request: RequestResult): string {
    const paint = paintFor(request.outcome);
    const target = `${request.method} ${request.url}`;
    const parts = [`  ${paint(`${MARKS[request.outcome]} ${request.outcome.padEnd(7)}`)}`, request.name];
    if (request.name !== target) parts.push(colors.dim(target));
    if (request.status !== null) parts.push(String(request.status));
    if (request.outcome !== 'skipped') parts.push(colors.dim(formatDuration(request.durationMs)));
    if (request.attempts > 1) parts.push(colors.dim(`${request.attempts} attempts`));
    if (request.outcome === 'skipped' && request.error !== null) parts.push(colors.dim(`(${request.error})`));
    return parts.join('  ');
  }

  function paintFor(outcome: Outcome): (text: string) => string {
    if (outcome === 'passed') return colors.green;
    if (outcome === 'skipped') return colors.yellow;
    return colors.red;
  }

  function fileErrorLines(file: FileResult): string[] {
    if (file.error === null) return [];
    return [colors.red(`  ✗ ${display(file.file)} did not run: ${file.error}`)];
  }

  function onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        order = [...event.files];
        head = 0;
        startedAt = now();
        if (options.tty && refreshMs > 0 && timer === undefined) {
          timer = setInterval(drawProgress, refreshMs);
          timer.unref();
        }
        break;
      case 'file-start':
        emit(event.file, fileHeader(event.file));
        break;
      case 'diagnostics':
        emit(event.file, event.rendered.flatMap((text) => text.split('\n')));
        break;
      case 'request-start':
        break;
      case 'request-end':
        requestsDone += 1;
        if (event.request.outcome === 'failed' || event.request.outcome === 'errored') failures += 1;
        emit(event.file, requestLines(event.file, event.request));
        break;
      case 'log':
        if (!options.quiet) emit(event.file, indent(event.message, '    '));
        break;
      case 'file-end':
        emit(event.file.file, fileErrorLines(event.file));
        ended.add(event.file.file);
        advance();
        break;
    }
    drawProgress();
  }

  function onEnd(result: RunResult): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    flushAll();
    // Files no event told us about (a library caller handing us only the result, an input that
    // matched no file) are printed from the result; the others are printed already.
    for (const file of result.files) {
      if (ended.has(file.file)) continue;
      const lines = [...fileErrorLines(file), ...file.requests.flatMap((request) => requestLines(file.file, request))];
      if (lines.length > 0) writeLines([...fileHeader(file.file), ...lines]);
    }
    eraseProgress();
    const summary = describeSummary(result);
    const painted = result.summary.exitCode === 0 ? colors.green(summary) : colors.red(colors.bold(summary));
    writeLines(wroteAnything ? ['', painted] : [painted]);
  }

  return { onEvent, onEnd };
}

function indent(text: string, prefix: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/).map((line) => (line === '' ? '' : prefix + line));
}
