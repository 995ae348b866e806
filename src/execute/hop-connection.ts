import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { PeerCertificate } from './exchange.js';
import { LazyPeerCertificate } from './peer-certificate.js';

/** What one connection tells about its peer; shared by every request the connection carries. */
export interface ConnectionFacts {
  ip: string | undefined;
  certificate: PeerCertificate | undefined;
}

/** One dispatch waiting to learn which connection carries it. */
export interface HopConnection {
  /** The request path as dispatched: a guard that the socket announced is this request's. */
  readonly path: string;
  facts: ConnectionFacts | undefined;
}

/**
 * undici hands response handlers no socket. It does announce, on the documented diagnostics channel
 * `undici:client:sendHeaders`, each request it writes and the socket it writes it on (HTTP/1.1 and
 * HTTP/2 alike, direct, tunnelled through a proxy, or h2c), and it calls the request's `onConnect`
 * synchronously just before, in the same call (client-h1 writeH1, client-h2 writeH2). So `onConnect`
 * marks its hop as the one waiting, and the announcement that follows names its socket: right with
 * keep-alive reuse (the socket of this write, not of the connection's first request), with HTTP/2
 * streams multiplexed on one session, and with undici re-sending a request on a new connection
 * (the later onConnect wins). Per request this costs one published message and a WeakMap lookup.
 */
let waiting: HopConnection | null = null;

const factsBySocket = new WeakMap<Socket, ConnectionFacts>();

subscribe('undici:client:sendHeaders', (message) => {
  const hop = waiting;
  if (hop === null) return;
  waiting = null;
  const { request, socket } = message as { request: { path?: unknown }; socket: Socket | undefined };
  // Not ours (undici's own CONNECT to a proxy, a library user's request): leave the hop unknown.
  if (socket === undefined || request.path !== hop.path) return;
  hop.facts = factsOf(socket);
});

/** Called from the handler's onConnect: the next announced socket carries `hop`. */
export function awaitConnection(hop: HopConnection): void {
  waiting = hop;
}

/** Called when a hop ends before undici wrote it (an abort between onConnect and the write). */
export function stopAwaiting(hop: HopConnection): void {
  if (waiting === hop) waiting = null;
}

/**
 * Read once per connection, at its first request, while the socket is open: a server that closes
 * the connection after the response would leave nothing to read by the time assertions run.
 * Through a proxy the socket is the tunnel to the proxy, so `ip` is the proxy's address (curl's
 * CURLINFO_PRIMARY_IP, Hurl's `ip`, says the same) and the certificate is the target server's.
 */
function factsOf(socket: Socket): ConnectionFacts {
  let facts = factsBySocket.get(socket);
  if (facts === undefined) {
    const tls = socket as Partial<TLSSocket>;
    // Not getPeerX509Certificate(): on a client socket (Node 20) it takes the certificate out of the
    // peer chain, so a second call, ours or anyone's, gets nothing.
    const der = tls.encrypted === true && typeof tls.getPeerCertificate === 'function' ? tls.getPeerCertificate()?.raw : undefined;
    facts = { ip: socket.remoteAddress, certificate: der === undefined ? undefined : new LazyPeerCertificate(der) };
    factsBySocket.set(socket, facts);
  }
  return facts;
}
