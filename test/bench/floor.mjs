// The floor: the same requests as a workload, sent with bare undici at the same concurrency, with
// no .http parsing, no templates and no assertions. Bodies are read as text (httprun reads them to
// assert on them), except in "stream" mode, where they are drained chunk by chunk and never held.
//
//   node floor.mjs <plan.json>
//   plan: { concurrency, body: "text" | "stream", login?: { url }, sequences: [[{ method, url, headers?, body? }]] }
// A login request's JSON `token` replaces "{{token}}" in later header values: that one capture is
// the whole point of W4.
import { readFileSync } from 'node:fs';
import { request } from 'undici';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let token = '';

async function send(spec) {
  const headers = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name] = value.replace('{{token}}', token);
  const response = await request(spec.url, { method: spec.method, headers, body: spec.body });
  if (plan.body === 'stream') {
    for await (const chunk of response.body) void chunk;
  } else {
    await response.body.text();
  }
  if (response.statusCode !== 200) throw new Error(`${spec.method} ${spec.url}: status ${response.statusCode}`);
}

if (plan.login) {
  const response = await request(plan.login.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  token = (await response.body.json()).token;
}
let next = 0;
const worker = async () => {
  while (next < plan.sequences.length) {
    for (const spec of plan.sequences[next++]) await send(spec);
  }
};
await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.sequences.length) }, worker));
