import type { DemoResponse } from './demo-route.js';

type Headers = Record<string, string | string[]>;

export function replyJson(status: number, value: unknown, headers: Headers = {}): DemoResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

export function replyXml(status: number, document: string, headers: Headers = {}): DemoResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml; charset=utf-8', ...headers },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${document}\n`,
  };
}

export function replyEmpty(status: number, headers: Headers = {}): DemoResponse {
  return { status, headers };
}
