import { createHash, randomBytes } from 'node:crypto';

/** One `WWW-Authenticate: Digest ...` challenge (RFC 7616). */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | null;
  algorithm: string;
  qop: string[];
}

const algorithms: Record<string, string> = { 'MD5': 'md5', 'MD5-SESS': 'md5', 'SHA-256': 'sha256', 'SHA-256-SESS': 'sha256', 'SHA-512-256': 'sha512-256', 'SHA-512-256-SESS': 'sha512-256' };

/** Picks the strongest Digest challenge we can answer among all WWW-Authenticate values. */
export function parseDigestChallenge(values: readonly string[]): DigestChallenge | null {
  const challenges = values.flatMap(splitChallenges).filter((c) => algorithms[c.algorithm.toUpperCase()] !== undefined);
  const rank = (c: DigestChallenge) => (c.algorithm.toUpperCase().startsWith('SHA-512') ? 3 : c.algorithm.toUpperCase().startsWith('SHA-256') ? 2 : 1);
  return challenges.sort((a, b) => rank(b) - rank(a))[0] ?? null;
}

function splitChallenges(value: string): DigestChallenge[] {
  // Tokens in order: `scheme ` starts a challenge, `name=value` belongs to the current one.
  const challenges: { scheme: string; params: Map<string, string> }[] = [];
  const token = /\s*,?\s*(?:([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))|([\w!#$%&'*+.^`|~-]+))/y;
  for (let match = token.exec(value); match !== null && match[0].length > 0; match = token.exec(value)) {
    if (match[4] !== undefined) challenges.push({ scheme: match[4].toLowerCase(), params: new Map() });
    else challenges.at(-1)?.params.set(match[1]!.toLowerCase(), match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!);
  }
  return challenges.flatMap(({ scheme, params }) => {
    const nonce = params.get('nonce');
    if (scheme !== 'digest' || nonce === undefined) return [];
    return [{
      realm: params.get('realm') ?? '',
      nonce,
      opaque: params.get('opaque') ?? null,
      algorithm: params.get('algorithm') ?? 'MD5',
      qop: (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean),
    }];
  });
}

export interface DigestInput {
  username: string;
  password: string;
  method: string;
  /** Request target: path and query. */
  uri: string;
  /** Needed only for qop=auth-int; a streamed file body cannot use it. */
  body: Buffer | null;
  cnonce?: string;
}

/** The `Authorization` value answering the challenge (nc is always 1: one answer per challenge). */
export function answerDigest(challenge: DigestChallenge, input: DigestInput): string {
  const algorithm = challenge.algorithm.toUpperCase();
  const hashName = algorithms[algorithm]!;
  const h = (text: string | Buffer) => createHash(hashName).update(text).digest('hex');
  const cnonce = input.cnonce ?? randomBytes(16).toString('hex');
  const nc = '00000001';
  const qop = challenge.qop.includes('auth') ? 'auth' : challenge.qop.includes('auth-int') && input.body !== null ? 'auth-int' : null;
  let ha1 = h(`${input.username}:${challenge.realm}:${input.password}`);
  if (algorithm.endsWith('-SESS')) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = qop === 'auth-int' ? h(`${input.method}:${input.uri}:${h(input.body ?? '')}`) : h(`${input.method}:${input.uri}`);
  const response = qop === null ? h(`${ha1}:${challenge.nonce}:${ha2}`) : h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
  const parts = [
    `username=${quote(input.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(input.uri)}`,
    `algorithm=${challenge.algorithm}`,
  ];
  if (qop !== null) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  parts.push(`response=${quote(response)}`);
  if (challenge.opaque !== null) parts.push(`opaque=${quote(challenge.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

function quote(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}
