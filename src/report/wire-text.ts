import type { RequestResult, WireMessage } from '../run/result.js';

/**
 * A wire dump of what was sent and received, curl -v style (`> ` out, `< ` in), for verbose console
 * output and JUnit's system-out. Empty when the runner kept neither message.
 */
export function describeExchange(request: RequestResult): string {
  const lines: string[] = [];
  if (request.request !== undefined) lines.push(...wireLines('> ', request.request, requestLine(request, request.request)));
  if (request.response !== undefined) lines.push(...wireLines('< ', request.response, responseLine(request.response)));
  return lines.join('\n');
}

function requestLine(request: RequestResult, message: WireMessage): string {
  return `${message.method ?? request.method} ${message.url ?? request.url}`;
}

function responseLine(message: WireMessage): string {
  if (message.status === undefined) return 'response';
  return [message.httpVersion ?? 'HTTP', message.status, message.statusText].filter((part) => part !== undefined && part !== '').join(' ');
}

function wireLines(prefix: string, message: WireMessage, first: string): string[] {
  const lines = [first, ...message.headers.map(([name, value]) => `${name}: ${value}`)];
  if (message.body !== null && message.body !== '') lines.push('', ...message.body.split(/\r?\n/));
  return lines.map((line) => (line === '' ? prefix.trimEnd() : prefix + line));
}
