/**
 * The JetBrains script API (`client`, `response`, `request`), as JavaScript source that runs
 * INSIDE each script's vm context.
 *
 * Why the API is built inside the context rather than handed in from the host: an object made in
 * the host realm leads back to the host's `Function` constructor (`client.log.constructor
 * .constructor('return process')()`), and from there to everything. Here every object a script can
 * touch belongs to the context's own realm. The single way out is `bridge`, a host function the
 * installer keeps in a closure (scripts cannot name it). It takes and returns primitives only and
 * never throws, so no host object, error or prototype ever reaches the script. Values from the
 * script are turned into strings here, in the context, so the host never runs script code (which
 * would escape the vm timeout).
 *
 * Unknown members of the API objects are reported through Proxies (created here too), which let
 * symbols, `toJSON`, `then` and the Object.prototype members through, so `typeof`, JSON.stringify,
 * string conversion and console-style inspection keep working.
 *
 * Written as plain ES2020 source, not TypeScript, so no compiler helper can sneak in.
 */
export const SCRIPT_API_FILENAME = 'httprun:jetbrains-script-api';

/** Name of the one-shot global the wrapped user script calls; it deletes itself first. */
export const RUN_HOOK = '__httprun_run';

export const SCRIPT_API_SOURCE = String.raw`(function install(bridge, dataJson) {
  'use strict';
  const G = globalThis;
  const ErrorCtor = G.Error;
  const ProxyCtor = G.Proxy;
  const reflectGet = G.Reflect.get;
  const reflectSet = G.Reflect.set;
  const jsonParse = G.JSON.parse;
  const jsonStringify = G.JSON.stringify;
  const StringCtor = G.String;
  const defineProperty = G.Object.defineProperty;
  const objectKeys = G.Object.keys;
  const data = jsonParse(dataJson);
  ErrorCtor.stackTraceLimit = 30;

  const EXIT = G.Object.freeze({ exit: true });
  const stops = new G.WeakSet();
  const assertionFailures = new G.WeakSet();
  // Keys that generic code probes on any object (JSON.stringify, await, inspectors, test matchers).
  const QUIET = new G.Set(['toJSON', 'then', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType', 'toPrimitive']);

  function plain(value) {
    try { return StringCtor(value); } catch (e) { return '[unprintable value]'; }
  }
  function text(value) {
    if (typeof value === 'string') return value;
    if (value !== null && typeof value === 'object') {
      try { const json = jsonStringify(value); if (typeof json === 'string') return json; } catch (e) { /* fall through */ }
    }
    return plain(value);
  }
  function name(value) { return typeof value === 'string' ? value : plain(value); }
  function here() {
    try { const stack = new ErrorCtor().stack; return typeof stack === 'string' ? stack : ''; } catch (e) { return ''; }
  }
  function stackOf(error) {
    try { const stack = error !== null && typeof error === 'object' ? error.stack : undefined; return typeof stack === 'string' ? stack : ''; }
    catch (e) { return ''; }
  }
  function describe(error) {
    try {
      if (error !== null && typeof error === 'object' && typeof error.message === 'string') {
        const kind = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
        return kind + ': ' + error.message;
      }
      return 'threw ' + text(error);
    } catch (e) { return 'threw an unprintable value'; }
  }
  function stop(message) {
    const error = new ErrorCtor(message);
    stops.add(error);
    throw error;
  }
  function unsupported(member, supported) {
    bridge('unsupported', member, supported, here());
    return stop('JetBrains script API "' + member + '" is not supported by httprun');
  }
  function guard(path, target) {
    const supported = objectKeys(target).map(function (key) { return path + '.' + key; }).join(', ');
    return new ProxyCtor(target, {
      get: function (object, key, receiver) {
        if (typeof key === 'symbol' || key in object || QUIET.has(key)) return reflectGet(object, key, receiver);
        return unsupported(path + '.' + key, supported);
      },
      set: function (object, key, value, receiver) {
        if (typeof key === 'symbol') return reflectSet(object, key, value, receiver);
        return unsupported(path + '.' + key + ' = ...', supported);
      },
    });
  }
  function lazy(compute) {
    let done = false;
    let value;
    return function () {
      if (!done) { value = compute(); done = true; }
      return value;
    };
  }

  let testDepth = 0;
  const client = guard('client', {
    global: guard('client.global', {
      set: function (key, value) {
        if (value === null || value === undefined) bridge('globalClear', name(key));
        else bridge('globalSet', name(key), text(value));
      },
      get: function (key) { return bridge('globalGet', name(key)); },
      isEmpty: function () { return bridge('globalIsEmpty') === true; },
      clear: function (key) { bridge('globalClear', name(key)); },
      clearAll: function () { bridge('globalClearAll'); },
    }),
    test: function (testName, fn) {
      const at = here();
      const label = name(testName);
      if (typeof fn !== 'function') {
        bridge('test', label, false, 'client.test("' + label + '", ...) needs a function as its second argument', at);
        return;
      }
      testDepth++;
      try {
        fn();
        bridge('test', label, true, '', at);
      } catch (error) {
        if (error === EXIT || stops.has(error)) throw error;
        if (assertionFailures.has(error)) bridge('test', label, false, error.message, at);
        else bridge('testError', label, describe(error), stackOf(error), at);
      } finally {
        testDepth--;
      }
    },
    assert: function (condition, message) {
      if (condition) return;
      const said = message === undefined ? 'Assertion failed' : text(message);
      if (testDepth > 0) {
        const failure = new ErrorCtor(said);
        assertionFailures.add(failure);
        throw failure;
      }
      bridge('assert', said, here());
    },
    log: function () {
      const parts = [];
      for (let i = 0; i < arguments.length; i++) parts.push(text(arguments[i]));
      bridge('log', parts.join(' '));
    },
    exit: function () { throw EXIT; },
  });

  const request = data.request;
  function requestHeader(pair) {
    return guard('request.header', {
      name: pair[0],
      getRawValue: function () { return pair[1]; },
      tryGetSubstitutedValue: function () { return pair[1]; },
    });
  }
  const requestBody = lazy(function () { return bridge('requestBody'); });
  const requestApi = guard('request', {
    method: request.method,
    url: guard('request.url', {
      getRaw: function () { return request.url; },
      tryGetSubstituted: function () { return request.url; },
    }),
    body: guard('request.body', {
      getRaw: function () { return requestBody(); },
      tryGetSubstituted: function () { return requestBody(); },
    }),
    headers: guard('request.headers', {
      all: function () { return request.headers.map(requestHeader); },
      findByName: function (headerName) {
        const wanted = name(headerName).toLowerCase();
        for (const pair of request.headers) if (pair[0].toLowerCase() === wanted) return requestHeader(pair);
        return null;
      },
    }),
    variables: guard('request.variables', {
      get: function (key) { return bridge('variableGet', name(key)); },
      set: function (key, value) { bridge('variableSet', name(key), text(value)); },
    }),
    environment: guard('request.environment', {
      get: function (key) { return bridge('environmentGet', name(key)); },
    }),
  });

  G.client = client;
  G.request = requestApi;

  const response = data.response;
  if (response !== null) {
    const headers = response.headers;
    const body = lazy(function () {
      const raw = bridge('responseBody');
      if (!response.json) return raw;
      try { return jsonParse(raw); } catch (e) { return raw; }
    });
    const responseTarget = {
      status: response.status,
      get body() { return body(); },
      headers: guard('response.headers', {
        valueOf: function (headerName) {
          const wanted = name(headerName).toLowerCase();
          for (const pair of headers) if (pair[0].toLowerCase() === wanted) return pair[1];
          return null;
        },
        valuesOf: function (headerName) {
          const wanted = name(headerName).toLowerCase();
          const values = [];
          for (const pair of headers) if (pair[0].toLowerCase() === wanted) values.push(pair[1]);
          return values;
        },
      }),
      contentType: guard('response.contentType', {
        mimeType: response.mimeType,
        charset: response.charset,
      }),
    };
    G.response = guard('response', responseTarget);
    // The body is a plain string or JSON value, so no Proxy can see JetBrains' streaming API on it.
    const responseMembers = objectKeys(responseTarget).map(function (key) { return 'response.' + key; }).join(', ');
    for (const streaming of ['onEachLine', 'onEachMessage']) {
      defineProperty(G.Object.prototype, streaming, {
        configurable: true,
        get: function () { return unsupported('response.body.' + streaming, responseMembers); },
      });
    }
  }

  // Ways to run code after the script returns, outside its timeout and error handling (a rejected
  // promise nobody handles is reported on the host process). JetBrains scripts are synchronous.
  delete G.WebAssembly;
  delete G.Atomics;
  delete G.SharedArrayBuffer;
  delete G.FinalizationRegistry;
  delete G.Array.fromAsync;

  // Globals of the JetBrains runtime (or of JavaScript) that httprun does not provide: say so
  // rather than "not defined".
  const topLevel = response !== null ? 'client, request, response' : 'client, request';
  for (const missing of ['require', 'crypto', '$random', 'jsonPath', 'xpath', 'Promise']) {
    defineProperty(G, missing, { configurable: true, get: function () { return unsupported(missing, topLevel); } });
  }

  defineProperty(G, '${RUN_HOOK}', {
    configurable: true,
    value: function (script) {
      delete G['${RUN_HOOK}'];
      try {
        script();
      } catch (error) {
        if (error === EXIT || stops.has(error)) return;
        try { bridge('error', describe(error), stackOf(error)); }
        catch (e) { bridge('error', 'threw an unprintable value', ''); }
      }
    },
  });
})`;
