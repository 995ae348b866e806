// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and total time per function and
// self time per file, heaviest first. The bench's companion when a target is missed:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/cli.js ... && node test/bench/profile-summary.mjs /tmp/prof/*.cpuprofile [top]
import { readFileSync } from 'node:fs';

const [path, topArg] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: node profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(path, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

// Sample i lasted timeDeltas[i + 1]; close enough to attribute timeDeltas[i] to sample i.
const selfMicros = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const short = (url) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/(dist|src)\//, '$1/');
const label = (node) => `${node.callFrame.functionName || '(anonymous)'} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

const self = new Map();
const total = new Map();
const files = new Map();
let all = 0;
for (const [id, micros] of selfMicros) {
  const node = byId.get(id);
  all += micros;
  self.set(label(node), (self.get(label(node)) ?? 0) + micros);
  const file = short(node.callFrame.url) || `(${node.callFrame.functionName})`;
  files.set(file, (files.get(file) ?? 0) + micros);
  // Total: once per distinct function on the stack.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) {
    const name = label(byId.get(at));
    if (seen.has(name)) continue;
    seen.add(name);
    total.set(name, (total.get(name) ?? 0) + micros);
  }
}
const show = (title, map) => {
  process.stdout.write(`\n${title} (of ${(all / 1000).toFixed(0)} ms sampled)\n`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(micros / 1000).toFixed(1).padStart(9)} ms ${((micros / all) * 100).toFixed(1).padStart(5)} %  ${name}\n`);
  }
};
show('self time by function', self);
show('self time by file', files);
show('total time by function', total);
