import { createRequire } from 'node:module';
import type * as JsonP3 from 'json-p3';
import { describe, expect, it } from 'vitest';
import { compileJsonPath } from '../src/assert/compile-json-path.js';

const jsonP3 = createRequire(import.meta.url)('json-p3') as typeof JsonP3;

const document = {
  id: 7,
  name: 'item',
  nothing: null,
  items: [{ id: 1, tags: ['a', 'b'] }, { id: 2 }],
  nested: { deep: { value: 'x' }, list: [] },
  _under: true,
  a1: 'digits after the first letter',
};
const values: unknown[] = [document, [1, 2, 3], 'text', 42, null, { items: 'not an array' }, [{ id: 1 }]];

const plainPaths = [
  '$',
  '$.id',
  '$.name',
  '$.nothing',
  '$.missing',
  '$.items[0].id',
  '$.items[1].tags',
  '$.items[0].tags[1]',
  '$.items[2]',
  '$.items.id',
  '$.nested.deep.value',
  '$.nested.list[0]',
  '$[0]',
  '$[2]',
  '$[0].id',
  '$._under',
  '$.a1',
  '$.toString',
  '$.length',
  '$.items.length',
];

describe('compileJsonPath: plain paths are answered without json-p3, as json-p3 answers them', () => {
  for (const path of plainPaths) {
    it(path, () => {
      const compiled = compileJsonPath(path);
      if ('error' in compiled) throw new Error(compiled.error);
      const reference = jsonP3.jsonpath.compile(path);
      expect(compiled.compiled.singularQuery()).toBe(reference.singularQuery());
      for (const value of values) {
        const ours = compiled.compiled.query(value).nodes.map((node) => ({ value: node.value, location: [...node.location] }));
        const theirs = reference.query(value as never).nodes.map((node) => ({ value: node.value, location: [...node.location] }));
        expect(ours, `${path} on ${JSON.stringify(value)}`).toEqual(theirs);
      }
    });
  }

  it('a plain path is recognised as one (it is not json-p3 that answers)', () => {
    const compiled = compileJsonPath('$.items[1].id');
    if ('error' in compiled) throw new Error(compiled.error);
    expect(compiled.compiled.constructor).toBe(Object);
    const other = compileJsonPath('$.items[-1].id');
    if ('error' in other) throw new Error(other.error);
    expect(other.compiled.constructor).not.toBe(Object);
  });

  it('other paths still go to json-p3: negative indexes, wildcards, filters, quoted names, errors', () => {
    const cases: [string, unknown][] = [
      ['$.items[-1].id', [2]],
      ['$.items[*].id', [1, 2]],
      ['$.items[?@.id > 1].id', [2]],
      ["$['name']", ['item']],
      ['$..value', ['x']],
    ];
    for (const [path, expected] of cases) {
      const compiled = compileJsonPath(path);
      if ('error' in compiled) throw new Error(compiled.error);
      expect(compiled.compiled.query(document).nodes.map((node) => node.value), path).toEqual(expected);
    }
    const broken = compileJsonPath('$.items[');
    expect('error' in broken && broken.error).toMatch(/^invalid JSONPath \$\.items\[: /);
    const leadingZero = compileJsonPath('$.items[01]');
    expect('error' in leadingZero && leadingZero.error).toMatch(/^invalid JSONPath \$\.items\[01\]: /);
  });
});
