import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type AjvDraft7 from 'ajv';
import type Ajv2019 from 'ajv/dist/2019.js';
import type Ajv2020 from 'ajv/dist/2020.js';
import type addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { toLossy } from './parse-json.js';

/**
 * `?? body matchesSchema ./schema.json`: JSON Schema via ajv 8 (+ ajv-formats). The draft is
 * taken from the schema's `$schema` (2020-12, 2019-09, else draft-07, ajv's default). Each schema
 * file is compiled once per process — again only when its modification time changes, so watch
 * mode sees edits.
 */

type Compiled = { validate: ValidateFunction } | { error: string };

const cache = new Map<string, { mtimeMs: number; compiled: Compiled }>();

export type SchemaOutcome = { valid: true } | { valid: false; errors: string[] } | { error: string };

export function validateAgainstSchema(value: unknown, schemaPath: string, baseDir: string): SchemaOutcome {
  const file = resolve(baseDir, schemaPath);
  const compiled = compiledSchema(file, schemaPath);
  if ('error' in compiled) return compiled;
  // ajv knows only JSON numbers; a bigint would fail `type: integer`.
  if (compiled.validate(toLossy(value))) return { valid: true };
  const errors = (compiled.validate.errors ?? []).map((error) => {
    const where = pointerToPath(error.instancePath);
    const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : '';
    return `${where}: ${error.message ?? error.keyword}${extra}`;
  });
  return { valid: false, errors };
}

function compiledSchema(file: string, written: string): Compiled {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return { error: `cannot read the schema ${written} (looked for ${file})` };
  }
  const cached = cache.get(file);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.compiled;
  const compiled = compile(file, written);
  cache.set(file, { mtimeMs, compiled });
  return compiled;
}

function compile(file: string, written: string): Compiled {
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { error: `the schema ${written} is not valid JSON (${(error as Error).message})` };
  }
  const dialect = typeof schema === 'object' && schema !== null ? String((schema as { $schema?: unknown }).$schema ?? '') : '';
  const options = { allErrors: true, strict: false };
  // Required here, not imported: ajv takes longer to load than a simple run takes to finish.
  const require = createRequire(import.meta.url);
  const ajv = dialect.includes('2020-12')
    ? new (require('ajv/dist/2020.js') as typeof Ajv2020).default(options)
    : dialect.includes('2019-09')
      ? new (require('ajv/dist/2019.js') as typeof Ajv2019).default(options)
      : new (require('ajv') as typeof AjvDraft7).default(options);
  (require('ajv-formats') as typeof addFormats).default(ajv);
  try {
    return { validate: ajv.compile(schema as object) };
  } catch (error) {
    return { error: `the schema ${written} is not a valid JSON Schema (${(error as Error).message})` };
  }
}

/** `/items/0/id` → `$.items[0].id`, the path spelling the rest of the messages use. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '$';
  return `$${pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `['${part}']`))
    .join('')}`;
}
