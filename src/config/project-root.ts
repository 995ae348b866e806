import { dirname, join, relative, isAbsolute } from 'node:path';
import { exists, pathKind } from './file-cache.js';

const ROOT_MARKERS = ['.git', 'package.json', 'httprun.yaml'];

/**
 * SPEC §4: the project root is the nearest folder, from the request file's folder upward, that holds
 * `.git`, `package.json` or `httprun.yaml`; without one, the working directory.
 */
export function findProjectRoot(directory: string, cwd: string): string {
  for (let current = directory; ; current = dirname(current)) {
    if (ROOT_MARKERS.some((marker) => exists(join(current, marker)))) return current;
    if (dirname(current) === current) return cwd;
  }
}

/**
 * The folders searched for config files, nearest first: from `directory` up to `root`. When the root is
 * not above the request file (no marker, and a file outside the working directory), only its own folder.
 */
export function searchDirectories(directory: string, root: string): string[] {
  const fromRoot = relative(root, directory);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) return [directory];
  const directories: string[] = [];
  for (let current = directory; ; current = dirname(current)) {
    directories.push(current);
    if (current === root || dirname(current) === current) return directories;
  }
}

/** The nearest folder's `name`, or null. */
export function findNearest(directories: readonly string[], name: string): string | null {
  for (const directory of directories) {
    const candidate = join(directory, name);
    if (pathKind(candidate) === 'file') return candidate;
  }
  return null;
}

/** Every folder's `name` that exists, in the order of `directories`. */
export function findAll(directories: readonly string[], name: string): string[] {
  return directories.map((directory) => join(directory, name)).filter((candidate) => pathKind(candidate) === 'file');
}
