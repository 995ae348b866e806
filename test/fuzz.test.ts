import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, run } from '../src/index.js';
import { defaultRunOptions } from '../src/run/options.js';
import { checkFile } from '../src/run/check-file.js';
import { checkCase } from './fuzz/check-case.mjs';
import { createRandom, loadSeeds, makeCase, mutate, pathologicalCases } from './fuzz/mutate.mjs';
import { project, runCli } from './helpers/cli.js';

/**
 * Hostile files (issue 11): seeded mutations of real request files and random text go through
 * parse, the check step and `run --dry-run`. Nothing may throw, hang or exit outside 0..3.
 * Deterministic: a failure names its seed and case, and `npm run fuzz -- --seed S --case N` replays it.
 */

const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const DIALECTS = join(import.meta.dirname, '..', '..', 'shared', 'dialects');
const SEED = 20260411;
const CASES = 400;
/** Per file and step: generous for a loaded 2-core CI machine, far below a hang. */
const BOUND_MS = 3000;

const lib = { parse, checkFile, defaultRunOptions, run };
const seeds = loadSeeds([CORPUS, DIALECTS]);

describe('fuzz: mutated request files never crash or hang', () => {
  test.skipIf(!existsSync(CORPUS))('the seed corpus is there', () => {
    expect(seeds.length).toBeGreaterThan(50);
  });
  if (!existsSync(CORPUS)) test.skip(`../shared/corpus is absent: fuzzing random text only`, () => {});

  test('the mutations are deterministic: the same seed gives the same cases', () => {
    expect(makeCase(seeds, SEED, 7)).toEqual(makeCase(seeds, SEED, 7));
    expect(mutate('GET http://x\n', createRandom(1))).toBe(mutate('GET http://x\n', createRandom(1)));
    expect(makeCase(seeds, SEED, 7).text).not.toBe(makeCase(seeds, SEED, 8).text);
  });

  test(`${CASES} cases (seed ${SEED}) through parse, check and run --dry-run`, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'httprun-fuzz-'));
    const failures: string[] = [];
    const started = performance.now();
    for (let index = 0; index < CASES; index++) {
      const { origin, text } = makeCase(seeds, SEED, index);
      const { problems, ms } = await checkCase(lib, text, { cwd });
      for (const [step, took] of Object.entries(ms)) {
        if (took > BOUND_MS) problems.push(`${step} took ${Math.round(took)} ms`);
      }
      for (const problem of problems) failures.push(`seed ${SEED} case ${index} (from ${origin}): ${problem}`);
    }
    expect(failures).toEqual([]);
    // Nothing a dry run does may write next to the file.
    expect(readdirSync(cwd)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  test('large pathological files: every step stays far from quadratic (seconds, not minutes)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'httprun-fuzz-'));
    const failures: string[] = [];
    for (const { origin, text } of pathologicalCases(0.5)) {
      const { problems, ms } = await checkCase(lib, text, { cwd });
      for (const [step, took] of Object.entries(ms)) {
        if (took > 10_000) problems.push(`${step} took ${Math.round(took)} ms`);
      }
      for (const problem of problems) failures.push(`${origin} (${text.length} characters): ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  test('the real CLI on a folder of mutated files: check and run --dry-run exit 2 or less, no stack trace, every report written', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 40; index++) files[`case-${index}.http`] = makeCase(seeds, SEED + 1, index).text;
    const cwd = project(files);
    const check = await runCli(['check', '--no-color'], { cwd, timeoutMs: 60_000 });
    const dry = await runCli(['run', '--dry-run', '--report-json', 'out/report.json', '--report-junit', 'out/junit.xml'], { cwd, timeoutMs: 60_000, env: { NO_COLOR: '1' } });
    for (const cli of [check, dry]) {
      expect([0, 1, 2, 3]).toContain(cli.code);
      expect(`${cli.stdout}\n${cli.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$|internal error|\(a bug\)/m);
    }
    expect(check.stdout).toMatch(/40 files checked: \d+ clean, \d+ errors?, \d+ warnings?/);
    expect(existsSync(join(cwd, 'out', 'report.json'))).toBe(true);
    expect(existsSync(join(cwd, 'out', 'junit.xml'))).toBe(true);
  });
});
