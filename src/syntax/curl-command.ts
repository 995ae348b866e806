import { createRequire } from 'node:module';
import type * as ShellQuote from 'shell-quote';
import { startsWithSecret } from './template.js';

// Loaded at the first curl command: most files have none, and the import costs ~10 ms at start-up.
let shellQuote: typeof ShellQuote | undefined;
const shellWords: typeof ShellQuote.parse = (...args) => (shellQuote ??= createRequire(import.meta.url)('shell-quote') as typeof ShellQuote).parse(...args);

/**
 * A `curl ...` command written where a request goes. REST Client sends such blocks; httprun reads
 * the options that describe the request (method, URL, headers, body, auth, cookies, timeouts) and
 * names the others it skips. Words are split as a POSIX shell splits them (shell-quote); `{{ }}`
 * placeholders stay as written and become template parts like anywhere else.
 */

/** A word of the command and where its text starts in the file (line index, 0-based column). */
export interface CurlWord {
  text: string;
  line: number;
  column: number;
  /** `--data-urlencode`'s content: percent-encoded once its placeholders are rendered. */
  percentEncoded?: boolean;
}

/** A text that goes into a template: words and fixed text (`Basic `, `&`) in order. */
export type CurlText = (CurlWord | string)[];

export type CurlBodyPart = { kind: 'text'; text: CurlText } | { kind: 'file'; path: CurlWord };

export interface CurlProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint: string;
  at: CurlWord;
}

export interface CurlRequest {
  method: string;
  /** null when the command names no URL (an error is among the problems). */
  url: CurlText | null;
  headers: { name: string; value: CurlText; at: CurlWord }[];
  body: CurlBodyPart[] | null;
  /** Options that httprun has metadata for: `--max-time 5` is `timeout 5 s`. */
  metadata: { key: string; value: string; at: CurlWord }[];
  problems: CurlProblem[];
}

/** A line that starts a curl command (REST Client: `curl` first, any case, after optional blanks). */
export const CURL_LINE = /^\s*curl(?:\s|$)/i;

/**
 * How many lines from `lines[0]` (a CURL_LINE) the command takes: a line ending in `\` goes on, and
 * so does a line that leaves a quote open (a JSON body pasted over several lines).
 */
export function curlCommandLength(lines: Iterable<string>): number {
  let quote: Quote = null;
  let count = 0;
  for (const line of lines) {
    count++;
    quote = quoteAfter(line, quote);
    if (quote === null && !CONTINUED.test(line)) break;
  }
  return count;
}

/** A line ending in a `\` that is not itself escaped: the shell joins the next line to it. */
const CONTINUED = /(?:^|[^\\])(?:\\\\)*\\$/;

type Quote = "'" | '"' | "$'" | null;

/** Which quote is open after `line`, given the one open before it. */
function quoteAfter(line: string, open: Quote): Quote {
  let quote = open;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
    } else if (quote === '"' || quote === "$'") {
      if (c === '\\') i++;
      else if ((quote === '"' && c === '"') || (quote === "$'" && c === "'")) quote = null;
    } else if (c === '\\') {
      i++;
    } else if (c === "'") {
      quote = "'";
    } else if (c === '"') {
      quote = '"';
    } else if (c === '$' && line[i + 1] === "'") {
      quote = "$'";
      i++;
    }
  }
  return quote;
}

/** What each option does; options not here are skipped with a warning. */
type OptionAction =
  | 'method' | 'header' | 'data' | 'data-raw' | 'data-urlencode' | 'json' | 'form' | 'form-string'
  | 'user' | 'cookie' | 'user-agent' | 'referer' | 'url' | 'head' | 'get'
  | 'timeout' | 'connection-timeout' | 'retry' | 'insecure' | 'bearer' | 'upload' | 'url-query'
  /** Changes nothing httprun sends or checks: output, progress, redirects (followed anyway). */
  | 'ignore' | 'ignore-value'
  /** Takes a value and is not read: warned about, and its value is not taken for the URL. */
  | 'skip-value';

const OPTIONS: Record<string, OptionAction> = {
  '-X': 'method', '--request': 'method',
  '-H': 'header', '--header': 'header',
  '-d': 'data', '--data': 'data', '--data-ascii': 'data', '--data-binary': 'data',
  '--data-raw': 'data-raw', '--data-urlencode': 'data-urlencode', '--json': 'json',
  '-F': 'form', '--form': 'form', '--form-string': 'form-string',
  '-u': 'user', '--user': 'user',
  '-b': 'cookie', '--cookie': 'cookie',
  '-A': 'user-agent', '--user-agent': 'user-agent',
  '-e': 'referer', '--referer': 'referer',
  '--url': 'url',
  '-I': 'head', '--head': 'head',
  '-G': 'get', '--get': 'get',
  '-m': 'timeout', '--max-time': 'timeout', '--connect-timeout': 'connection-timeout', '--retry': 'retry',
  '-k': 'insecure', '--insecure': 'insecure',
  '-s': 'ignore', '--silent': 'ignore', '-S': 'ignore', '--show-error': 'ignore', '-v': 'ignore',
  '--verbose': 'ignore', '-i': 'ignore', '--include': 'ignore', '-L': 'ignore', '--location': 'ignore',
  '-f': 'ignore', '--fail': 'ignore', '--fail-with-body': 'ignore', '--compressed': 'ignore',
  '-#': 'ignore', '--progress-bar': 'ignore', '-N': 'ignore', '--no-buffer': 'ignore',
  '--http1.1': 'ignore', '--http2': 'ignore', '-g': 'ignore', '--globoff': 'ignore',
  '-o': 'ignore-value', '--output': 'ignore-value', '-w': 'ignore-value', '--write-out': 'ignore-value',
  '-c': 'ignore-value', '--cookie-jar': 'ignore-value', '--max-redirs': 'ignore-value',
  '--oauth2-bearer': 'bearer', '-T': 'upload', '--upload-file': 'upload', '--url-query': 'url-query',
  ...Object.fromEntries(
    [
      '-x', '--proxy', '-U', '--proxy-user', '--proxy-header', '--noproxy', '--preproxy', '--cacert', '--capath',
      '-E', '--cert', '--cert-type', '--key', '--key-type', '--pass', '--ciphers', '--tls13-ciphers', '--curves',
      '--pinnedpubkey', '--crlfile', '--resolve', '--connect-to', '--interface', '--local-port', '--dns-servers',
      '--doh-url', '--limit-rate', '--max-filesize', '--retry-delay', '--retry-max-time', '-r', '--range', '-C',
      '--continue-at', '-K', '--config', '--netrc-file', '--unix-socket', '--abstract-unix-socket', '--socks4',
      '--socks4a', '--socks5', '--socks5-hostname', '--expect100-timeout', '--happy-eyeballs-timeout-ms',
      '--keepalive-time', '--tls-max', '--trace', '--trace-ascii', '--trace-config', '--stderr', '-D',
      '--dump-header', '-z', '--time-cond', '--request-target', '--aws-sigv4', '--variable', '-Y', '--speed-limit',
      '-y', '--speed-time', '--output-dir', '--proto', '--proto-redir', '--proto-default', '--alt-svc', '--hsts',
      '--etag-compare', '--etag-save', '--proxy-cacert', '--proxy-cert', '--proxy-key', '--proxy-pass', '--rate',
      '--parallel-max', '--service-name', '--login-options', '--delegation', '--krb',
    ].map((option) => [option, 'skip-value' as const]),
  ),
};

const FORM_BOUNDARY = 'httprun-curl-form-boundary';

/**
 * Reads a curl command. `lines` are the command's lines (see `curlCommandLength`) with their line
 * indices in the file.
 */
export function readCurlCommand(lines: readonly { line: number; text: string }[]): CurlRequest {
  const words = wordsOf(lines);
  const problems: CurlProblem[] = [];
  const headers: CurlRequest['headers'] = [];
  const metadata: CurlRequest['metadata'] = [];
  const data: CurlText[] = [];
  const form: CurlBodyPart[] = [];
  let dataFile: CurlWord | null = null;
  /** `-T file`: the file is the body, sent with PUT unless -X says otherwise. */
  let upload: CurlWord | null = null;
  /** `--url-query` parts, added to the URL's query. */
  const query: CurlText[] = [];
  let method: string | null = null;
  let url: CurlWord | null = null;
  let head = false;
  let get = false;
  let json = false;

  const first = words[0] !== undefined && 'text' in words[0] ? words[0] : { text: 'curl', line: lines[0]?.line ?? 0, column: 0 };
  // curl: a lone `--` ends the options; every word after it is a URL, even one starting with `-`.
  let options = true;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (!('text' in word)) {
      problems.push(operatorProblem(word.op, first));
      break;
    }
    if (options && word.text === '--') {
      options = false;
      continue;
    }
    const [option, attached] = options ? splitOption(word.text) : [null, null];
    const action = option === null ? undefined : OPTIONS[option];
    if (option === null) {
      if (url === null) url = word;
      else problems.push(warning('syntax/curl-extra-url', `curl argument \`${word.text}\` skipped: httprun sends one request per command, to the first URL`, 'write one `curl` command (or request) per URL', word));
      continue;
    }
    if (action === undefined) {
      problems.push(skippedOption(option, word));
      continue;
    }
    if (action === 'head' || action === 'get' || action === 'insecure' || action === 'ignore') {
      // Short flags go together (`-sSL`, `-kX POST`): the rest is read as the next word.
      if (attached !== null) words.splice(i + 1, 0, { text: `-${attached}`, line: word.line, column: word.column + 2 });
      if (action === 'head') head = true;
      if (action === 'get') get = true;
      if (action === 'insecure') metadata.push({ key: 'insecure', value: '', at: word });
      continue;
    }
    // Every other option takes a value: attached (`-XPOST`) or the next word.
    if (action === 'skip-value') {
      problems.push(skippedOption(option, word));
    }
    let value: CurlWord | undefined;
    if (attached !== null) value = { text: attached, line: word.line, column: word.column + option.length };
    else {
      const next = words[i + 1];
      if (next !== undefined && 'text' in next) {
        value = next;
        i++;
      }
    }
    if (value === undefined) {
      problems.push(error('syntax/curl-missing-value', `curl option \`${option}\` needs a value`, `write it as \`${option} value\``, word));
      continue;
    }
    switch (action) {
      case 'method':
        method = value.text;
        break;
      case 'header': {
        const colon = value.text.indexOf(':');
        if (colon <= 0) {
          problems.push(warning('syntax/curl-header-skipped', `curl header \`${value.text}\` skipped: it has no \`Name: value\``, 'write it as `-H "Name: value"`', value));
          break;
        }
        const rest = value.text.slice(colon + 1);
        const valueText = rest.trim();
        if (valueText === '') break; // curl: `-H "X:"` removes a header curl would send; none here
        const start = colon + 1 + (rest.length - rest.trimStart().length);
        headers.push({ name: value.text.slice(0, colon).trim(), value: [{ text: valueText, line: value.line, column: value.column + start }], at: value });
        break;
      }
      case 'data':
        if (value.text.startsWith('@')) dataFile = { text: value.text.slice(1), line: value.line, column: value.column + 1 };
        else data.push([value]);
        break;
      case 'data-raw':
        data.push([value]);
        break;
      case 'data-urlencode': {
        const encoded = urlEncoded(value, problems);
        if (encoded !== null) data.push(encoded);
        break;
      }
      case 'json':
        json = true;
        if (value.text.startsWith('@')) dataFile = { text: value.text.slice(1), line: value.line, column: value.column + 1 };
        else data.push([value]);
        break;
      case 'form':
      case 'form-string':
        form.push(...formField(value, action === 'form'));
        if (!value.text.includes('=')) {
          // curl itself refuses the command ("Illegally formatted input field"): say what is sent instead.
          problems.push(warning('syntax/curl-form-field', `curl form field \`${value.text}\` has no \`=\`: curl refuses it; httprun sends an empty field named ${value.text}`, 'write the field as `-F name=value`', value));
        }
        break;
      case 'user':
        headers.push({ name: 'Authorization', value: ['Basic ', value], at: value });
        break;
      case 'cookie':
        if (value.text.includes('=')) headers.push({ name: 'Cookie', value: [value], at: value });
        else problems.push(warning('syntax/curl-option-skipped', `curl cookie file \`${value.text}\` skipped: httprun reads cookies given as \`name=value\``, 'write the cookie as `-b "name=value"`', value));
        break;
      case 'user-agent':
        headers.push({ name: 'User-Agent', value: [value], at: value });
        break;
      case 'referer':
        headers.push({ name: 'Referer', value: [value], at: value });
        break;
      case 'url':
        if (url === null) url = value;
        break;
      case 'timeout':
      case 'connection-timeout':
        metadata.push({ key: action, value: `${value.text} s`, at: value });
        break;
      case 'retry':
        metadata.push({ key: 'retry', value: value.text, at: value });
        break;
      case 'bearer':
        headers.push({ name: 'Authorization', value: ['Bearer ', value], at: value });
        break;
      case 'upload':
        upload = value;
        break;
      case 'url-query': {
        const encoded = urlEncoded(value, problems);
        if (encoded !== null) query.push(encoded);
        break;
      }
    }
  }

  const has = (name: string): boolean => headers.some((header) => header.name.toLowerCase() === name);
  let body: CurlBodyPart[] | null = null;
  let urlText: CurlText | null = url === null ? null : [url];
  if (form.length > 0) {
    form.push({ kind: 'text', text: [`--${FORM_BOUNDARY}--`] });
    body = form;
    if (!has('content-type')) headers.push({ name: 'Content-Type', value: [`multipart/form-data; boundary=${FORM_BOUNDARY}`], at: first });
  } else if (data.length > 0 || dataFile !== null) {
    const joined: CurlText = data.flatMap((text, index) => (index === 0 ? text : ['&', ...text]));
    if (get && urlText !== null && dataFile === null) {
      urlText = [...urlText, url!.text.includes('?') ? '&' : '?', ...joined];
    } else {
      body = dataFile !== null ? [{ kind: 'file', path: dataFile }] : [{ kind: 'text', text: joined }];
      if (!has('content-type')) headers.push({ name: 'Content-Type', value: [json ? 'application/json' : 'application/x-www-form-urlencoded'], at: first });
      if (json && !has('accept')) headers.push({ name: 'Accept', value: ['application/json'], at: first });
    }
  } else if (upload !== null) {
    body = [{ kind: 'file', path: upload }];
  }
  if (query.length > 0 && urlText !== null) {
    const hasQuery = urlText.some((item) => (typeof item === 'string' ? item : item.text).includes('?'));
    urlText = [...urlText, hasQuery ? '&' : '?', ...query.flatMap((text, index) => (index === 0 ? text : ['&', ...text]))];
  }
  if (urlText === null) {
    problems.push(error('syntax/curl-missing-url', 'this curl command has no URL', 'write the URL after `curl` (`curl https://example.com/items`)', first));
  }
  return {
    method: method ?? (head ? 'HEAD' : upload !== null && form.length === 0 && data.length === 0 && dataFile === null ? 'PUT' : body !== null ? 'POST' : 'GET'),
    url: urlText,
    headers,
    body,
    metadata,
    problems,
  };
}

/** `-XPOST` → ['-X', 'POST']; `--data` → ['--data', null]; a non-option → [null, null] (`--` alone is read before). */
function splitOption(text: string): [string | null, string | null] {
  if (text.startsWith('--')) return [text, null];
  if (!text.startsWith('-') || text.length < 2) return [null, null];
  const option = text.slice(0, 2);
  return [option, text.length > 2 ? text.slice(2) : null];
}

/**
 * `--data-urlencode`: `content`, `=content` and `name=content` (content percent-encoded, the name as
 * written). The content stays a word: its placeholders are rendered first and the result encoded,
 * as curl encodes the text the shell hands it (`pw={{pw}}` sends the password, not `%7B%7Bpw%7D%7D`).
 */
function urlEncoded(value: CurlWord, problems: CurlProblem[]): CurlText | null {
  const text = value.text;
  const equals = text.indexOf('=');
  if (text.includes('@') && (equals === -1 || text.indexOf('@') < equals)) {
    problems.push(warning('syntax/curl-option-skipped', `curl \`--data-urlencode ${text}\` skipped: httprun does not read its file form`, 'put the text itself after --data-urlencode', value));
    return null;
  }
  const content = (from: number): CurlWord => ({ text: text.slice(from), line: value.line, column: value.column + from, percentEncoded: true });
  if (equals === -1) return [content(0)];
  if (equals === 0) return [content(1)];
  return [{ text: text.slice(0, equals), line: value.line, column: value.column }, '=', content(equals + 1)];
}

/**
 * `-F name=value`, `-F name=@file[;type=...][;filename=...]`, `-F name=<file`: one multipart part
 * each, as text and file body parts (prepare-request puts CRLF between parts and in text).
 */
function formField(value: CurlWord, special: boolean): CurlBodyPart[] {
  const text = value.text;
  const equals = text.indexOf('=');
  const name = equals === -1 ? text : text.slice(0, equals);
  const content = equals === -1 ? '' : text.slice(equals + 1);
  const opening = `--${FORM_BOUNDARY}\nContent-Disposition: form-data; name="${name}"`;
  const contentColumn = value.column + equals + 1;
  // `<<NAME>>` is a secret, not curl's `<file` (which would read a file named `<NAME>>`).
  if (special && (content.startsWith('@') || (content.startsWith('<') && !startsWithSecret(content)))) {
    const [path = '', ...params] = content.slice(1).split(';');
    const attributes = new Map(params.map((param) => [param.slice(0, param.indexOf('=')).trim(), param.slice(param.indexOf('=') + 1).trim()]));
    const filename = content.startsWith('@') ? (attributes.get('filename') ?? path.split(/[\\/]/).pop() ?? path) : null;
    const type = attributes.get('type');
    const headers = `${opening}${filename === null ? '' : `; filename="${filename}"`}${type === undefined ? '' : `\nContent-Type: ${type}`}\n`;
    return [
      { kind: 'text', text: [headers] },
      { kind: 'file', path: { text: path, line: value.line, column: contentColumn + 1 } },
    ];
  }
  return [{ kind: 'text', text: [`${opening}\n\n`, { text: content, line: value.line, column: contentColumn }] }];
}

/** A word, or a shell operator (`&`, `|`, `;`, `(` ...) where the command would end in a shell. */
type ShellWord = CurlWord | { op: string };

/**
 * The command's words with where each starts. Lines joined as the shell joins them (a trailing `\`
 * and its line break vanish; inside quotes a line break stays); `$NAME` stays as written (httprun
 * never reads the shell's environment through a curl command; `{{$uuid}}` must survive).
 */
function wordsOf(lines: readonly { line: number; text: string }[]): ShellWord[] {
  let command = '';
  const starts: { offset: number; line: number }[] = [];
  for (const { line, text } of lines) {
    starts.push({ offset: command.length, line });
    command += CONTINUED.test(text) ? text.slice(0, -1) : `${text}\n`;
  }
  const positionOf = (offset: number): { line: number; column: number } => {
    let at = 0;
    while (at + 1 < starts.length && starts[at + 1]!.offset <= offset) at++;
    return { line: starts[at]!.line, column: offset - starts[at]!.offset };
  };
  const parsed = shellWords(command, (name) => `$${name}`);
  const words: ShellWord[] = [];
  let cursor = 0;
  for (const entry of parsed) {
    if (typeof entry === 'object' && 'comment' in entry) break;
    // An unquoted `*` or `?` (a URL's query) is a glob to the shell; curl gets it as written.
    const text = typeof entry === 'string' ? entry : entry.op === 'glob' ? entry.pattern : null;
    if (text === null) {
      words.push({ op: typeof entry === 'object' && 'op' in entry ? entry.op : '?' });
      continue;
    }
    // Where the word's text stands: found as written (after an opening quote, if any); a word
    // with escapes is placed at the next non-blank character.
    const found = command.indexOf(text, cursor);
    const skipped = command.slice(cursor).search(/\S/);
    const next = skipped === -1 ? cursor : cursor + skipped;
    const offset = found !== -1 && found - next <= 2 ? found : next;
    cursor = Math.max(cursor, offset + (found === offset ? text.length : 1));
    while (command[cursor] === "'" || command[cursor] === '"') cursor++; // its closing quote
    words.push({ text, ...positionOf(offset) });
  }
  return words;
}

function skippedOption(option: string, at: CurlWord): CurlProblem {
  return warning(
    'syntax/curl-option-skipped',
    `curl option \`${option}\` skipped: httprun does not read it`,
    'httprun reads -X, -H, -d, --data-*, --json, -F, -T, -u, -b, -A, -e, --url, --url-query, --oauth2-bearer, -I, -G, -m, --connect-timeout, --retry and -k',
    at,
  );
}

function operatorProblem(op: string, first: CurlWord): CurlProblem {
  return error(
    'syntax/curl-shell-operator',
    `\`${op}\` in a curl command is a shell operator: httprun reads one curl command and stops here`,
    'quote the argument that holds it (`curl "https://example.com/?a=1&b=2"`)',
    first,
  );
}

function error(code: string, message: string, hint: string, at: CurlWord): CurlProblem {
  return { severity: 'error', code, message, hint, at };
}

function warning(code: string, message: string, hint: string, at: CurlWord): CurlProblem {
  return { severity: 'warning', code, message, hint, at };
}
