import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  expect(failures).toEqual([{ path: 'blocker/junit.xml', message: 'cannot write the junit report to blocker/junit.xml: EEXIST' }]);
  expect(readFileSync(join(cwd, 'ok.tap'), 'utf8')).toBe(renderTap(allOutcomes));
});
