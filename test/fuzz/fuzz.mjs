// `npm run fuzz` (after a build): the fuzz test of test/fuzz.test.ts for longer, on the built code.
//   node test/fuzz/fuzz.mjs                 a minute of cases from a seed taken from the clock
//   node test/fuzz/fuzz.mjs 5000            5000 cases
//   node test/fuzz/fuzz.mjs --seconds 300   five minutes
//   node test/fuzz/fuzz.mjs --seed 42       a chosen seed (the output always names the one used)
//   node test/fuzz/fuzz.mjs --seed 42 --case 17 --print   replay one case and print its text
// Cases run in a worker thread; a case that does not finish within --bound ms (default 10000) is a
// hang: the worker is stopped and the case reported. Exit 0 when every case was handled well, else 1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { checkCase } from './check-case.mjs';
import { loadSeeds, makeCase, pathologicalCases } from './mutate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const seedFolders = [join(repo, '..', 'shared', 'corpus'), join(repo, '..', 'shared', 'dialects')];

if (isMainThread) await main();
else await work(workerData);

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      case: { type: 'string' },
      seconds: { type: 'string' },
      bound: { type: 'string', default: '10000' },
      print: { type: 'boolean', default: false },
    },
  });
  const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
  const count = positionals[0] !== undefined ? Number(positionals[0]) : Infinity;
  const seconds = values.seconds !== undefined ? Number(values.seconds) : positionals[0] !== undefined ? Infinity : 60;
  const bound = Number(values.bound);
  if (![seed, count, seconds, bound].every((n) => !Number.isNaN(n))) {
    console.error('usage: node test/fuzz/fuzz.mjs [COUNT] [--seconds S] [--seed N] [--case I [--print]] [--bound MS]');
    process.exit(2);
  }
  const seeds = loadSeeds(seedFolders);
  if (seeds.length === 0) console.log(`no seed files in ${seedFolders.join(' or ')}: fuzzing random text only`);

  if (values.case !== undefined) {
    const index = Number(values.case);
    const { origin, text } = makeCase(seeds, seed, index);
    if (values.print) process.stdout.write(`--- seed ${seed} case ${index}, from ${origin} ---\n${text}\n--- end ---\n`);
    const failures = await runWorker({ seed, first: index, count: 1, deadline: Infinity, bound });
    process.exit(failures > 0 ? 1 : 0);
  }

  console.log(`fuzz: seed ${seed}, ${Number.isFinite(count) ? `${count} cases` : `${seconds} s`}, ${seeds.length} seed files, ${bound} ms per case`);
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  let failures = 0;
  // First the large pathological files (super-linear work shows there), then the seeded cases.
  failures += (await runWorker({ seed, first: 0, count: 0, deadline, bound: bound * 3, pathological: true })).failures;
  // After a hang the worker is gone: start a new one after the hanging case.
  while (next < count && Date.now() < deadline) {
    const outcome = await runWorker({ seed, first: next, count: count - next, deadline, bound });
    failures += outcome.failures;
    next = outcome.next;
  }
  console.log(`fuzz: ${next} cases, ${failures} problem${failures === 1 ? '' : 's'} (seed ${seed})`);
  process.exit(failures > 0 ? 1 : 0);
}

/** Runs cases in a worker until done or a hang; returns how many problems and where to resume. */
function runWorker({ seed, first, count, deadline, bound, pathological = false }) {
  return new Promise((resolve) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { seed, first, count, deadline, pathological } });
    let current = first;
    let failures = 0;
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        console.log(
          typeof current === 'string'
            ? `HANG ${current}: not done after ${bound} ms`
            : `HANG seed ${seed} case ${current}: not done after ${bound} ms (replay: node test/fuzz/fuzz.mjs --seed ${seed} --case ${current} --print)`,
        );
        failures++;
        void worker.terminate().then(() => resolve({ failures, next: typeof current === 'string' ? first : current + 1 }));
      }, bound);
    };
    arm();
    worker.on('message', (message) => {
      if (message.type === 'start') {
        current = message.index;
        arm();
      } else if (message.type === 'problem') {
        failures++;
        const where = typeof message.index === 'string' ? message.index : `seed ${seed} case ${message.index}`;
        console.log(`PROBLEM ${where} (from ${message.origin}): ${message.problem}`);
      } else if (message.type === 'progress') {
        console.log(`  ${message.done} cases, slowest ${message.slowest} ms`);
      }
    });
    worker.on('error', (error) => {
      failures++;
      console.log(`CRASH seed ${seed} case ${current}: ${error?.stack ?? error}`);
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      resolve({ failures, next: typeof current === 'string' ? first : current + 1 });
    });
  });
}

async function work({ seed, first, count, deadline, pathological }) {
  const dist = join(repo, 'dist');
  const [{ parse, run }, { checkFile }, { defaultRunOptions }] = await Promise.all([
    import(join(dist, 'index.js')),
    import(join(dist, 'run', 'check-file.js')),
    import(join(dist, 'run', 'options.js')),
  ]);
  const lib = { parse, checkFile, defaultRunOptions, run };
  const seeds = loadSeeds(seedFolders);
  const cwd = mkdtempSync(join(tmpdir(), 'httprun-fuzz-'));
  writeFileSync(join(cwd, 'package.json'), '{}');
  let slowest = 0;
  let done = 0;
  if (pathological) {
    for (const { origin, text } of pathologicalCases()) {
      const index = `pathological file "${origin}" (${text.length} characters)`;
      parentPort.postMessage({ type: 'start', index });
      const { problems, ms } = await checkCase(lib, text, { cwd });
      for (const problem of problems) parentPort.postMessage({ type: 'problem', index, origin, problem });
      const took = Math.round(Math.max(ms.parse, ms.check, ms.run));
      if (took > 10_000) parentPort.postMessage({ type: 'problem', index, origin, problem: `a step took ${took} ms` });
    }
  }
  for (let index = first; index < first + count && Date.now() < deadline; index++) {
    parentPort.postMessage({ type: 'start', index });
    const { origin, text } = makeCase(seeds, seed, index);
    const { problems, ms } = await checkCase(lib, text, { cwd });
    for (const problem of problems) parentPort.postMessage({ type: 'problem', index, origin, problem });
    slowest = Math.max(slowest, Math.round(Math.max(ms.parse, ms.check, ms.run)));
    if (++done % 500 === 0) parentPort.postMessage({ type: 'progress', done, slowest });
  }
  rmSync(cwd, { recursive: true, force: true });
}
