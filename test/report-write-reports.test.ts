import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { renderJson } from '../src/report/json.js';
import { renderTap } from '../src/report/tap.js';
import { writeReports } from '../src/report/write-reports.js';
import { allOutcomes } from './fixtures/report/run-result.js';

test('every requested report is written relative to cwd, creating folders', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-reports-'));
  const failures = await writeReports(
    allOutcomes,
    { json: 'out/report.json', junit: 'out/junit/report.xml', tap: 'report.tap', html: 'deep/er/report.html' },
    cwd,
  );
  expect(failures).toEqual([]);
  expect(readFileSync(join(cwd, 'out/report.json'), 'utf8')).toBe(renderJson(allOutcomes));
  expect(readFileSync(join(cwd, 'report.tap'), 'utf8')).toBe(renderTap(allOutcomes));
  expect(readFileSync(join(cwd, 'out/junit/report.xml'), 'utf8')).toContain('<testsuites name="httprun" tests="5"');
  expect(readFileSync(join(cwd, 'deep/er/report.html'), 'utf8')).toContain('<h1>httprun report</h1>');
});

test('a report that cannot be written is a failure value, and the others are still written', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-reports-'));
  writeFileSync(join(cwd, 'blocker'), 'a file where a folder should be');
  const failures = await writeReports(allOutcomes, { junit: 'blocker/junit.xml', tap: 'ok.tap' }, cwd);
  expect(failures).toEqual([{ path: 'blocker/junit.xml', message: 'cannot write the junit report to blocker/junit.xml: blocker is a file, not a folder' }]);
  expect(readFileSync(join(cwd, 'ok.tap'), 'utf8')).toBe(renderTap(allOutcomes));
});

test('a report replaces an earlier one whole, through a file beside it that does not stay', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-reports-'));
  writeFileSync(join(cwd, 'report.json'), 'an older, longer report '.repeat(1000));
  expect(await writeReports(allOutcomes, { json: 'report.json' }, cwd)).toEqual([]);
  expect(readFileSync(join(cwd, 'report.json'), 'utf8')).toBe(renderJson(allOutcomes));
  expect(readdirSync(cwd)).toEqual(['report.json']);
});

test('a symlink (or /dev/stdout) is written through, not replaced', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-reports-'));
  writeFileSync(join(cwd, 'real.tap'), '');
  symlinkSync(join(cwd, 'real.tap'), join(cwd, 'link.tap'));
  expect(await writeReports(allOutcomes, { tap: 'link.tap' }, cwd)).toEqual([]);
  expect(lstatSync(join(cwd, 'link.tap')).isSymbolicLink()).toBe(true);
  expect(readFileSync(join(cwd, 'real.tap'), 'utf8')).toBe(renderTap(allOutcomes));
});
