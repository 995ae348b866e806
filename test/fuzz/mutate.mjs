// Seeded mutations of request files, shared by the fuzz test (test/fuzz.test.ts) and `npm run fuzz`.
// Plain JavaScript so that `node test/fuzz/fuzz.mjs` runs without a TypeScript step.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast and deterministic; the same seed gives the same cases everywhere. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** What a request file's syntax turns on: every marker the grammar and the resolver look for. */
export const TOKENS = [
  '{{', '}}', '{{ ', '{{$', '{{$uuid}}', '{{$random.integer(1,', '{{$datetime "', '{{$processEnv ', '{{$dotenv',
  '{{name}}', '{{login.response.body.$.token}}', '{{a.response.headers.', '<<', '>>', '<<SECRET>>', '<<',
  '###', '### ', '\n###\n', '??', '?? ', '\n?? body $.a == 1\n', '?? status ==', '> {%', '< {%', '{%', '%}', '\n> {%\n', '\n%}\n',
  '>> ', '>>! ', '<> ', '< ./', '<@ ./', '< ../../etc/passwd', '# @name ', '# @', '// @', '@x = ', '@x={{x}}', '\n@a = {{b}}\n@b = {{a}}\n',
  'GET ', 'POST http://', 'HTTP/1.1', 'HTTP/2', ' HTTP/1.1 200 OK\n', 'Content-Type: ', ':', '\n\n', '\n', '\r\n', '\r', '\t',
  '\uFEFF', '\u0000', '\u200B', '\u202E', 'é', 'ü', '漢字', '😀', '\uD800', '\uDFFF', 'e\u0301', '\\', '"', "'", '`', '$', '[', ']', '(', ')',
  '{', '}', '--boundary\n', 'Content-Disposition: form-data; name="f"; filename="x"\n', 'import ./other.http\n', 'run #a\n', '# @import ./x.http\n',
  '#', '//', '&', '?', '=', '%', '%zz', '%%', '{{{{', '}}}}', '{{#', '<<<', '>>>',
];

const LINES = ['###', 'GET http://127.0.0.1:9/x', 'POST {{host}}/a', '', 'Authorization: Bearer {{token}}', '?? status == 200', '> {%', '%}', '{', '}', '@host = http://127.0.0.1:9'];

/** One random edit of `text`. */
function mutateOnce(text, random) {
  const at = () => random.int(text.length + 1);
  switch (random.int(9)) {
    case 0: {
      // Replace a character with a random code unit (any of 0..0xFFFF, lone surrogates included).
      if (text.length === 0) return text;
      const index = random.int(text.length);
      const code = random.next() < 0.7 ? random.int(128) : random.int(0x10000);
      return text.slice(0, index) + String.fromCharCode(code) + text.slice(index + 1);
    }
    case 1:
    case 2: {
      const index = at();
      return text.slice(0, index) + random.pick(TOKENS) + text.slice(index);
    }
    case 3: {
      const lines = text.split('\n');
      lines.splice(random.int(lines.length), 1 + random.int(3));
      return lines.join('\n');
    }
    case 4: {
      const lines = text.split('\n');
      const index = random.int(lines.length);
      lines.splice(index, 0, ...lines.slice(index, index + 1 + random.int(4)));
      return lines.join('\n');
    }
    case 5: {
      const lines = text.split('\n');
      lines.splice(random.int(lines.length + 1), 0, random.pick(LINES));
      return lines.join('\n');
    }
    case 6:
      return random.next() < 0.5 ? text.replace(/\n/g, '\r\n') : `\uFEFF${text}`;
    case 7: {
      // Cut: files that end anywhere (mid-template, mid-script, mid-body).
      return text.slice(0, at());
    }
    default: {
      // A long run of one marker: nesting and repetition stress.
      const index = at();
      return text.slice(0, index) + random.pick(TOKENS).repeat(1 + random.int(200)) + text.slice(index);
    }
  }
}

/** `count` random edits of `text`. */
export function mutate(text, random, count = 1 + random.int(8)) {
  let result = text;
  for (let i = 0; i < count; i++) result = mutateOnce(result, random);
  return result;
}

/** Text made only of request-file tokens and random characters. */
export function randomText(random, length = 1 + random.int(400)) {
  let text = '';
  while (text.length < length) {
    text += random.next() < 0.6 ? random.pick(TOKENS) : String.fromCharCode(random.int(random.next() < 0.8 ? 128 : 0x10000));
  }
  return text;
}

/** The seed files: the real-world corpus and the dialects' examples, when present. */
export function loadSeeds(folders) {
  const seeds = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.(http|rest)$/.test(entry)) seeds.push({ name: path, text: readFileSync(path, 'utf8') });
    }
  };
  for (const folder of folders) visit(folder);
  return seeds;
}

/** Case `index` of the run seeded with `seed`: a mutated seed file, or (one in five) random text. */
export function makeCase(seeds, seed, index) {
  const random = createRandom((Math.imul(seed, 0x9e3779b1) + index) >>> 0);
  if (seeds.length === 0 || random.next() < 0.2) return { origin: 'random text', text: randomText(random) };
  const base = random.pick(seeds);
  return { origin: base.name, text: mutate(base.text, random) };
}

/**
 * Large files built to find super-linear work: many problems on one line, many placeholders, deep
 * nesting, long chains. Each must finish in seconds; a quadratic step takes minutes or runs out of memory.
 */
export function pathologicalCases(scale = 1) {
  const n = (count) => Math.round(count * scale);
  return [
    { origin: 'unclosed {{ on one line', text: `GET http://127.0.0.1:9/${'{{'.repeat(n(30_000))}` },
    { origin: 'missing secrets', text: `GET http://127.0.0.1:9/${'<<A>>'.repeat(n(20_000))}` },
    { origin: 'undefined variables in headers', text: `GET http://127.0.0.1:9/\n${'X-A: {{b}}\n'.repeat(n(20_000))}` },
    { origin: 'assertions', text: `GET http://127.0.0.1:9/\n\n${'?? body $.a == 1\n'.repeat(n(10_000))}` },
    { origin: 'a chain of variables', text: `${Array.from({ length: n(5_000) }, (_, i) => `@v${i} = {{v${i + 1}}}`).join('\n')}\nGET http://127.0.0.1:9/{{v0}}\n` },
    { origin: 'a chain of request references', text: Array.from({ length: n(1_000) }, (_, i) => `### r${i}\nGET http://127.0.0.1:9/{{r${i + 1}.response.body.$.a}}\n`).join('\n') },
    { origin: 'nested braces', text: `GET http://127.0.0.1:9/${'{{'.repeat(n(5_000))}a${'}}'.repeat(n(5_000))}` },
    { origin: 'separators', text: '###\n'.repeat(n(50_000)) },
    { origin: 'an unclosed script', text: `GET http://127.0.0.1:9/\n\n> {%\n${'client.log(1);\n'.repeat(n(20_000))}` },
    { origin: 'a megabyte line', text: `GET http://127.0.0.1:9/${'a'.repeat(n(1_000_000))}` },
    { origin: 'lone carriage returns', text: '\r'.repeat(n(200_000)) },
    { origin: 'NUL bytes', text: '\u0000'.repeat(n(200_000)) },
  ];
}
