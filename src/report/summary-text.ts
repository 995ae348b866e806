import type { RunResult } from '../run/result.js';
import { formatDuration, plural } from './format-value.js';

/**
 * The closing line, in the JSON summary's own words so a reader can match the two:
 * `5 requests: 3 passed, 1 failed, 1 errored, 0 skipped · 9/10 assertions passed · 2 files · 412 ms`.
 */
export function describeSummary(result: RunResult): string {
  const { summary } = result;
  const assertions = summary.assertions.passed + summary.assertions.failed;
  const notRun = result.files.filter((file) => file.error !== null).length;
  return [
    `${plural(summary.requests, 'request')}: ${summary.passed} passed, ${summary.failed} failed, ` +
      `${summary.errored} errored, ${summary.skipped} skipped`,
    `${summary.assertions.passed}/${assertions} ${assertions === 1 ? 'assertion' : 'assertions'} passed`,
    plural(summary.files, 'file'),
    ...(notRun > 0 ? [`${notRun} not run`] : []),
    formatDuration(summary.durationMs),
  ].join(' · ');
}
