// Parser throughput in one process (issue 4: "a benchmark reports MB/s on a large generated file
// and on the corpus"): `parse()` from dist/ on each input, after a warm-up. Prints one JSON line
// per input.
//
// Then a few more runs under V8's sampling profiler say where the parse's time goes: the share of
// the peggy grammar (src/syntax/generated/http-parser.js) and of the garbage collector. The
// grammar reads the request lines, variables, metadata and placeholders (issue 4's statement of the
// product); its share is a floor that no change outside grammar/ removes.
//
// No forced GC between runs: a full `gc()` deoptimised dozens of the parser's functions
// (V8 drops optimised code that embeds maps that died: "reason: weak objects"), so every run
// measured re-warming the parser, at half its speed. Without it, each run also pays for part of
// the previous run's garbage, as a long-lived process (an editor, watch mode) does.
//
//   node test/bench/parse-speed.mjs <runs> <name>=<file or folder> ...
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { parse } = await import(join(root, 'dist/syntax/parse.js'));
const [runsArg, ...inputs] = process.argv.slice(2);
const runs = Math.max(1, Number(runsArg));

function filesOf(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true })
    .map((name) => join(path, String(name)))
    .filter((file) => /\.(http|rest)$/.test(file) && statSync(file).isFile())
    .sort();
}

for (const input of inputs) {
  const at = input.indexOf('=');
  const name = input.slice(0, at);
  const texts = filesOf(input.slice(at + 1)).map((file) => [file, readFileSync(file, 'utf8')]);
  const bytes = texts.reduce((sum, [, text]) => sum + Buffer.byteLength(text), 0);
  const once = () => {
    let requests = 0;
    for (const [file, text] of texts) requests += parse(text, { file }).ast.requests.length;
    return requests;
  };
  const requests = once();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    once();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const shares = await profileShares(once);
  process.stdout.write(`${JSON.stringify({ name, files: texts.length, bytes, requests, min: times[0], median: times[Math.floor(times.length / 2)], max: times.at(-1), ...shares })}\n`);
}

/** Shares of the sampled time of a few runs of `once` spent in the generated grammar and in GC. */
async function profileShares(once) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let i = 0; i < 3; i++) once();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  let all = 0;
  let grammar = 0;
  let gc = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = byId.get(profile.samples[i]).callFrame;
    const micros = profile.timeDeltas[i] ?? 0;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    all += micros;
    if (frame.url.endsWith('/generated/http-parser.js')) grammar += micros;
    else if (frame.functionName === '(garbage collector)') gc += micros;
  }
  return { grammarShare: grammar / all, gcShare: gc / all };
}
