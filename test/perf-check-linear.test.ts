import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RequestNode } from '../src/syntax/ast.js';

// Every property read on a request node is counted: a check that scans all requests for each
// reference reads n² of them, a linear one a constant number per request. Counts, not time.
let reads = 0;
vi.mock('../src/syntax/parse.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/syntax/parse.js')>();
  return {
    ...original,
    parse: (...args: Parameters<typeof original.parse>) => {
      const result = original.parse(...args);
      const counted = result.ast.requests.map(
        (request) =>
          new Proxy(request, {
            get(target, key, receiver) {
              reads++;
              return Reflect.get(target, key, receiver) as unknown;
            },
          }),
      );
      result.ast.requests.splice(0, result.ast.requests.length, ...counted);
      return result;
    },
  };
});

const { checkFile, NO_SELECTION } = await import('../src/run/check-file.js');
const { defaultRunOptions } = await import('../src/run/options.js');

/** n requests, each reading the one before it three ways, and @ref-ing it; the first one is read by a `run #`. */
function chained(n: number): string {
  const lines = ['@host = http://127.0.0.1:1', ''];
  for (let i = 1; i <= n; i++) {
    lines.push(`### step ${i}`, `# @name step${i}`);
    if (i > 1) lines.push(`# @ref step${i - 1}`);
    lines.push(`POST {{host}}/items/${i}?id={{$uuid}}`, 'Content-Type: application/json');
    if (i > 1) lines.push(`X-Previous: {{step${i - 1}.response.headers.X-Id}}`);
    lines.push('', i > 1 ? `{"after": "{{step${i - 1}.response.body.$.id}}", "also": "{{step${i - 1}.id}}"}` : '{"first": true}', '');
    lines.push(`?? status == 201`, i > 1 ? `?? body $.id == {{step${i - 1}.response.body.$.id}}` : '?? body $.id exists', '');
  }
  lines.push('run #step1', '');
  return lines.join('\n');
}

async function readsToCheck(n: number): Promise<{ reads: number; errors: string[]; order: string[]; needs: number }> {
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-linear-'));
  const options = defaultRunOptions({ cwd });
  reads = 0;
  const checked = await checkFile({ path: join(cwd, 'chain.http'), display: 'chain.http', text: chained(n) }, options, NO_SELECTION);
  const counted = reads;
  const needs = [...checked.dependencies.values()].reduce((sum, list) => sum + list.length, 0);
  return {
    reads: counted,
    errors: checked.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    order: checked.order.map((request: RequestNode) => request.name),
    needs,
  };
}

describe('check does linear work in the number of requests', () => {
  it('requests that all reference the one before (placeholders, httpyac names, @ref, run #): reads per request stay flat', async () => {
    const small = await readsToCheck(200);
    const large = await readsToCheck(800);
    // The file really is what it claims: clean, every reference bound, in file order.
    expect(small.errors).toEqual([]);
    expect(large.errors).toEqual([]);
    expect(large.needs).toBe(799);
    expect(large.order.slice(0, 3)).toEqual(['step1', 'step2', 'step3']);
    expect(large.order).toHaveLength(800);
    // Four times the requests: four times the reads if linear, sixteen if quadratic.
    const perRequestSmall = small.reads / 200;
    const perRequestLarge = large.reads / 800;
    expect(perRequestLarge / perRequestSmall).toBeLessThan(1.25);
  });

  it('a chain of requests each needing the next is planned without recursion or copied paths', async () => {
    const n = 20_000;
    const lines = ['@host = http://127.0.0.1:1', ''];
    for (let i = 1; i <= n; i++) {
      lines.push(`### s${i}`, `# @name s${i}`, i < n ? `# @ref s${i + 1}` : '# last', `GET {{host}}/${i}`, '');
    }
    const cwd = mkdtempSync(join(tmpdir(), 'httprun-linear-'));
    reads = 0;
    const checked = await checkFile({ path: join(cwd, 'deep.http'), display: 'deep.http', text: lines.join('\n') }, defaultRunOptions({ cwd }), NO_SELECTION);
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The last request runs first: each one runs just before the one that needs it.
    expect(checked.order[0]!.name).toBe(`s${n}`);
    expect(checked.order.at(-1)!.name).toBe('s1');
    expect(reads / n).toBeLessThan(200);
  });
});
