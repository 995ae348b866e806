import { statSync } from 'node:fs';
import { describeIoError } from '../describe-io-error.js';
import { readTextFile } from '../read-text-file.js';

/**
 * One process reads each config file once: a run over a thousand request files in one folder must not
 * re-read and re-parse the same env file a thousand times. Watch mode calls clearConfigCache() when a
 * file changes.
 */
const existence = new Map<string, 'file' | 'directory' | null>();
const parsed = new Map<string, unknown>();

export type ReadResult = { text: string } | { error: string };

export function pathKind(path: string): 'file' | 'directory' | null {
  const cached = existence.get(path);
  if (cached !== undefined) return cached;
  let kind: 'file' | 'directory' | null = null;
  try {
    const stats = statSync(path);
    kind = stats.isDirectory() ? 'directory' : 'file';
  } catch {
    kind = null;
  }
  existence.set(path, kind);
  return kind;
}

export function exists(path: string): boolean {
  return pathKind(path) !== null;
}

/** Parses `path` with `parse` once per process (until cleared); `kind` keeps different parsers apart. */
export function cachedParse<T>(kind: string, path: string, parse: (read: ReadResult) => T): T {
  const key = `${kind}\0${path}`;
  if (parsed.has(key)) return parsed.get(key) as T;
  let read: ReadResult;
  try {
    read = { text: readTextFile(path) };
  } catch (error) {
    read = { error: describeIoError(error) };
  }
  const result = parse(read);
  parsed.set(key, result);
  return result;
}

/** Forget everything read so far (watch mode, after a file changed). */
export function clearConfigCache(): void {
  existence.clear();
  parsed.clear();
}
