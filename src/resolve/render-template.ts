import { editDistance } from '../edit-distance.js';
import type { Span } from '../diagnostics.js';
import type { DynamicContext, DynamicResult } from './dynamic.js';
import { evaluateDynamic } from './dynamic.js';
import type { RequestNode, Template, VariableNode } from '../syntax/ast.js';
import { parseTemplate } from '../syntax/parse.js';
import { bindRequest, hasRequestNamed, parseRequestReference } from './request-reference.js';
import { lookupEnvironment, lookupVariable, type Binding, type VariableTable } from './variable-table.js';

export interface Problem {
  code: string;
  message: string;
  span: Span;
  hint?: string;
}

export type ReferenceValue = { value: unknown; text?: string } | { error: string };

export interface RenderContext {
  table: VariableTable;
  requests: readonly RequestNode[];
  /** Requests of imported files (`import ./auth.http`, `# @import`): referenced by name after local ones. */
  imported: readonly RequestNode[];
  dynamic: DynamicContext;
  /** `<<NAME>>`: process environment, then .env files, then the private env file. */
  secret(name: string): string | undefined;
  /** Reads a response that already arrived; null when `static` (check, dry run). */
  readReference: ((request: RequestNode, path: string) => ReferenceValue) | null;
  /** Names set by JetBrains scripts somewhere in the file: defined for the static check. */
  scriptNames: ReadonlySet<string>;
  /** Names marked `# @secret name`: their values are masked once resolved. */
  secretNames: ReadonlySet<string>;
  /** Called with every secret value that went into the output. */
  onSecret(name: string, value: string): void;
  /**
   * Static pass only (`check`): each distinct `{{$name args}}` is evaluated once and its value reused.
   * Whether it errs depends only on its name and arguments; a render that used one is volatile, so
   * its text is never sent; a 5 MB file made ~17k UUIDs and timestamps nobody read.
   */
  dynamicMemo?: Map<string, DynamicResult>;
  /**
   * Static pass only: the request whose line, headers and body are being rendered. Its own response
   * does not exist before it is sent, so a reference to it there can never resolve.
   */
  sending?: RequestNode;
}

export interface Rendered {
  text: string;
  problems: Problem[];
  /** Requests whose response this text needs (dependencies). */
  references: RequestNode[];
  /**
   * True when the text may differ at send time from a static render: it used a secret, a dynamic
   * value, a request reference, a name a script may set, or nothing defined it. A render that is
   * not volatile depends only on the file, --var and the environment, so the run may reuse it.
   */
  volatile: boolean;
}

const MAX_DEPTH = 32;

/** Turns a template into text. Collects every problem instead of stopping at the first. */
export function renderTemplate(template: Template, context: RenderContext, atLine = template.span.start.line): Rendered {
  const out: Rendered = { text: '', problems: [], references: [], volatile: false };
  out.text = renderInto(template, context, atLine, out, []);
  return out;
}

/**
 * Renders into a caller's accumulator: its problems and references are appended (a reference once),
 * `volatile` is set when the text may differ at send time. For a request's many templates, one
 * accumulator instead of one result object and two arrays each.
 */
export function renderTemplateInto(template: Template, context: RenderContext, atLine: number, out: Rendered): string {
  const parts = template.parts;
  if (parts.length === 1 && parts[0]!.kind === 'text') return parts[0]!.value;
  return renderInto(template, context, atLine, out, []);
}

function renderInto(template: Template, context: RenderContext, atLine: number, out: Rendered, stack: string[]): string {
  let text = '';
  for (const part of template.parts) {
    const before = text.length;
    switch (part.kind) {
      case 'text':
        text += part.value;
        break;
      case 'secret': {
        out.volatile = true;
        const value = context.secret(part.name);
        if (value === undefined) {
          out.problems.push({
            code: 'resolve/missing-secret',
            message: `missing secret <<${part.name}>>`,
            span: part.span,
            hint: `set ${part.name} in the environment or in a .env file beside the request file`,
          });
          text += `<<${part.name}>>`;
        } else {
          context.onSecret(part.name, value);
          text += value;
        }
        break;
      }
      case 'dynamic': {
        out.volatile = true;
        const indirect = indirectArgs(part.name, part.args, context);
        const args = indirect?.args ?? part.args;
        const result = context.dynamicMemo === undefined ? evaluateDynamic(part.name, args, context.dynamic) : memoDynamic(part.name, args, context);
        if ('error' in result) {
          const message = indirect === undefined ? result.error : `${indirect.via}; ${result.error}`;
          out.problems.push({ code: 'resolve/dynamic-variable', message, span: part.span });
          text += `{{$${part.name}${part.args ? ' ' + part.args : ''}}}`;
        } else {
          const secret = environmentSecretName(part.name, args, context);
          if (secret !== null && result.value !== '') context.onSecret(secret, result.value);
          text += result.value;
        }
        break;
      }
      case 'expression':
        out.volatile = true;
        out.problems.push({
          code: 'resolve/expression',
          message: `{{${part.code}}} is a script expression; httprun never evaluates code in {{ }}`,
          span: part.span,
          hint: 'use a plain variable name, a request reference or a $dynamic variable',
        });
        text += `{{${part.code}}}`;
        break;
      case 'variable':
        // REST Client: {{%name}} is the value percent-encoded. A lone surrogate (a `\ud800` JSON
        // escape captured from a response) makes encodeURIComponent throw: it goes out as U+FFFD.
        text += part.name.startsWith('%') && part.name.length > 1
          ? encodeURIComponent(renderVariable(part.name.slice(1), part.span, context, atLine, out, stack).toWellFormed())
          : renderVariable(part.name, part.span, context, atLine, out, stack);
        break;
    }
    // A curl --data-urlencode value: rendered, then encoded, as curl encodes the text it is given.
    if (part.kind !== 'text' && part.percentEncoded === true) text = text.slice(0, before) + encodeURIComponent(text.slice(before).toWellFormed());
  }
  return text;
}

function renderVariable(
  name: string,
  span: Span,
  context: RenderContext,
  atLine: number,
  out: Rendered,
  stack: string[],
): string {
  const binding = outrankedByReference(lookupVariable(context.table, name, atLine), name, context, atLine);
  if (binding === null) {
    out.volatile = true;
    const written = placeholder(name);
    const reference = parseRequestReference(name);
    if (reference) return renderReference(name, reference.request, reference.path, span, context, atLine, out);
    // httpyac names a response body by its request's name: {{login.token}} reads $.token of login's body.
    const shorthand = httpyacReference(name, context);
    if (shorthand) return renderReference(name, shorthand.request, shorthand.path, span, context, atLine, out);
    const property = renderProperty(name, span, context, atLine, out, stack);
    if (property !== null) return property;
    if (context.scriptNames.has(name) && context.readReference === null) return written;
    // httpyac files read the process environment as {{process.env.NAME}}: a look-up, not code.
    const processEnv = /^process\.env\.([A-Za-z_][\w]*)$/.exec(name)?.[1];
    if (processEnv !== undefined) {
      const result = evaluateDynamic('processEnv', processEnv, context.dynamic);
      if ('value' in result) {
        if (result.value !== '' && isDeclaredSecret(processEnv, context)) context.onSecret(processEnv, result.value);
        return result.value;
      }
      out.problems.push({ code: 'resolve/dynamic-variable', message: result.error, span });
      return written;
    }
    out.problems.push({
      code: 'resolve/undefined-variable',
      message: `undefined variable {{${name}}}`,
      span,
      hint: hintFor(name, context, atLine),
    });
    return written;
  }
  // Values a script sets, and names whose values get masked, are only known at send time.
  if (binding.source === 'script' || binding.source === 'private' || context.secretNames.has(name) || context.scriptNames.has(name)) {
    out.volatile = true;
  }
  if (stack.includes(name) && binding.source === 'file' && stack[stack.length - 1] === name) {
    out.volatile = true;
    // A file variable that names itself (`@baseUrl = {{baseUrl}}`) takes the environment's value.
    const below = lookupEnvironment(context.table, name);
    if (below === null) {
      out.problems.push({
        code: 'resolve/undefined-variable',
        message: `undefined variable {{${name}}}: @${name} = {{${name}}} takes ${name} from the environment, and none defines it`,
        span,
        hint: environmentHint(name, context.table.environment),
      });
      return placeholder(name);
    }
    if (below.source === 'private') context.onSecret(name, below.value);
    return below.value.includes('{{') || below.value.includes('<<')
      ? renderNested(parseTemplate(below.value, span), context, atLine, out, stack, name)
      : below.value;
  }
  if (stack.includes(name)) {
    out.problems.push({
      code: 'resolve/variable-cycle',
      message: `variable {{${name}}} refers to itself (${[...stack, name].join(' → ')})`,
      span,
    });
    return placeholder(name);
  }
  if (stack.length >= MAX_DEPTH) {
    out.problems.push({ code: 'resolve/variable-cycle', message: `variables nested deeper than ${MAX_DEPTH} levels`, span });
    return placeholder(name);
  }
  let value: string;
  if (binding.source === 'file') {
    const parts = binding.node.value.parts;
    // Most file variables are plain text (`@host = http://...`): no stack entry, no line of their own.
    value = parts.length === 1 && parts[0]!.kind === 'text'
      ? parts[0]!.value
      : renderNested(binding.node.value, context, binding.node.lazy ? atLine : binding.node.span.start.line, out, stack, name);
  } else if (binding.source === 'cli' || binding.source === 'script') {
    value = binding.value;
  } else {
    // Environment values may hold placeholders of their own ({{host}}/api, <<TOKEN>>).
    value = binding.value.includes('{{') || binding.value.includes('<<')
      ? renderNested(parseTemplate(binding.value, span), context, atLine, out, stack, name)
      : binding.value;
  }
  if (context.secretNames.has(name) && value !== '' && context.readReference !== null) context.onSecret(name, value);
  // JetBrains keeps credentials in http-client.private.env.json and writes them as {{password}}: secrets too.
  else if (binding.source === 'private' && value !== '') context.onSecret(name, value);
  return value;
}

/**
 * The secret a `{{$dotenv NAME}}` or `{{$processEnv NAME}}` (kulala: `{{$env.NAME}}`) reads, or null.
 * A .env file holds secrets (README), so `$dotenv` always reads one: masked, and host-scoped by its
 * name as `<<NAME>>` is. The process environment holds much else (PATH, a base URL): `$processEnv`
 * reads a secret when httprun.yaml's `secrets:` names it, which scopes it to its hosts.
 */
function environmentSecretName(name: string, args: string, context: RenderContext): string | null {
  const variable = name.startsWith('env.') ? name.slice(4) : args.trim();
  if (name === 'dotenv') return variable;
  if (name === 'processEnv' || name.startsWith('env.')) return isDeclaredSecret(variable, context) ? variable : null;
  return null;
}

function isDeclaredSecret(name: string, context: RenderContext): boolean {
  return Object.hasOwn(context.table.environment.config.secrets, name);
}

/** `{{name}}` as written: what a placeholder renders as when it has no value (yet). Built only then. */
function placeholder(name: string): string {
  return `{{${name}}}`;
}

/**
 * httpyac: `@slideshow = {{fooObject.slideshow}}` holds an object and `{{slideshow.author}}` reads a
 * property of it. Here that is a look-up in the variable's JSON value, never code: the longest
 * dotted prefix that is a variable names it, the rest is a path of keys (`items.0.id`).
 * Null when no prefix is a variable (the caller reports the name undefined).
 */
function renderProperty(name: string, span: Span, context: RenderContext, atLine: number, out: Rendered, stack: string[]): string | null {
  const written = `{{${name}}}`;
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const head = name.slice(0, dot);
    const binding = lookupVariable(context.table, head, atLine);
    if (binding === null) {
      // A value a script sets is only there at send time.
      if (context.scriptNames.has(head) && context.readReference === null) return written;
      continue;
    }
    const steps = propertySteps(name.slice(dot + 1));
    if (steps === null) return null;
    const inner: Rendered = { text: '', problems: [], references: out.references, volatile: false };
    const text = renderVariable(head, span, context, atLine, inner, stack);
    out.problems.push(...inner.problems);
    if (inner.volatile) out.volatile = true;
    // Before the run a value that comes from a response is unknown: the run reads it.
    if (inner.problems.length > 0 || (inner.volatile && context.readReference === null)) return written;
    const found = readProperty(text, steps);
    if ('error' in found) {
      out.problems.push({
        code: 'resolve/undefined-variable',
        message: `undefined variable {{${name}}}: {{${head}}} ${found.error}`,
        span,
        hint: `{{${head}.key}} reads a property of a variable that holds a JSON object or array`,
      });
      return written;
    }
    const value = stringifyValue(found.value);
    if (value !== '' && (binding.source === 'private' || context.secretNames.has(head))) context.onSecret(name, value);
    return value;
  }
  return null;
}

/** `author`, `items.0.id`: the keys, or null when one is empty. (`[0]` makes `{{ }}` an expression.) */
function propertySteps(path: string): string[] | null {
  const steps = path.split('.');
  return steps.every((step) => step !== '') ? steps : null;
}

function readProperty(text: string, steps: readonly string[]): { value: unknown } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'holds text, not a JSON object or array' };
  }
  for (let i = 0; i < steps.length; i++) {
    // Arrays have their indexes as own keys: `items.0` reads the first item.
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, steps[i]!)) {
      return { error: `has no ${steps.slice(0, i + 1).join('.')}` };
    }
    value = (value as Record<string, unknown>)[steps[i]!];
  }
  return { value };
}

/** Renders a variable's value with its name on the stack (one stack per render, not a copy per level). */
function renderNested(template: Template, context: RenderContext, atLine: number, out: Rendered, stack: string[], name: string): string {
  stack.push(name);
  const text = renderInto(template, context, atLine, out, stack);
  stack.pop();
  return text;
}

/**
 * REST Client's `{{$processEnv %key}}` / `{{$dotenv %key}}`: the selected environment's value of `key`
 * names the variable to read (so one file reads DEV_SECRET or PROD_SECRET); without one, `key` itself.
 */
function indirectArgs(name: string, args: string, context: RenderContext): { args: string; via: string } | undefined {
  const written = args.trim();
  if ((name !== 'processEnv' && name !== 'dotenv') || !written.startsWith('%')) return undefined;
  const key = written.slice(1).trim();
  const value = lookupEnvironment(context.table, key)?.value;
  return value === undefined
    ? { args: key, via: `$${name} ${written} reads ${key} itself (no environment defines ${key})` }
    : { args: value, via: `$${name} ${written} reads ${value} (the environment's ${key})` };
}

function memoDynamic(name: string, args: string, context: RenderContext): DynamicResult {
  const memo = context.dynamicMemo!;
  const key = `${name}\u0000${args}`;
  let result = memo.get(key);
  if (result === undefined) {
    result = evaluateDynamic(name, args, context.dynamic);
    memo.set(key, result);
  }
  return result;
}

/** A request reference outranks file and environment values spelled like it; only --var beats it (SPEC §4). */
function outrankedByReference(binding: Binding | null, name: string, context: RenderContext, atLine: number): Binding | null {
  if (binding === null || binding.source === 'cli') return binding;
  const reference = parseRequestReference(name);
  return reference !== null && bindRequest(context.requests, reference.request, atLine) !== null ? null : binding;
}

function renderReference(
  written: string,
  requestName: string,
  path: string,
  span: Span,
  context: RenderContext,
  atLine: number,
  out: Rendered,
): string {
  const request = bindRequest(context.requests, requestName, atLine) ?? bindRequest(context.imported, requestName, 0);
  if (request === null) {
    out.problems.push({
      code: 'resolve/unknown-request',
      message: `{{${written}}} refers to a request named "${requestName}", and there is none in this file`,
      span,
      hint: requestNamesHint(context.requests),
    });
    return `{{${written}}}`;
  }
  if (request === context.sending) {
    out.problems.push({
      code: 'resolve/own-response',
      message: `{{${written}}} reads the response of "${requestName}" itself, which does not exist before the request is sent`,
      span,
      hint: 'take the value from an earlier request; to check the response, write an assertion (`?? body $.id exists`)',
    });
    return `{{${written}}}`;
  }
  if (!out.references.includes(request)) out.references.push(request);
  if (context.readReference === null) return `{{${written}}}`;
  const result = context.readReference(request, path);
  if ('error' in result) {
    out.problems.push({ code: 'resolve/reference', message: `{{${written}}}: ${result.error}`, span });
    return '';
  }
  return result.text ?? stringifyValue(result.value);
}

function httpyacReference(name: string, context: RenderContext): { request: string; path: string } | null {
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  if (!hasRequestNamed(context.requests, head) && !hasRequestNamed(context.imported, head)) return null;
  const rest = dot < 0 ? '' : name.slice(dot + 1);
  return { request: head, path: rest === '' ? 'response.body.*' : `response.body.$.${rest}` };
}

/** Values keep their JSON spelling where substituted (numbers stay numbers inside a JSON body). */
export function stringifyValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? String(value);
}

function hintFor(name: string, context: RenderContext, atLine?: number): string {
  // REST Client's `# @prompt name [description]` asks in the editor; a CI run cannot ask.
  const prompt = atLine === undefined ? undefined : context.requests
    .find((request) => request.span.start.line <= atLine && atLine <= request.span.end.line)
    ?.metadata.find((entry) => entry.key === 'prompt' && entry.value.split(/\s/, 1)[0] === name);
  if (prompt !== undefined) {
    return `# @prompt ${name} (line ${prompt.span.start.line}) asks for it in REST Client; httprun never prompts: give it with --var ${name}=...`;
  }
  const names = new Set<string>([
    ...Object.keys(context.table.cliVars),
    ...context.table.fileVariables.map((v: VariableNode) => v.name),
    ...Object.keys(context.table.environment.private),
    ...Object.keys(context.table.environment.public),
    ...Object.keys(context.table.environment.shared),
    ...Object.keys(context.table.environment.dotenv),
  ]);
  const close = [...names].filter((candidate) => similar(candidate, name));
  if (close.length > 0) return `did you mean ${close.slice(0, 3).map((n) => `{{${n}}}`).join(' or ')}?`;
  const env = context.table.environment;
  if (env.name === null && env.available.length > 0) {
    return `define it with @${name} = ..., --var ${name}=..., or select an environment with --env (${env.available.join(', ')})`;
  }
  return `define it with @${name} = ... in the file, in an environment file, or with --var ${name}=...`;
}

/** For `@name = {{name}}`: the file already has its line, so only an environment or --var can help. */
function environmentHint(name: string, env: VariableTable['environment']): string {
  if (env.name === null && env.available.length > 0) {
    return `select an environment with --env (${env.available.join(', ')}), or give it with --var ${name}=...`;
  }
  const where = env.name === null ? 'an environment file (http-client.env.json, httprun.yaml)' : `the environment "${env.name}"`;
  return `define ${name} in ${where}, or give it with --var ${name}=...`;
}

/** Once per list of requests: every unknown reference of a file shows the same hint. */
const namesHints = new WeakMap<readonly RequestNode[], { length: number; hint: string }>();

const REFERABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function requestNamesHint(requests: readonly RequestNode[]): string {
  const known = namesHints.get(requests);
  if (known !== undefined && known.length === requests.length) return known.hint;
  // Only names a placeholder can spell (`{{login.response…}}`): a title with spaces or a `METHOD URL`
  // name is no help.
  const names = [...new Set(requests.map((r) => r.name).filter((name) => REFERABLE_NAME.test(name)))];
  const hint = names.length ? `requests in this file: ${names.slice(0, 8).join(', ')}` : 'name a request with # @name';
  namesHints.set(requests, { length: requests.length, hint });
  return hint;
}

function similar(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 3) return false;
  return editDistance(a.toLowerCase(), b.toLowerCase()) <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 4));
}


