import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A copy of the folder `source` in a fresh temporary folder, every file that `include` names
 * passed through `edit` (the dialect tests point public hosts at their recording server).
 */
export function editedCopy(source: string, prefix: string, include: (name: string) => boolean, edit: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(source, root, { recursive: true });
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (include(name)) writeFileSync(path, edit(readFileSync(path, 'utf8')));
    }
  };
  walk(root);
  return root;
}
