import { requestFile, type RunResult } from '../run/result.js';
import { describeAssertion } from './failure-text.js';

/**
 * GitHub Actions workflow commands, one `::error` per failed assertion (at its line), errored request
 * and file that did not run, so failures show up on the pull request's diff.
 * Escaping as GitHub's toolkit does it: data escapes %, CR, LF; properties also `:` and `,`.
 */
export function renderGithubAnnotations(result: RunResult): string[] {
  const annotations: string[] = [];
  for (const file of result.files) {
    if (file.error !== null) {
      annotations.push(annotation(file.file, lineIn(file.file, file.error), 'httprun: file not run', file.error));
    }
    for (const request of file.requests) {
      const where = requestFile(file, request);
      if (request.outcome === 'errored') {
        annotations.push(
          annotation(where, request.line, `${request.name}: request errored`, request.error ?? 'the request did not complete'),
        );
      }
      if (request.outcome === 'failed' || request.outcome === 'errored') {
        const failed = request.assertions.filter((assertion) => !assertion.passed);
        for (const assertion of failed) {
          annotations.push(
            annotation(where, assertion.line, `${request.name}: assertion failed`, describeAssertion(where, assertion)),
          );
        }
        if (request.outcome === 'failed' && failed.length === 0) {
          annotations.push(annotation(where, request.line, `${request.name}: failed`, request.error ?? 'failed'));
        }
      }
    }
  }
  return annotations;
}

function annotation(file: string, line: number | undefined, title: string, message: string): string {
  const properties = [`file=${escapeProperty(file)}`];
  if (line !== undefined && line > 0) properties.push(`line=${line}`);
  properties.push(`title=${escapeProperty(title)}`);
  return `::error ${properties.join(',')}::${escapeData(message)}`;
}

/** A file error usually starts with `file:line:col`; the line lets GitHub place it. */
function lineIn(file: string, error: string): number | undefined {
  if (!error.startsWith(`${file}:`)) return undefined;
  const match = /^:(\d+)/.exec(error.slice(file.length));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
