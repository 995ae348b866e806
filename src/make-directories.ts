import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that always ends, for reports and saved responses. Node's `mkdir(path, { recursive: true })`
 * never settles for a path under /proc (procfs answers ENOENT for a new child of a folder that exists,
 * which Node reads as "create the parent first", forever), and it reports a file in the way as EEXIST
 * on the path asked for. Here each missing folder is created on its own, and a file in the way is an
 * ENOTDIR error whose `path` is that file.
 */
export async function makeDirectories(path: string): Promise<void> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    const stats = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // ENOTDIR: a file further up; the walk finds it.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (stats !== null) {
      if (!stats.isDirectory()) throw Object.assign(new Error(`${current} is a file, not a folder`), { code: 'ENOTDIR', path: current });
      break;
    }
    const parent = dirname(current);
    if (parent === current) break;
    missing.push(current);
    current = parent;
  }
  for (const folder of missing.reverse()) {
    // EEXIST: another file of the run created it meanwhile (a dangling symlink fails at the next one).
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
