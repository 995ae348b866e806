// Issue 10, W1: "no work at start-up that a run does not use". Every package the CLI bundle
// imports statically is loaded before the first line of main runs (an import of jsonc-parser and
// shell-quote once cost 40 ms of W1). Libraries that only some runs need are required lazily;
// this reads the built bundle and follows its static imports.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from 'vitest';

const bin = resolve(import.meta.dirname, '../dist/bin/cli.js');

/** Packages imported statically by `file` and the chunks it imports statically, recursively. */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  // Static imports only: `import x from "y"` / `import { a } from "y"` / `import "y"` at a line's start.
  for (const match of text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gm)) {
    const specifier = match[1]!;
    if (specifier.startsWith('node:')) continue;
    if (specifier.startsWith('.')) for (const name of staticPackages(join(dirname(file), specifier), seen)) packages.add(name);
    else packages.add(specifier);
  }
  return packages;
}

test('the CLI bundle imports no package at start-up but picocolors (colours for every line it prints)', () => {
  expect(existsSync(bin), 'build first: npm run build').toBe(true);
  expect([...staticPackages(bin)].sort()).toEqual(['picocolors']);
});
