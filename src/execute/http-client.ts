import { readFileSync } from 'node:fs';
import * as nodeTls from 'node:tls';
import type { buildConnector as BuildConnector, Dispatcher } from 'undici';
import { Agent, buildConnector, H2CClient, ProxyAgent } from './undici-parts.js';
import { tunnelPool } from './tunnel-pool.js';
import { clientCertificateProblem } from './client-certificate-problem.js';
import { isProxyUrl } from '../config/proxy-url.js';

export interface ClientCertificate {
  cert?: string;
  key?: string;
  pfx?: string;
  passphrase?: string;
}

export interface ClientOptions {
  insecure: boolean;
  /** PEM text added to the system trust store (not replacing it). */
  caCert?: string;
  http2: boolean;
  /** An explicit proxy for every request (httprun.yaml); otherwise HTTP(S)_PROXY / NO_PROXY from `env`. */
  proxy?: string;
  /** By host (`host` any port, `host:port` that port): PEM text or PFX (base64 or binary string). */
  clientCertificates?: Record<string, ClientCertificate>;
  env: Record<string, string | undefined>;
}

export interface DispatchTarget {
  dispatcher: Dispatcher;
  /** Through a proxy: the caller must not send Proxy-Authorization itself and headers travel as an object. */
  viaProxy: boolean;
  /** The protocol negotiated for this origin's connections, once one was made (direct connections only). */
  protocolOf(origin: URL): 'HTTP/1.1' | 'HTTP/2' | undefined;
  /** The TLS options of a direct connection to this origin (CA, verification, client certificate). */
  tlsFor?(origin: URL): Record<string, unknown>;
}

/** One per run: keep-alive pools live here and are reused by every request and file. */
export interface HttpClient {
  /** `h2c`: HTTP/2 without TLS and without an upgrade (JetBrains' `HTTP/2 (Prior Knowledge)`), for http: URLs. */
  dispatcherFor(url: URL, options: { http2: boolean; h2c?: boolean; insecure: boolean; connectionTimeoutMs: number }): DispatchTarget;
  close(): Promise<void>;
}

type Connect = BuildConnector.connector;

export function createHttpClient(options: ClientOptions): HttpClient {
  const targets = new Map<string, DispatchTarget>();
  const ca = options.caCert === undefined ? undefined : [...defaultCaCertificates(options.env), options.caCert];
  const proxies = proxySettings(options);

  function build(http2: boolean, insecure: boolean, connectionTimeoutMs: number, proxy: string | null): DispatchTarget {
    // No TLS session resumption: Node gives a client no peer certificate on a resumed session, and
    // the `certificate` query reads it from every connection. A full handshake costs the client a
    // chain check more, once per connection (keep-alive makes that rare).
    const tls = { rejectUnauthorized: !insecure, ...(ca ? { ca } : {}) };
    const sessions = { maxCachedSessions: 0 };
    // Generous limits: the run's own timer bounds the whole exchange, undici's would only cut it shorter.
    const common = { allowH2: http2, connectTimeout: connectionTimeoutMs, headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 10_000 };
    if (proxy !== null && !isProxyUrl(proxy)) {
      // A proxy variable that is not a URL fails each request it would carry, naming the variable
      // (not its value: it may hold a password); undici threw "Invalid URL" out of the run before.
      const refuse: Connect = (_options, callback) =>
        callback(Object.assign(new Error(`${proxies.source} is not a proxy URL such as http://proxy.local:3128`), { code: 'HTTPRUN_PROXY_INVALID' }), null);
      return { dispatcher: new Agent({ ...common, connect: refuse }), viaProxy: false, protocolOf: () => undefined };
    }
    if (proxy !== null) {
      // No proxyTls for SOCKS: undici's SOCKS5 agent reads its presence as "TLS to the proxy", and
      // a SOCKS server speaks none (every connection timed out in the TLS handshake).
      const socks = isSocksProxy(proxy);
      const dispatcher = new ProxyAgent({
        uri: proxy,
        clientFactory: tunnelPool,
        ...common,
        requestTls: { ...tls, ...sessions, allowH2: http2, timeout: connectionTimeoutMs },
        ...(socks ? {} : { proxyTls: tls }),
      });
      if (socks) quietSocksWarning(dispatcher);
      return { dispatcher, viaProxy: true, protocolOf: () => undefined };
    }
    const negotiated = new Map<string, 'HTTP/1.1' | 'HTTP/2'>();
    const connectors = new Map<string, Connect>();
    const connect: Connect = (connectOptions, callback) => {
      const certificate = certificateFor(options.clientCertificates, connectOptions.hostname, connectOptions.port);
      const key = certificate?.host ?? '';
      let connector = connectors.get(key);
      if (connector === undefined) {
        const problem = certificate === undefined ? null : clientCertificateProblem(certificate.options);
        connector =
          problem === null
            ? buildConnector({ ...tls, ...certificate?.options, ...sessions, allowH2: http2, timeout: connectionTimeoutMs })
            : (_options, refuse) => refuse(Object.assign(new Error(`the client certificate${key === '*' ? '' : ` for ${key}`} cannot be used: ${problem}`), { code: 'HTTPRUN_CLIENT_CERTIFICATE' }), null);
        connectors.set(key, connector);
      }
      connector(connectOptions, (error, socket) => {
        if (error == null && socket) {
          // A TLS 1.3 server refuses a client certificate (or its absence) after the handshake, in an
          // alert that undici would report as "other side closed" when the close follows it: ending
          // the socket with the alert makes it the request's error.
          socket.on('error', (socketError: Error & { code?: unknown }) => {
            if (typeof socketError.code === 'string' && socketError.code.startsWith('ERR_SSL') && !socket.destroyed) socket.destroy(socketError);
          });
          const alpn = (socket as { alpnProtocol?: string | false }).alpnProtocol;
          negotiated.set(originKey(connectOptions.protocol, connectOptions.hostname, connectOptions.port), alpn === 'h2' ? 'HTTP/2' : 'HTTP/1.1');
          callback(null, socket);
        } else {
          callback(error!, null);
        }
      });
    };
    return {
      dispatcher: new Agent({ ...common, connect }),
      viaProxy: false,
      protocolOf: (origin) => negotiated.get(originKey(origin.protocol, origin.hostname, origin.port)),
      tlsFor: (origin) => ({ ...tls, ...certificateFor(options.clientCertificates, origin.hostname, origin.port || 443)?.options }),
    };
  }

  return {
    dispatcherFor(url, request) {
      const proxy = proxyFor(url, proxies);
      if (request.h2c === true && url.protocol === 'http:' && proxy === null) {
        const key = `h2c|${request.connectionTimeoutMs}`;
        let target = targets.get(key);
        if (target === undefined) {
          const common = { connectTimeout: request.connectionTimeoutMs, headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 10_000 };
          const dispatcher = new Agent({ ...common, factory: (origin: string | URL, opts: object) => new H2CClient(origin, opts) });
          target = { dispatcher, viaProxy: false, protocolOf: () => 'HTTP/2' };
          targets.set(key, target);
        }
        return target;
      }
      const key = `${request.http2 || options.http2}|${request.insecure || options.insecure}|${request.connectionTimeoutMs}|${proxy ?? ''}`;
      let target = targets.get(key);
      if (target === undefined) {
        target = build(request.http2 || options.http2, request.insecure || options.insecure, request.connectionTimeoutMs, proxy);
        targets.set(key, target);
      }
      return target;
    },
    async close() {
      const all = [...targets.values()];
      targets.clear();
      await Promise.all(all.map((target) => target.dispatcher.close()));
    },
  };
}

/**
 * The store Node verifies against when no `ca` is given, which a `ca` option replaces: the bundled
 * roots plus NODE_EXTRA_CA_CERTS (a company proxy's CA, say), and the system store under
 * --use-system-ca where Node can list it (getCACertificates, Node 22.15+).
 */
function defaultCaCertificates(env: Record<string, string | undefined>): string[] {
  const list = (nodeTls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
  if (typeof list === 'function') return list('default');
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra === undefined || extra === '') return [...nodeTls.rootCertificates];
  try {
    // Node warned at startup already when this file cannot be read; then it adds nothing.
    return [...nodeTls.rootCertificates, readFileSync(extra, 'utf8')];
  } catch {
    return [...nodeTls.rootCertificates];
  }
}

function originKey(protocol: string, hostname: string, port: string | number): string {
  // Called per request: plain string work instead of two regular expressions.
  const scheme = protocol.endsWith(':') ? protocol.slice(0, -1) : protocol;
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return `${scheme}://${bare}:${port === '' || port === undefined ? (scheme === 'https' ? 443 : 80) : port}`;
}

function certificateFor(
  certificates: Record<string, ClientCertificate> | undefined,
  hostname: string,
  port: string | number,
): { host: string; options: { cert?: string; key?: string; pfx?: Buffer; passphrase?: string } } | undefined {
  if (certificates === undefined) return undefined;
  const host = hostname.toLowerCase();
  // `*`: every host (JetBrains' SSLConfiguration); a named host wins over it.
  const entry = [`${host}:${port}`, host, '*'].find((name) => certificates[name] !== undefined);
  if (entry === undefined) return undefined;
  const { cert, key, pfx, passphrase } = certificates[entry]!;
  return {
    host: entry,
    options: {
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(pfx !== undefined ? { pfx: Buffer.from(pfx, /^[A-Za-z0-9+/=\s]+$/.test(pfx) ? 'base64' : 'binary') } : {}),
      ...(passphrase !== undefined ? { passphrase } : {}),
    },
  };
}

interface ProxySettings {
  /** Where the proxy came from, for messages: `proxy` of httprun.yaml or the variable's name. */
  source: string;
  http: string | null;
  https: string | null;
  noProxy: { host: string; port: number | null }[] | '*';
}

function proxySettings(options: ClientOptions): ProxySettings {
  const env = options.env;
  const pickName = (...names: string[]) => names.find((name) => env[name] !== undefined && env[name] !== '') ?? null;
  const pick = (...names: string[]) => {
    const name = pickName(...names);
    return name === null ? null : env[name]!;
  };
  if (options.proxy !== undefined) return { source: 'proxy', http: options.proxy, https: options.proxy, noProxy: parseNoProxy(pick('no_proxy', 'NO_PROXY') ?? '') };
  // As curl reads them: `proxy.local:3128` without a scheme is an HTTP proxy.
  const withScheme = (value: string | null) => (value === null || /^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  const http = withScheme(pick('http_proxy', 'HTTP_PROXY'));
  const https = withScheme(pick('https_proxy', 'HTTPS_PROXY'));
  const source = [pickName('http_proxy', 'HTTP_PROXY'), pickName('https_proxy', 'HTTPS_PROXY')].filter(Boolean).join(' or ');
  return { source, http, https: https ?? http, noProxy: parseNoProxy(pick('no_proxy', 'NO_PROXY') ?? '') };
}

function parseNoProxy(value: string): ProxySettings['noProxy'] {
  if (value.trim() === '*') return '*';
  return value
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase())!;
      return { host: match[1]!.replace(/^\*?\./, '.').replace(/^\[|\]$/g, ''), port: match[2] ? Number(match[2]) : null };
    });
}

function isSocksProxy(proxy: string): boolean {
  return /^socks5?:/i.test(proxy);
}

/** What undici says, once per process, when it makes its first SOCKS5 agent. */
const SOCKS_WARNING = 'SOCKS5 proxy support is experimental';

/**
 * undici makes a SOCKS5 agent per origin inside `dispatch` (synchronously) and warns then, once per
 * process, that its SOCKS5 support is experimental: a Node warning on stderr that a user of httprun
 * cannot act on. A 'warning' listener cannot stop Node's default print (only --no-warnings or
 * --disable-warning can, and those are process flags), so that one warning is dropped where it is
 * emitted, during this dispatcher's dispatch only; every other warning goes out as before.
 */
function quietSocksWarning(dispatcher: Dispatcher): void {
  const dispatch = dispatcher.dispatch.bind(dispatcher);
  dispatcher.dispatch = (options, handler) => withoutSocksWarning(() => dispatch(options, handler));
}

/** Runs `action` with undici's SOCKS5 ExperimentalWarning dropped; any other warning is emitted. */
export function withoutSocksWarning<T>(action: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    if (type === 'ExperimentalWarning' && typeof warning === 'string' && warning.startsWith(SOCKS_WARNING)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return action();
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** NO_PROXY as curl reads it: `host` matches it and its subdomains, `.host` only subdomains... and host itself. */
function proxyFor(url: URL, settings: ProxySettings): string | null {
  const proxy = url.protocol === 'https:' ? settings.https : settings.http;
  if (proxy === null) return null;
  if (settings.noProxy === '*') return null;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  for (const entry of settings.noProxy) {
    if (entry.port !== null && entry.port !== port) continue;
    const bare = entry.host.replace(/^\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return null;
  }
  return proxy;
}
