import { writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { withoutSocksWarning } from '../src/execute/http-client.js';
import { sendRequest } from '../src/execute/send-request.js';
import { project, runCli } from './helpers/cli.js';
import { client, hasOpenssl, listen, makeCertificates, runCleanups, sendOptions, serve, socksProxy } from './fixtures/execute/harness.js';

// A SOCKS5 proxy (httprun.yaml `proxy: socks5://…`, or HTTP(S)_PROXY): the request goes through it,
// and stderr stays clean. undici warns once per process that its SOCKS5 support is experimental, a
// Node warning the user cannot act on; httprun drops exactly that warning, no other.

afterEach(runCleanups);

const get = (url: string) => ({ method: 'GET', url, headers: [] as [string, string][], body: null, httpVersion: null });

describe('through a SOCKS5 proxy', () => {
  test('httprun.yaml proxy: socks5://… — the request goes through the proxy, and stderr has no ExperimentalWarning', async () => {
    const target = await serve((request, response) => response.end(`hello ${request.url}`));
    const socks = await socksProxy();
    const root = project({ 'a.http': `GET ${target}/via\n\n?? body == hello /via\n`, 'httprun.yaml': `proxy: ${socks.url}\n` });
    const run = await runCli(['a.http'], { cwd: root });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 request: 1 passed');
    expect(socks.tunnels).toEqual([target.slice('http://'.length)]);
  });

  test.runIf(hasOpenssl())('HTTPS_PROXY=socks5://… to an https server (TLS inside the tunnel, none to the proxy): stderr stays clean', async () => {
    const { ca, localhost, dir } = makeCertificates();
    const port = await listen(createHttpsServer({ key: localhost.key, cert: localhost.cert }, (_request, response) => response.end('secure')));
    const socks = await socksProxy();
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    // localhost, not 127.0.0.1: undici's SOCKS5 agent sends an IP address as the TLS server name,
    // which Node answers with its own DEP0123 warning (an undici matter, left as it is).
    const root = project({ 'a.http': `GET https://localhost:${port}/\n\n?? body == secure\n` });
    const run = await runCli(['a.http', '--cacert', join(dir, 'ca.pem')], { cwd: root, env: { HTTPS_PROXY: socks.url, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(socks.tunnels).toEqual([`localhost:${port}`]);
  });

  test('the client sends through the proxy with no TLS to it (undici reads a proxyTls as "TLS to the proxy")', async () => {
    const target = await serve((_request, response) => response.end('proxied'));
    const socks = await socksProxy();
    const result = await sendRequest(get(`${target}/`), sendOptions({ timeoutMs: 5000 }), client({ proxy: socks.url }));
    expect('error' in result ? result.error.message : result.exchange.response.body?.toString()).toBe('proxied');
    expect(socks.tunnels).toHaveLength(1);
  });
});

describe('withoutSocksWarning', () => {
  test("drops undici's SOCKS5 ExperimentalWarning only: another warning, even an ExperimentalWarning, still goes out", async () => {
    const seen: string[] = [];
    const listener = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
    process.on('warning', listener);
    try {
      const result = withoutSocksWarning(() => {
        process.emitWarning('SOCKS5 proxy support is experimental and subject to change', 'ExperimentalWarning');
        process.emitWarning('SOCKS5 proxy support is experimental and subject to change', { type: 'ExperimentalWarning' });
        process.emitWarning('something else is experimental', 'ExperimentalWarning');
        process.emitWarning('SOCKS5 proxy support is experimental', 'DeprecationWarning');
        return 42;
      });
      expect(result).toBe(42);
      // Outside the call, the same SOCKS warning is emitted again: nothing stays patched.
      process.emitWarning('SOCKS5 proxy support is experimental (outside)', 'ExperimentalWarning');
      // Warnings are emitted on the next tick.
      await new Promise((done) => setImmediate(done));
      expect(seen).toEqual([
        'ExperimentalWarning: something else is experimental',
        'DeprecationWarning: SOCKS5 proxy support is experimental',
        'ExperimentalWarning: SOCKS5 proxy support is experimental (outside)',
      ]);
    } finally {
      process.off('warning', listener);
    }
  });

  test('process.emitWarning is restored when the action throws', () => {
    const original = process.emitWarning;
    expect(() =>
      withoutSocksWarning(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(process.emitWarning).toBe(original);
  });
});
