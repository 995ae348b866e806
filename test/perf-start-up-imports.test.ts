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

test("undici's dispatcher modules are where httprun requires them (else every run falls back to undici's whole index)", async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const undici = require('undici') as Record<string, unknown>;
  const parts = await import('../src/execute/undici-parts.js');
  for (const [name, file] of [['Agent', 'dispatcher/agent.js'], ['Pool', 'dispatcher/pool.js'], ['ProxyAgent', 'dispatcher/proxy-agent.js'], ['buildConnector', 'core/connect.js'], ['H2CClient', 'dispatcher/h2c-client.js']] as const) {
    expect(require(`undici/lib/${file}`), file).toBe(undici[name]);
    expect(parts[name], name).toBe(undici[name]);
  }
  // The API the index mixes into every dispatcher (ProxyAgent and the tunnel pool call connect()).
  expect(typeof (parts.Pool.prototype as { connect?: unknown }).connect).toBe('function');
});
