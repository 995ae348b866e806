import { expect, test } from 'vitest';
import { findAsyncUse } from '../src/script/find-async-use.js';

test('async functions and import() are found with their offset', () => {
  expect(findAsyncUse('const f = async () => 1;')).toEqual({ offset: 10, what: 'async functions' });
  expect(findAsyncUse('x;\nasync function load() {}')).toEqual({ offset: 3, what: 'async functions' });
  expect(findAsyncUse('import ("node:fs")')).toEqual({ offset: 0, what: 'import()' });
});

test('the words inside strings, templates and comments do not count', () => {
  expect(findAsyncUse('client.log("async job", \'import (x)\');')).toBeNull();
  expect(findAsyncUse('// async\n/* import(x) */ client.log(`async ${"import("} done`);')).toBeNull();
  expect(findAsyncUse('const s = "say \\"async\\" here";')).toBeNull();
  expect(findAsyncUse('const asyncJob = 1; important(2); client.log(asyncJob)')).toBeNull();
});

test('code inside a template placeholder is code', () => {
  const code = 'client.log(`id ${ (async () => 1)() } end`)';
  expect(findAsyncUse(code)).toEqual({ offset: code.indexOf('async'), what: 'async functions' });
  const nested = 'client.log(`a ${ `b ${ {x: 1}.x }` } c`); import("fs")';
  expect(findAsyncUse(nested)).toEqual({ offset: nested.indexOf('import'), what: 'import()' });
});
