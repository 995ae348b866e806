// Parser throughput in one process (issue 4: "a benchmark reports MB/s on a large generated file
// and on the corpus"): `parse()` from dist/ on each input. Prints one JSON line per input.
//
// The first parse in a process is timed on its own (`first`: what a one-shot `check` pays, before
// V8 has optimised the parser); then runs until the parser is warm (at least a second and two
// runs: one warm-up run of the small corpus left half its functions unoptimised), then the timed
// runs (at least `runs`, and at least a second of them).
//
// For scale, V8's own JSON.parse on a JSON text of the same size: a machine that reads JSON at
// half the speed parses .http files at half the speed too, so the ratio travels between machines
// where MB/s does not.
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
//   node test/bench/parse-speed.mjs <runs> [--library] <name>=<file or folder> ...
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// `--library`: the library's parse (src/index.ts), whose spans are plain data with their positions
// worked out as each is made, timed alone in its own process (what an editor calling it pays);
// otherwise the runner's (what run, check and watch call).
const library = process.argv.includes('--library');
const { parse } = await import(join(root, library ? 'dist/index.js' : 'dist/syntax/parse.js'));
const [runsArg, ...inputs] = process.argv.slice(2).filter((arg) => arg !== '--library');
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
  const firstStarted = performance.now();
  const requests = once();
  const first = performance.now() - firstStarted;
  timedUntil(2, 1000, once);
  const times = timedUntil(runs, 1000, once).sort((a, b) => a - b);
  if (library) {
    process.stdout.write(`${JSON.stringify({ name, bytes, min: times[0] })}\n`);
    continue;
  }
  const shares = await profileShares(once);
  const json = jsonParseMin(bytes);
  process.stdout.write(`${JSON.stringify({ name, files: texts.length, bytes, requests, first, min: times[0], median: times[Math.floor(times.length / 2)], max: times.at(-1), runs: times.length, jsonParseMin: json, ...shares })}\n`);
}

/** Runs `work` at least `count` times and for at least `ms` milliseconds; the time of each run. */
function timedUntil(count, ms, work) {
  const times = [];
  const started = performance.now();
  while (times.length < count || performance.now() - started < ms) {
    const at = performance.now();
    work();
    times.push(performance.now() - at);
  }
  return times;
}

/** The fastest JSON.parse of a JSON text of about `bytes` bytes (records shaped like the generated requests). */
function jsonParseMin(bytes) {
  const records = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const record = { id: i, name: `item ${i}`, url: `/items?page=${i}&q=abc`, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc123' }, tags: ['a', 'b', 'c'], created: 1700000000 + i };
    records.push(record);
    size += JSON.stringify(record).length + 1;
  }
  const text = JSON.stringify(records);
  timedUntil(2, 300, () => JSON.parse(text));
  return Math.min(...timedUntil(5, 500, () => JSON.parse(text))) * (bytes / text.length);
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
