import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request as undiciRequest } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import type { Exchange } from '../src/execute/exchange.js';
import { compileScript } from '../src/script/compile-script.js';
import {
  runPreRequestScript,
  runResponseScript,
  type ScriptHost,
  type ScriptRequest,
} from '../src/script/run-script.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function serve(handler: RequestListener): Promise<string> {
  const started = (server = createServer(handler).listen(0, '127.0.0.1'));
  await once(started, 'listening');
  return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
}

/** A real exchange: the request goes to a node:http server on 127.0.0.1 through undici. */
async function fetchExchange(
  handler: RequestListener,
  init: { method?: string; path?: string; headers?: [string, string][]; body?: string } = {},
): Promise<Exchange> {
  const base = await serve(handler);
  const url = `${base}${init.path ?? '/'}`;
  const method = init.method ?? 'GET';
  const headers = init.headers ?? [];
  const started = performance.now();
  const response = await undiciRequest(url, {
    method: method as 'GET',
    headers: headers.flat(),
    body: init.body ?? null,
  });
  const body = Buffer.from(await response.body.arrayBuffer());
  const received: [string, string][] = [];
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) received.push([name, one]);
  }
  return {
    request: { method, url, headers, body: init.body === undefined ? null : Buffer.from(init.body) },
    response: {
      status: response.statusCode,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: received,
      body,
      url,
      redirects: [],
      durationMs: performance.now() - started,
    },
  };
}

function json(status: number, value: unknown, type = 'application/json; charset=utf-8'): RequestListener {
  return (_request, response) => {
    response.writeHead(status, { 'Content-Type': type });
    response.end(JSON.stringify(value));
  };
}

function host(overrides: Partial<ScriptHost> = {}): ScriptHost {
  return {
    globals: new Map(),
    variable: (name) => ({ user: 'ada', id: '7' })[name],
    environment: (name) => ({ baseUrl: 'http://api.test' })[name],
    file: 'api.http',
    line: 10,
    column: 5,
    timeoutMs: 1000,
    ...overrides,
  };
}

const aRequest: ScriptRequest = {
  method: 'POST',
  url: 'http://api.test/users?x=1',
  headers: [['Content-Type', 'application/json'], ['X-Trace', 'a'], ['x-trace', 'b']],
  body: '{"name":"ada"}',
};

const pre = (code: string, options: Partial<ScriptHost> = {}) => runPreRequestScript(code, host(options), aRequest);

describe('client.global', () => {
  test('set, get, isEmpty, clear and clearAll work on the shared map', () => {
    const shared = host();
    const outcome = runPreRequestScript(
      [
        'client.log(client.global.isEmpty(), client.global.get("nothing"));',
        'client.global.set("token", "abc");',
        'client.global.set("count", 5);',
        'client.global.set("user", { id: 1 });',
        'client.global.set("gone", "x"); client.global.clear("gone");',
        'client.log(client.global.isEmpty(), client.global.get("token"), client.global.get("count"));',
      ].join('\n'),
      shared,
      aRequest,
    );
    expect(outcome.error).toBeNull();
    expect(outcome.logs).toEqual(['true null', 'false abc 5']);
    expect([...shared.globals]).toEqual([['token', 'abc'], ['count', '5'], ['user', '{"id":1}']]);

    const later = runPreRequestScript('client.log(client.global.get("token")); client.global.clearAll();', shared, aRequest);
    expect(later.logs).toEqual(['abc']);
    expect(shared.globals.size).toBe(0);
  });

  test('setting null or undefined removes the name', () => {
    const shared = host({ globals: new Map([['a', '1'], ['b', '2']]) });
    runPreRequestScript('client.global.set("a", null); client.global.set("b", undefined);', shared, aRequest);
    expect(shared.globals.size).toBe(0);
  });
});

describe('client.test, client.assert, client.log, client.exit', () => {
  test('each client.test is a test; a failed assert or a throw fails only that test', () => {
    const outcome = pre(
      [
        'client.test("status ok", function () {',
        '  client.assert(true, "never shown");',
        '});',
        'client.test("has id", function () {',
        '  client.assert(false, "No id in response");',
        '  client.log("not reached");',
        '});',
        'client.test("throws", () => {',
        '  const body = null;',
        '  body.id;',
        '});',
        'client.test("no function");',
        'client.log("after the tests");',
      ].join('\n'),
      { column: 1 },
    );
    expect(outcome.error).toBeNull();
    expect(outcome.tests).toEqual([
      { name: 'status ok', passed: true, line: 10 },
      { name: 'has id', passed: false, message: 'No id in response', line: 13 },
      {
        name: 'throws',
        passed: false,
        message: "TypeError: Cannot read properties of null (reading 'id') (at api.http:19:8)",
        line: 17,
      },
      { name: 'no function', passed: false, message: 'client.test("no function", ...) needs a function as its second argument', line: 21 },
    ]);
    expect(outcome.logs).toEqual(['after the tests']);
  });

  test('client.assert outside a test is an anonymous failed test and the script goes on', () => {
    const outcome = pre('client.assert(1 === 1, "fine");\nclient.assert(1 === 2, "one is not two");\nclient.assert(0);\nclient.log("went on")');
    expect(outcome.tests).toEqual([
      { name: 'one is not two', passed: false, message: 'one is not two', line: 11 },
      { name: 'Assertion failed', passed: false, message: 'Assertion failed', line: 12 },
    ]);
    expect(outcome.logs).toEqual(['went on']);
    expect(outcome.error).toBeNull();
  });

  test('client.log writes strings as they are and other values as JSON', () => {
    const outcome = pre('client.log("plain", 3, { a: [1, "x"] }, null, undefined, true);\nclient.log();');
    expect(outcome.logs).toEqual(['plain 3 {"a":[1,"x"]} null undefined true', '']);
  });

  test('client.exit stops the script without an error, also inside a test', () => {
    const outcome = pre('client.log("one");\nclient.test("t", () => { client.exit(); });\nclient.log("two");');
    expect(outcome).toMatchObject({ logs: ['one'], tests: [], error: null });
  });

  test('a trailing line comment and a "use strict" directive are kept as written', () => {
    expect(pre('client.log("a") // done')).toMatchObject({ logs: ['a'], error: null });
    expect(pre('"use strict";\nundeclared = 1;').error).toBe(
      'api.http:11:12: JetBrains script failed: ReferenceError: undeclared is not defined',
    );
  });

  test('a top-level return ends the script quietly', () => {
    expect(pre('if (!client.global.get("x")) return;\nclient.log("no")')).toMatchObject({ logs: [], error: null });
  });
});

describe('request in a pre-request script', () => {
  test('variables, environment, method, url, body and headers', () => {
    const outcome = pre(
      [
        'client.log(request.variables.get("user"), request.variables.get("unknown"));',
        'request.variables.set("timestamp", 1700000000);',
        'client.log(request.variables.get("timestamp"));',
        'client.log(request.environment.get("baseUrl"), request.environment.get("nope"));',
        'client.log(request.method, request.url.getRaw(), request.url.tryGetSubstituted());',
        'client.log(request.body.getRaw(), request.body.tryGetSubstituted());',
        'client.log(request.headers.findByName("x-TRACE").getRawValue(), request.headers.findByName("x-trace").name);',
        'client.log(request.headers.findByName("Accept"));',
        'client.log(request.headers.all().map(h => h.name + "=" + h.tryGetSubstitutedValue()).join(","));',
      ].join('\n'),
    );
    expect(outcome.error).toBeNull();
    expect(outcome.logs).toEqual([
      'ada null',
      '1700000000',
      'http://api.test null',
      'POST http://api.test/users?x=1 http://api.test/users?x=1',
      '{"name":"ada"} {"name":"ada"}',
      'a X-Trace',
      'null',
      'Content-Type=application/json,X-Trace=a,x-trace=b',
    ]);
    expect([...outcome.variables]).toEqual([['timestamp', '1700000000']]);
  });

  test('there is no response before the request is sent', () => {
    expect(pre('client.log(response.status)').error).toBe(
      'api.http:10:16: JetBrains script failed: ReferenceError: response is not defined',
    );
  });
});

describe('response in a response handler', () => {
  test('status, JSON body parsed, headers and content type', async () => {
    const exchange = await fetchExchange((_request, response) => {
      response.setHeader('Set-Cookie', ['a=1', 'b=2']);
      response.setHeader('X-Request-Id', 'r-42');
      json(201, { id: 7, items: [{ name: 'x' }], token: 'abc' })(_request, response);
    });
    const outcome = runResponseScript(
      [
        'client.log(response.status, typeof response.body, response.body.id, response.body.items[0].name);',
        'client.log(response.headers.valueOf("x-request-ID"), response.headers.valueOf("Set-Cookie"), response.headers.valueOf("missing"));',
        'client.log(response.headers.valuesOf("set-cookie"), response.headers.valuesOf("missing"));',
        'client.log(response.contentType.mimeType, response.contentType.charset);',
        'client.global.set("token", response.body.token);',
      ].join('\n'),
      host(),
      exchange,
    );
    expect(outcome.error).toBeNull();
    expect(outcome.logs).toEqual([
      '201 object 7 x',
      'r-42 a=1 null',
      '["a=1","b=2"] []',
      'application/json utf-8',
    ]);
  });

  test('a +json type is parsed too; a broken JSON body and other types stay text', async () => {
    const problem = await fetchExchange(json(400, { title: 'bad' }, 'application/problem+json'));
    expect(runResponseScript('client.log(response.body.title)', host(), problem).logs).toEqual(['bad']);

    const broken = await fetchExchange((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"cut":');
    });
    expect(runResponseScript('client.log(typeof response.body, response.body)', host(), broken).logs).toEqual(['string {"cut":']);
  });

  test('a text body is decoded by its charset and keeps its string methods', async () => {
    const exchange = await fetchExchange((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=ISO-8859-1' });
      response.end(Buffer.from(' Grüße ', 'latin1'));
    });
    const outcome = runResponseScript(
      'client.log(response.body.trim(), response.contentType.mimeType, response.contentType.charset)',
      host(),
      exchange,
    );
    expect(outcome.logs).toEqual(['Grüße text/plain iso-8859-1']);
  });

  test('without a Content-Type the mime type is empty and the body is text', async () => {
    const exchange = await fetchExchange((_request, response) => {
      response.removeHeader('Content-Type');
      response.end('{"id":1}');
    });
    const outcome = runResponseScript('client.log(JSON.stringify(response.contentType.mimeType), typeof response.body)', host(), exchange);
    expect(outcome.logs).toEqual(['"" string']);
  });

  test('the request is the one that was sent', async () => {
    const exchange = await fetchExchange(json(200, {}), {
      method: 'PUT',
      path: '/items/3',
      headers: [['X-Token', 't1']],
      body: 'name=x',
    });
    const outcome = runResponseScript(
      'client.log(request.method, request.url.getRaw(), request.body.getRaw(), request.headers.findByName("x-token").getRawValue())',
      host(),
      exchange,
    );
    expect(outcome.logs).toEqual([`PUT ${exchange.request.url} name=x t1`]);
  });

  test('the form most committed files use: a test block and a token for the next request', async () => {
    const exchange = await fetchExchange(json(200, { access_token: 'tok-1' }));
    const code = `
client.test("Request executed successfully", function() {
  client.assert(response.status === 200, "Response status is not 200");
});
client.test("Response content-type is json", function() {
  var type = response.contentType.mimeType;
  client.assert(type === "application/json", "Expected 'application/json' but received '" + type + "'");
});
client.global.set("auth_token", response.body.access_token);
`;
    const shared = host();
    const outcome = runResponseScript(code, shared, exchange);
    expect(outcome.tests.map((t) => [t.name, t.passed])).toEqual([
      ['Request executed successfully', true],
      ['Response content-type is json', true],
    ]);
    expect(shared.globals.get('auth_token')).toBe('tok-1');
  });

  test('a handler from its own file reports lines of that file', async () => {
    const path = fileURLToPath(new URL('./fixtures/script/handler.js', import.meta.url));
    const exchange = await fetchExchange(json(200, { token: 'from-file' }));
    const shared = host({ file: path, line: 1, column: 1 });
    const outcome = runResponseScript(readFileSync(path, 'utf8'), shared, exchange);
    expect(outcome.tests).toEqual([{ name: 'token issued', passed: true, line: 2 }]);
    expect(outcome.logs).toEqual(['token stored']);
    expect(shared.globals.get('token')).toBe('from-file');
    expect(outcome.error).toBe(
      `${path}:8:23: JetBrains script failed: TypeError: Cannot read properties of undefined (reading 'field')`,
    );
  });
});

describe('unsupported API', () => {
  test('an unknown member of client, request or response stops the script with a located message', async () => {
    expect(pre('client.log("before");\n  client.global.headers.set("X", "1");\nclient.log("after")')).toMatchObject({
      logs: ['before'],
      error:
        'api.http:11:17: JetBrains script API "client.global.headers" is not supported by httprun ' +
        '(supported: client.global.set, client.global.get, client.global.isEmpty, client.global.clear, client.global.clearAll)',
    });
    expect(pre('request.iteration()').error).toBe(
      'api.http:10:13: JetBrains script API "request.iteration" is not supported by httprun ' +
        '(supported: request.method, request.url, request.body, request.headers, request.variables, request.environment)',
    );
    expect(pre('client.variables.file.get("x")').error).toBe(
      'api.http:10:12: JetBrains script API "client.variables" is not supported by httprun ' +
        '(supported: client.global, client.test, client.assert, client.log, client.exit)',
    );
    const exchange = await fetchExchange(json(200, { a: 1 }));
    expect(runResponseScript('response.cookies', host(), exchange).error).toBe(
      'api.http:10:14: JetBrains script API "response.cookies" is not supported by httprun ' +
        '(supported: response.status, response.body, response.headers, response.contentType)',
    );
  });

  test('streaming bodies, require and the JetBrains globals are named too', async () => {
    const exchange = await fetchExchange(json(200, { a: 1 }));
    expect(runResponseScript('response.body.onEachLine((line) => client.log(line))', host(), exchange).error).toBe(
      'api.http:10:19: JetBrains script API "response.body.onEachLine" is not supported by httprun ' +
        '(supported: response.status, response.body, response.headers, response.contentType)',
    );
    expect(pre('const fs = require("fs")').error).toBe(
      'api.http:10:16: JetBrains script API "require" is not supported by httprun (supported: client, request)',
    );
    expect(pre('crypto.sha256()').error).toMatch(/^api\.http:10:5: JetBrains script API "crypto" is not supported/);
    expect(pre('$random.uuid').error).toMatch(/JetBrains script API "\$random" is not supported/);
    expect(pre('jsonPath({}, "$.a")').error).toMatch(/JetBrains script API "jsonPath" is not supported/);
  });

  test('assigning to an API object is reported the same way', () => {
    expect(pre('client.global.test = "kulala style"').error).toMatch(
      /^api\.http:10:24: JetBrains script API "client\.global\.test = \.\.\." is not supported by httprun/,
    );
  });

  test('the message stands even when the script catches the stop', () => {
    const outcome = pre('try { client.foo(); } catch (e) { client.log("caught: " + e.message); }\nclient.log("went on");');
    expect(outcome.error).toBe(
      'api.http:10:18: JetBrains script API "client.foo" is not supported by httprun ' +
        '(supported: client.global, client.test, client.assert, client.log, client.exit)',
    );
    expect(outcome.logs).toEqual(['caught: JetBrains script API "client.foo" is not supported by httprun', 'went on']);
  });

  test('the Proxies keep typeof, in, JSON.stringify, String and Object.keys working', () => {
    const outcome = pre(
      [
        'client.log(typeof client, typeof client.test, typeof client.global.set, "set" in client.global, "nope" in client);',
        'client.log(JSON.stringify(client.global), JSON.stringify(request.url), String(client), Object.keys(request.variables));',
        'client.log(client.hasOwnProperty("log"), client.toString === Object.prototype.toString, client.toJSON);',
        'client.log(`${client.global}`, client[Symbol.toPrimitive], Object.prototype.toString.call(request));',
      ].join('\n'),
    );
    expect(outcome.error).toBeNull();
    expect(outcome.logs).toEqual([
      'object function function true false',
      '{} {} [object Object] ["get","set"]',
      'true true undefined',
      '[object Object] undefined [object Object]',
    ]);
  });
});

describe('located errors', () => {
  test('a syntax error points at its line and column in the file', () => {
    expect(pre('client.log("a");\nclient.log("b" "c");')).toMatchObject({
      logs: [],
      error: 'api.http:11:12: syntax error in JetBrains script: missing ) after argument list',
    });
    // On the script's first line the column counts from the start of the code.
    expect(pre(' client.log(;').error).toBe("api.http:10:17: syntax error in JetBrains script: Unexpected token ';'");
  });

  test('code that would close the wrapper function is a syntax error, not an escape', () => {
    expect(pre('}); client.log("outside"); (function () {').error).toBe(
      "api.http:10:5: syntax error in JetBrains script: Unexpected token '}'",
    );
  });

  test('an error thrown by the script names the throwing line', () => {
    const outcome = pre('client.log("start");\nconst list = [];\n\nthrow new Error("no items in " + JSON.stringify(list));');
    expect(outcome).toMatchObject({
      logs: ['start'],
      error: 'api.http:13:7: JetBrains script failed: Error: no items in []',
    });
    expect(pre('function f() {\n  return missing + 1;\n}\nf();').error).toBe(
      'api.http:11:3: JetBrains script failed: ReferenceError: missing is not defined',
    );
  });

  test('a thrown non-Error has no stack: the script start is named', () => {
    expect(pre('\n\nthrow "plain text";').error).toBe('api.http:10:5: JetBrains script failed: threw plain text');
    expect(pre('throw { code: 7 };').error).toBe('api.http:10:5: JetBrains script failed: threw {"code":7}');
  });

  test('a multi-line error message is folded onto one line', () => {
    expect(pre('throw new Error("first\\n  second")').error).toBe('api.http:10:11: JetBrains script failed: Error: first second');
  });

  test('an endless loop is stopped after the timeout', () => {
    const started = performance.now();
    const outcome = pre('client.log("start");\nwhile (true) {}', { timeoutMs: 100 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(outcome).toMatchObject({
      logs: ['start'],
      error: 'api.http:10:5: JetBrains script did not finish within 100 ms and was stopped (an endless loop?)',
    });
    // An endless loop inside a test callback is stopped the same way.
    expect(pre('client.test("t", () => { for (;;) {} });', { timeoutMs: 100 }).error).toMatch(/did not finish within 100 ms/);
  });

  test('kulala Lua scripts are named as such', () => {
    expect(pre('-- lua\nclient.log("x")').error).toBe(
      'api.http:10:5: this is a kulala Lua script (-- lua); httprun runs JavaScript scripts only',
    );
  });
});

describe('isolation (globals only: node:vm is not a security boundary)', () => {
  test('no process, require, Buffer, timers or host globals', () => {
    (globalThis as Record<string, unknown>).hostOnly = 'secret';
    try {
      const outcome = pre(
        'client.log(typeof process, typeof Buffer, typeof setTimeout, typeof queueMicrotask, typeof globalThis.hostOnly, typeof module, typeof exports);',
      );
      expect(outcome.logs).toEqual(['undefined undefined undefined undefined undefined undefined undefined']);
    } finally {
      delete (globalThis as Record<string, unknown>).hostOnly;
    }
  });

  test('constructor tricks reach only the script realm, where code generation is off', () => {
    const tricks = [
      'client.log.constructor.constructor("return process")()',
      'client.constructor.constructor("return process")()',
      'request.headers.all().constructor.constructor("return process")()',
      'this.constructor.constructor("return process")()',
      'globalThis.constructor.constructor("return process")()',
      'Object.getPrototypeOf(globalThis).constructor.constructor("return process")()',
      'client.global.get.call.constructor("return this")()',
      'eval("1")',
    ];
    for (const trick of tricks) {
      expect(pre(trick).error, trick).toMatch(/EvalError: Code generation from strings disallowed for this context$/);
    }
    // The API's values are the script realm's own objects.
    expect(pre('client.log(request.headers.all() instanceof Array, client.log instanceof Function, Object.getPrototypeOf(client) === Object.prototype)').logs).toEqual([
      'true true true',
    ]);
  });

  test('stack frames of host code give the script neither their this nor their function', () => {
    const outcome = pre(`
Error.prepareStackTrace = (error, frames) => frames;
const found = [];
for (const frame of new Error().stack) {
  if (frame.getFileName() === "api.http") continue;
  for (const value of [frame.getThis(), frame.getFunction()]) {
    if (value !== undefined) found.push(String(frame.getFileName()));
  }
}
client.log(found.length);`);
    expect(outcome).toMatchObject({ logs: ['0'], error: null });
  });

  test('runaway recursion ends the script with a located message', () => {
    expect(pre('function down() { return down() + 1; }\ndown();').error).toBe(
      'api.http:10:23: JetBrains script failed: RangeError: Maximum call stack size exceeded',
    );
  });

  test('a script cannot change the host or the next script', () => {
    pre('Object.prototype.polluted = "yes"; Array.prototype.push = null; globalThis.leftOver = 1; JSON.parse = null;');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof [].push).toBe('function');
    expect(pre('client.log(typeof leftOver, ({}).polluted, typeof JSON.parse)').logs).toEqual(['undefined undefined function']);
  });

  test('async code is refused before it runs: a rejected promise would reach the host process', () => {
    expect(pre('client.log("x");\nconst load = async () => { throw new Error("late"); };\nload();')).toMatchObject({
      logs: [],
      error:
        'api.http:11:14: async functions cannot run in JetBrains scripts under httprun: scripts run synchronously ' +
        '(a rejected promise would escape the script)',
    });
    expect(pre('import("node:fs")').error).toMatch(/^api\.http:10:5: import\(\) cannot run in JetBrains scripts under httprun/);
    expect(pre('Promise.reject(new Error("late"))').error).toMatch(/^api\.http:10:5: JetBrains script API "Promise" is not supported/);
    expect(pre('new FinalizationRegistry(() => {})').error).toMatch(/ReferenceError: FinalizationRegistry is not defined$/);
  });
});

describe('compiling', () => {
  test('each distinct script is compiled once per place', () => {
    const origin = { file: 'cache.http', line: 3, column: 4 };
    const first = compileScript('client.log(1)', origin);
    expect(compileScript('client.log(1)', { ...origin })).toBe(first);
    expect(compileScript('client.log(1)', { ...origin, line: 4 })).not.toBe(first);
    expect(compileScript('client.log(2)', origin)).not.toBe(first);
  });

  test('a thousand runs of one script stay well under a few milliseconds each', () => {
    const shared = host();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      runPreRequestScript('client.global.set("n", client.global.get("n") === null ? 1 : Number(client.global.get("n")) + 1);', shared, aRequest);
    }
    expect(shared.globals.get('n')).toBe('1000');
    expect((performance.now() - started) / 1000).toBeLessThan(10);
  });
});
