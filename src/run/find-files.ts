import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export interface FoundFiles {
  /** Absolute paths, de-duplicated, in the order given (directories and globs sorted). */
  files: string[];
  /** Inputs that matched nothing, as written. */
  unmatched: string[];
  /**
   * Inputs that name something which is not a file httprun can read (a FIFO, a broken symbolic link,
   * a link loop): the name was right, so "no file matches" would mislead. `reason` follows the name:
   * `${input} ${reason}`.
   */
  unusable: { input: string; reason: string }[];
}

/** A request file's name: `*.http` or `*.rest`, any case. */
export const REQUEST_FILE = /\.(http|rest)$/i;

/** Directories are searched recursively, skipping node_modules and dot-folders (SPEC §7). */
export async function findFiles(inputs: readonly string[], cwd: string): Promise<FoundFiles> {
  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  const unusable: { input: string; reason: string }[] = [];
  const add = (path: string) => {
    if (!seen.has(path)) {
      seen.add(path);
      files.push(path);
    }
  };
  for (const input of inputs.length ? inputs : ['.']) {
    const absolute = isAbsolute(input) ? input : resolve(cwd, input);
    let stats: Stats | null;
    let statError: NodeJS.ErrnoException | null = null;
    try {
      // stat, never open: opening a FIFO for reading blocks until a writer comes.
      stats = statSync(absolute);
    } catch (error) {
      stats = null;
      statError = error as NodeJS.ErrnoException;
    }
    if (stats?.isFile()) {
      add(absolute);
      continue;
    }
    if (stats?.isDirectory()) {
      const found = walk(absolute);
      if (found.length === 0) unmatched.push(input);
      found.forEach(add);
      continue;
    }
    const reason = unusableReason(absolute, stats, statError);
    if (reason !== null) {
      unusable.push({ input, reason });
      continue;
    }
    // Imported only for a path that is neither a file nor a folder: most runs name files.
    const { glob, isDynamicPattern } = await import('tinyglobby');
    if (isDynamicPattern(input)) {
      const matched = (await glob(input, { cwd, absolute: true, ignore: ['**/node_modules/**', '**/.*/**'] }))
        .filter((path) => REQUEST_FILE.test(path))
        .sort();
      if (matched.length === 0) unmatched.push(input);
      matched.forEach(add);
      continue;
    }
    unmatched.push(input);
  }
  return { files, unmatched, unusable };
}

/** Why a path that exists (or is a link) cannot be run; null when nothing is there at all. */
function unusableReason(absolute: string, stats: Stats | null, error: NodeJS.ErrnoException | null): string | null {
  if (stats !== null) {
    const kind = stats.isFIFO()
      ? 'a FIFO'
      : stats.isSocket()
        ? 'a socket'
        : stats.isCharacterDevice()
          ? 'a character device'
          : stats.isBlockDevice()
            ? 'a block device'
            : 'not a file or folder';
    return `is not a regular file (${kind})`;
  }
  if (error?.code === 'ELOOP') return 'is a symbolic link loop';
  if (error?.code === 'ENOENT') {
    try {
      // The path itself is there, what it points to is not.
      if (lstatSync(absolute).isSymbolicLink()) return 'is a broken symbolic link';
    } catch {
      // Nothing there: a missing file or a glob, decided by the caller.
    }
  }
  return null;
}

function walk(directory: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile() && REQUEST_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return (rel === '' ? path : rel).split('\\').join('/');
}

/**
 * `--shard i/n`: a file goes to the shard its path hashes to, so adding a file never moves the
 * others (rendezvous hashing keeps it balanced as well as stable).
 */
export function inShard(display: string, index: number, total: number): boolean {
  let best = 0;
  let bestScore = -1;
  for (let shard = 1; shard <= total; shard++) {
    const score = fnv1a(`${shard}:${display}`);
    if (score > bestScore) {
      bestScore = score;
      best = shard;
    }
  }
  return best === index;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // One more mixing round: FNV's low bits are weak for short, similar keys.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  return hash >>> 0;
}
