// `npm run bench`: httprun against the floor (bare undici, test/bench/floor.mjs) on the workloads of
// issue 10, against a keep-alive server in its own process. Every workload runs several times,
// alternating the two commands; medians are compared as ratios measured in the same run, since
// only ratios mean anything on a shared machine. Prints a Markdown table and writes RESULTS.md.
//
//   node test/bench/bench.mjs [--runs 5] [--only W1,W2,P,...] [--cli path/to/cli.js] [--no-write]
// (`--only` matches ids by their first word: P runs every parser row, W6 every check row.)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.BENCH_RUNS ?? '5' },
    only: { type: 'string' },
    cli: { type: 'string', default: join(root, 'dist/bin/cli.js') },
    'no-write': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(flags.runs));
const CLI = resolve(flags.cli);
const FLOOR = join(here, 'floor.mjs');
const ONLY = flags.only ? new Set(flags.only.split(',').map((w) => w.trim().toUpperCase())) : null;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const MB = 1024 * 1024;
const BIG = 200 * MB;
const JOBS = 8;

const work = mkdtempSync(join(tmpdir(), 'httprun-bench-'));
const selected = (id) => ONLY === null || ONLY.has(id);

// ---------------------------------------------------------------- measuring one command

/** Runs `node ...args` once: wall time, user+sys CPU, peak RSS, exit code and output. */
function measure(args, { cwd = work, env = {} } = {}) {
  const stats = join(work, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const command = TIME ? TIME : process.execPath;
  const argv = TIME ? ['-f', '%U %S %M', '-o', stats, process.execPath, ...args] : args;
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    const poll = TIME ? null : pollProc(child.pid);
    child.on('error', fail);
    child.on('close', (code) => {
      const wall = performance.now() - started;
      let cpu;
      let rss;
      if (TIME) {
        const [user, sys, kb] = readFileSync(stats, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        rmSync(stats, { force: true });
        cpu = user + sys;
        rss = kb * 1024;
      } else {
        ({ cpu, rss } = poll.stop());
      }
      done({ wall, cpu, rss, code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** Without /usr/bin/time: sample the child's VmHWM and CPU ticks from /proc until it exits. */
function pollProc(pid) {
  const last = { cpu: 0, rss: 0 };
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) last.rss = Math.max(last.rss, Number(hwm[1]) * 1024);
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      last.cpu = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // Gone between samples: keep the last values.
    }
  };
  const timer = setInterval(sample, 5);
  sample();
  return { stop: () => (clearInterval(timer), last) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function summarise(samples) {
  return {
    wall: median(samples.map((s) => s.wall)),
    min: Math.min(...samples.map((s) => s.wall)),
    max: Math.max(...samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rss: median(samples.map((s) => s.rss)),
  };
}

/** Alternates the two commands (A B, then B A, ...) so that drift in machine load hits both alike. */
async function alternate(label, httprun, floor, check) {
  const a = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? ['h', 'f'] : ['f', 'h'];
    for (const which of order) {
      const sample = which === 'h' ? await measure(httprun.args, httprun) : await measure(floor.args, floor);
      const problem = check(which, sample);
      if (problem) throw new Error(`${label} (${which === 'h' ? 'httprun' : 'floor'}): ${problem}\n${sample.stdout.slice(-2000)}${sample.stderr.slice(-2000)}`);
      (which === 'h' ? a : b).push(sample);
    }
    process.stderr.write('.');
  }
  return { httprun: summarise(a), floor: summarise(b) };
}

const exitsZero = (_which, sample) => (sample.code === 0 ? null : `exit code ${sample.code}`);

// ---------------------------------------------------------------- workloads

function writeFile(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function itemRequests(base, from, count) {
  let text = `@base = ${base}\n\n`;
  const floor = [];
  for (let i = from; i < from + count; i++) {
    text += `### item ${i}\nGET {{base}}/item/${i}\n\n?? status == 200\n?? body $.id == ${i}\n\n`;
    floor.push({ method: 'GET', url: `${base}/item/${i}` });
  }
  return { text, floor };
}

function floorPlan(name, plan) {
  const path = join(work, `${name}.plan.json`);
  writeFileSync(path, JSON.stringify({ concurrency: 1, body: 'text', ...plan }));
  return path;
}

async function runWorkloads(base) {
  const rows = [];

  if (selected('W1')) {
    writeFile(join(work, 'w1/one.http'), `GET ${base}/item/1\n\n?? status == 200\n`);
    const plan = floorPlan('w1', { sequences: [[{ method: 'GET', url: `${base}/item/1` }]] });
    const r = await alternate('W1', { args: [CLI, 'w1/one.http'] }, { args: [FLOOR, plan] }, exitsZero);
    rows.push({ id: 'W1', what: 'cold start, 1 request, 1 assertion', ...r, kind: 'time', target: 1.2 });
  }

  if (selected('W2')) {
    const { text, floor } = itemRequests(base, 1, 1000);
    writeFile(join(work, 'w2/many.http'), text);
    const plan = floorPlan('w2', { sequences: [floor] });
    const r = await alternate('W2', { args: [CLI, 'w2/many.http'] }, { args: [FLOOR, plan] }, exitsZero);
    rows.push({ id: 'W2', what: '1 file, 1000 sequential requests, 2 assertions each', ...r, kind: 'rate', requests: 1000, target: 0.7 });
  }

  if (selected('W3')) {
    const sequences = [];
    for (let f = 0; f < 50; f++) {
      const { text, floor } = itemRequests(base, f * 20 + 1, 20);
      writeFile(join(work, `w3/file-${String(f).padStart(2, '0')}.http`), text);
      sequences.push(floor);
    }
    const plan = floorPlan('w3', { concurrency: JOBS, sequences });
    const r = await alternate('W3', { args: [CLI, '--jobs', String(JOBS), 'w3'] }, { args: [FLOOR, plan] }, exitsZero);
    rows.push({ id: 'W3', what: `50 files × 20 requests, --jobs ${JOBS} (floor: ${JOBS} concurrent)`, ...r, kind: 'rate', requests: 1000, target: 0.7 });
  }

  if (selected('W4')) {
    let text = `@base = ${base}\n\n### login\n# @name login\nPOST {{base}}/login\nContent-Type: application/json\n\n{"user":"bench","password":"pw"}\n\n?? status == 200\n\n`;
    const floor = [];
    for (let i = 1; i <= 200; i++) {
      text += `### me ${i}\nGET {{base}}/me\nAuthorization: Bearer {{login.response.body.$.token}}\n\n?? status == 200\n\n`;
      floor.push({ method: 'GET', url: `${base}/me`, headers: { authorization: 'Bearer {{token}}' } });
    }
    writeFile(join(work, 'w4/login.http'), text);
    const plan = floorPlan('w4', { login: { url: `${base}/login` }, sequences: [floor] });
    const r = await alternate('W4', { args: [CLI, 'w4/login.http'] }, { args: [FLOOR, plan] }, exitsZero);
    rows.push({ id: 'W4', what: 'login, then 200 requests with the captured token', ...r, kind: 'rate', requests: 201, target: 0.7 });
  }

  if (selected('W5')) {
    const url = `${base}/big/${BIG}`;
    writeFile(join(work, 'w5/status.http'), `GET ${url}\n\n?? status == 200\n`);
    writeFile(join(work, 'w5/jsonpath.http'), `GET ${url}\n\n?? status == 200\n?? body $.last == 1\n`);
    const plan = floorPlan('w5', { body: 'stream', sequences: [[{ method: 'GET', url }]] });
    const r = await alternate('W5a', { args: [CLI, 'w5/status.http'] }, { args: [FLOOR, plan] }, exitsZero);
    rows.push({ id: 'W5a', what: '200 MB response, status-only assertion', ...r, kind: 'memory', target: { rss: 1.2, time: 1.5 } });

    const samples = [];
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const sample = await measure([CLI, '--max-body', '300MiB', 'w5/jsonpath.http']);
      const problem = exitsZero('h', sample);
      if (problem) throw new Error(`W5b: ${problem}\n${sample.stdout}${sample.stderr}`);
      samples.push(sample);
      process.stderr.write('.');
    }
    rows.push({ id: 'W5b', what: '200 MB response, JSONPath assertion, --max-body 300MiB', httprun: summarise(samples), kind: 'body', target: 3 });

    const limited = await measure([CLI, 'w5/jsonpath.http']);
    const message = /larger than the limit of 64 MiB/.test(limited.stdout + limited.stderr);
    rows.push({
      id: 'W5c', what: 'the same at the default 64 MiB limit', httprun: summarise([limited]), kind: 'limit',
      ok: limited.code === 3 && message, note: `exit ${limited.code}${message ? ', "larger than the limit of 64 MiB"' : ', no limit message'}`,
    });
  }

  if (selected('P')) rows.push(...(await parseThroughput(base)));
  if (selected('W6')) rows.push(...(await checkThroughput(base)));
  if (selected('WATCH')) rows.push(await watchLatency(base));
  return rows;
}

/** A realistic request (variables, dynamic values, headers, JSON body, assertions) repeated to `bytes`. */
function bigHttpFile(base, bytes) {
  let text = `@base = ${base}\n@token = abc123\n@suffix = bench\n\n`;
  for (let i = 1; text.length < bytes; i++) {
    text += `### create item ${i}\n# @name create${i}\nPOST {{base}}/items?page=${i}&q=abc\nContent-Type: application/json\nAuthorization: Bearer {{token}}\nX-Request-Id: {{$uuid}}\n\n{\n  "id": ${i},\n  "name": "item {{suffix}}",\n  "tags": ["a", "b", "c"],\n  "created": "{{$timestamp}}"\n}\n\n?? status == 201\n?? body $.id == ${i}\n\n`;
  }
  return text;
}

/**
 * The parser alone, in one process (issue 4): MB/s of `parse()` on generated 1 and 10 MB files and
 * on the real files of ../shared/corpus, min of RUNS after a warm-up (test/bench/parse-speed.mjs).
 */
async function parseThroughput(base) {
  const inputs = [];
  for (const size of [1, 10]) {
    const file = join(work, `p/size-${size}.http`);
    writeFile(file, bigHttpFile(base, size * MB));
    inputs.push(`generated ${size} MB=${file}`);
  }
  const corpus = resolve(root, '../shared/corpus');
  if (existsSync(corpus)) inputs.push(`corpus=${corpus}`);
  else process.stderr.write(`bench: ${corpus} is absent: no corpus row\n`);
  // One process per input: what V8 learnt on one (pretenuring, inline caches) does not carry over.
  const results = [];
  for (const input of inputs) {
    const sample = await measure([join(here, 'parse-speed.mjs'), String(Math.max(RUNS, 3)), input]);
    if (sample.code !== 0) throw new Error(`parse-speed: exit code ${sample.code}\n${sample.stderr.slice(-2000)}`);
    const library = await measure([join(here, 'parse-speed.mjs'), String(Math.max(RUNS, 3)), '--library', input]);
    if (library.code !== 0) throw new Error(`parse-speed --library: exit code ${library.code}\n${library.stderr.slice(-2000)}`);
    results.push({ ...JSON.parse(sample.stdout.trim()), libraryMin: JSON.parse(library.stdout.trim()).min });
  }
  const perMb = (r) => r.min / (r.bytes / MB);
  const [one, ten] = results;
  return results.map((r) => ({
    id: `P ${r.name}`,
    what: r.name === 'corpus' ? `\`parse()\` on ../shared/corpus (${r.files} files, ${Math.round(r.bytes / 1024)} KB)` : `\`parse()\` on a ${r.name.split(' ')[1]} MB generated file`,
    httprun: { wall: r.median, min: r.min, max: r.max, cpu: NaN, rss: NaN },
    kind: 'parse',
    target: 20,
    mbps: r.bytes / MB / (r.min / 1000),
    linearity: r === ten ? perMb(ten) / perMb(one) : undefined,
    grammarShare: r.grammarShare,
    gcShare: r.gcShare,
    firstMbps: r.bytes / MB / (r.first / 1000),
    libraryMbps: r.bytes / MB / (r.libraryMin / 1000),
    jsonMbps: r.bytes / MB / (r.jsonParseMin / 1000),
  }));
}

async function checkThroughput(base) {
  writeFile(join(work, 'w6/empty.http'), `GET ${base}/item/1\n`);
  const rows = [];
  const sizes = [1, 5, 10];
  for (const size of sizes) writeFile(join(work, `w6/size-${size}.http`), bigHttpFile(base, size * MB));
  const startup = [];
  const bySize = new Map(sizes.map((size) => [size, []]));
  for (let i = 0; i < RUNS; i++) {
    startup.push(await measure([CLI, 'check', 'w6/empty.http']));
    for (const size of sizes) {
      const sample = await measure([CLI, 'check', `w6/size-${size}.http`]);
      if (sample.code !== 0) throw new Error(`W6 ${size} MB: exit code ${sample.code}\n${sample.stdout.slice(-2000)}${sample.stderr.slice(-2000)}`);
      bySize.get(size).push(sample);
    }
    process.stderr.write('.');
  }
  const start = summarise(startup);
  for (const size of sizes) {
    const bytes = statSync(join(work, `w6/size-${size}.http`)).size;
    const s = summarise(bySize.get(size));
    rows.push({
      id: `W6 ${size} MB`, what: `\`check\` on a ${size} MB .http file`, httprun: s, kind: 'throughput', target: 20,
      bytes, mbps: bytes / MB / (s.wall / 1000), parseMbps: bytes / MB / (Math.max(1, s.wall - start.wall) / 1000),
    });
  }
  // Linear: time beyond start-up per MB stays flat from 1 MB to 10 MB.
  const perMb = rows.map((row) => (row.httprun.wall - start.wall) / (row.bytes / MB));
  rows.at(-1).linearity = perMb.at(-1) / perMb[0];
  return rows;
}

/** From a write of a watched one-request file to the summary line of the re-run it caused. */
async function watchLatency(base) {
  const dir = join(work, 'watch');
  const file = join(dir, 'watched.http');
  const body = (n) => `# edit ${n}\nGET ${base}/item/${n}\n\n?? status == 200\n`;
  writeFile(file, body(0));
  const child = spawn(process.execPath, [CLI, 'watch', '--no-color', dir], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let buffered = '';
  let waiter = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    if (waiter && waiter.pattern.test(buffered)) {
      const { done } = waiter;
      waiter = null;
      done(performance.now());
    }
  });
  const until = (pattern, ms = 10_000) =>
    new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`watch: no ${pattern} within ${ms} ms; output:\n${buffered}`)), ms);
      waiter = { pattern, done: (at) => (clearTimeout(timer), done(at)) };
      if (pattern.test(buffered)) {
        waiter = null;
        clearTimeout(timer);
        done(performance.now());
      }
    });
  const summary = /\d+ requests?: \d+ passed[^\n]*\n/;
  const latencies = [];
  try {
    await until(/watching /);
    const rounds = Math.max(RUNS * 2, 10);
    for (let n = 1; n <= rounds; n++) {
      await new Promise((done) => setTimeout(done, 250));
      buffered = '';
      const written = performance.now();
      writeFileSync(file, body(n));
      const finished = await until(summary);
      latencies.push(finished - written);
    }
  } finally {
    child.kill('SIGINT');
  }
  const s = { wall: median(latencies), min: Math.min(...latencies), max: Math.max(...latencies), cpu: NaN, rss: NaN };
  return { id: 'watch', what: 'file write → result line, one-request file', httprun: s, kind: 'latency', target: 150 };
}

// ---------------------------------------------------------------- the table

const ms = (value) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const mib = (bytes) => (Number.isFinite(bytes) ? `${Math.round(bytes / MB)} MiB` : '—');
const range = (s) => `${ms(s.wall)} (${ms(s.min)}–${ms(s.max)})`;
const cpu = (s) => (Number.isFinite(s.cpu) ? `${s.cpu.toFixed(2)} s` : '—');
const x = (value) => `${value.toFixed(2)}×`;
const pct = (share) => `${Math.round(share * 100)} %`;

function judge(row) {
  const h = row.httprun;
  const f = row.floor;
  switch (row.kind) {
    case 'time': {
      const ratio = h.wall / f.wall;
      const cpuRatio = h.cpu / f.cpu;
      return { ratio: `${x(ratio)} time (CPU ${x(cpuRatio)})`, target: `≤ ${row.target}× time`, met: ratio <= row.target || cpuRatio <= row.target };
    }
    case 'rate': {
      const share = f.wall / h.wall;
      const cpuShare = f.cpu / h.cpu;
      const rate = (s) => Math.round(row.requests / (s.wall / 1000));
      return {
        ratio: `${Math.round(share * 100)} % of floor req/s (${rate(h)} vs ${rate(f)}; CPU ${Math.round(cpuShare * 100)} %)`,
        target: `≥ ${row.target * 100} %`,
        met: share >= row.target || cpuShare >= row.target,
      };
    }
    case 'memory': {
      const rss = h.rss / f.rss;
      const time = h.wall / f.wall;
      return { ratio: `RSS ${x(rss)}, time ${x(time)}`, target: `RSS ≤ ${row.target.rss}×, time ≤ ${row.target.time}×`, met: rss <= row.target.rss && time <= row.target.time };
    }
    case 'body': {
      const ratio = h.rss / BIG;
      return { ratio: `peak RSS ${x(ratio)} the body`, target: `< ${row.target}× body`, met: ratio < row.target };
    }
    case 'limit':
      return { ratio: row.note, target: 'clear error, exit 3', met: row.ok };
    case 'throughput': {
      const linear = row.linearity === undefined ? '' : `; time/MB 10 MB vs 1 MB ${x(row.linearity)}`;
      return {
        ratio: `${row.mbps.toFixed(1)} MB/s end to end (${row.parseMbps.toFixed(1)} MB/s beyond start-up${linear})`,
        target: `≥ ${row.target} MB/s${row.linearity === undefined ? '' : ', linear'}`,
        met: row.mbps >= row.target && (row.linearity === undefined || row.linearity <= 1.5),
      };
    }
    case 'parse': {
      const linear = row.linearity === undefined ? '' : `; time/MB 10 MB vs 1 MB ${x(row.linearity)}`;
      const shares = row.grammarShare === undefined ? '' : `; of the parse: grammar ${pct(row.grammarShare)}, GC ${pct(row.gcShare)}`;
      return {
        ratio: `${row.mbps.toFixed(1)} MB/s (fastest warm run${linear}; first parse in the process ${row.firstMbps.toFixed(1)} MB/s; the library's parse() with plain spans ${row.libraryMbps.toFixed(1)} MB/s${shares}; V8's JSON.parse here: ${Math.round(row.jsonMbps)} MB/s)`,
        target: `≥ ${row.target} MB/s${row.linearity === undefined ? '' : ', linear'}`,
        met: row.mbps >= row.target && (row.linearity === undefined || row.linearity <= 1.5),
      };
    }
    case 'latency':
      return { ratio: `median ${ms(h.wall)}`, target: `< ${row.target} ms`, met: h.wall < row.target };
  }
  throw new Error(`unknown kind ${row.kind}`);
}

const ORDER = ['W1', 'W2', 'W3', 'W4', 'W5a', 'W5b', 'W5c', 'P generated 1 MB', 'P generated 10 MB', 'P corpus', 'W6 1 MB', 'W6 5 MB', 'W6 10 MB', 'watch'];

/** Table lines by workload id; `previous` (RESULTS.md) keeps the rows an `--only` run did not measure. */
function table(rows, previous = '') {
  const byId = new Map();
  for (const line of previous.split('\n')) {
    const id = /^\| \*\*(.+?)\*\* /.exec(line)?.[1];
    if (id !== undefined) byId.set(id, line);
  }
  for (const row of rows) {
    const { ratio, target, met } = judge(row);
    const f = row.floor;
    byId.set(
      row.id,
      `| **${row.id}** ${row.what} | ${range(row.httprun)} | ${f ? range(f) : '—'} | ${mib(row.httprun.rss)} / ${f ? mib(f.rss) : '—'} | ${cpu(row.httprun)} / ${f ? cpu(f) : '—'} | ${ratio} | ${target} | ${met ? 'yes' : '**no**'} |`,
    );
  }
  const rank = (id) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);
  const ids = [...byId.keys()].sort((a, b) => rank(a) - rank(b));
  return [
    '| workload | httprun median (min–max) | floor median (min–max) | peak RSS httprun / floor | CPU httprun / floor | httprun vs floor | target | met |',
    '|---|---|---|---|---|---|---|---|',
    ...ids.map((id) => byId.get(id)),
  ].join('\n');
}

function machine() {
  const cpu = cpus();
  return `${new Date().toISOString().slice(0, 10)} · ${cpu[0]?.model.trim() ?? 'unknown CPU'} · ${cpu.length} cores · Node ${process.version} · ${RUNS} runs per workload, medians`;
}

// ---------------------------------------------------------------- main

async function startServer() {
  const child = spawn(process.execPath, [join(here, 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((done, fail) => {
    child.once('exit', (code) => fail(new Error(`the bench server exited (${code})`)));
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (line) => done(Number(line.trim())));
  });
  return { base: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

if (!existsSync(CLI)) {
  process.stderr.write(`bench: ${CLI} does not exist; build first (npm run bench does)\n`);
  process.exit(2);
}
const server = await startServer();
let rows;
try {
  process.stderr.write(`bench: ${RUNS} runs per workload in ${work}\n`);
  rows = await runWorkloads(server.base);
  process.stderr.write('\n');
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
const results = join(here, 'RESULTS.md');
// An `--only` run updates its own rows of RESULTS.md and keeps the others as they were.
const previous = ONLY !== null && existsSync(results) ? readFileSync(results, 'utf8') : '';
const markdown = `# httprun benchmark\n\n${machine()}${ONLY === null ? '' : ` (this run: ${[...ONLY].join(', ')}; other rows from earlier runs)`}\n\n${table(rows, previous)}\n\n` +
  'Floor: the same requests sent by a bare undici script (test/bench/floor.mjs) at the same concurrency, ' +
  'bodies read but not parsed (W5a: streamed). Both launched as `node <script>`; wall time includes start-up. ' +
  'Where wall time is noisy, the CPU-seconds ratio stands in (issue 10). Peak RSS from `/usr/bin/time -v` ' +
  '(else sampled from /proc). P: `parse()` alone in one process, the fastest of the runs after a warm-up of a second, and the first parse in the process on its own; V8\'s JSON.parse on a JSON text of the same size gives the machine\'s scale (test/bench/parse-speed.mjs). ' +
  'W6: MB/s over the whole `check` process, and beyond the start-up of `check` on a one-request file.\n';
process.stdout.write(`\n${markdown}`);
if (!flags['no-write']) writeFileSync(results, markdown);
const missed = rows.filter((row) => !judge(row).met).map((row) => row.id);
if (missed.length) process.stderr.write(`bench: targets missed: ${missed.join(', ')}\n`);
