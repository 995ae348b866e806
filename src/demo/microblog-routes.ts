import type { DemoRequest, DemoResponse, Route } from './demo-route.js';
import { readBasicCredentials } from './credentials.js';
import { parseForm } from './parse-body.js';
import { replyJson, replyXml } from './reply.js';

/*
 * A status update API in the style of Identi.ca / StatusNet (the Twitter v1 API shape):
 * form-urlencoded POST with HTTP Basic credentials, answered in XML or JSON by URL suffix,
 * and the new status read back by id. Error codes and texts follow StatusNet.
 */

export interface MicroblogAccount {
  screenName: string;
  password: string;
}

interface Status {
  id: number;
  text: string;
  source: string;
  createdAt: Date;
}

type Format = 'xml' | 'json';

const MAX_LENGTH = 140;
const ACCOUNT_ID = 1;
const ACCOUNT_NAME = 'Demo User';
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Twitter v1's `created_at`: `Wed Aug 27 13:08:45 +0000 2008`. */
function formatCreatedAt(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${time} +0000 ${date.getUTCFullYear()}`;
}

export function createMicroblogRoutes(account: MicroblogAccount): Route[] {
  const statuses = new Map<number, Status>();
  let nextId = 1;

  function renderStatus(status: Status, format: Format): DemoResponse {
    if (format === 'json') {
      return replyJson(200, {
        id: status.id,
        id_str: String(status.id),
        text: status.text,
        created_at: formatCreatedAt(status.createdAt),
        source: status.source,
        truncated: false,
        favorited: false,
        in_reply_to_status_id: null,
        user: { id: ACCOUNT_ID, name: ACCOUNT_NAME, screen_name: account.screenName },
      });
    }
    return replyXml(
      200,
      [
        '<status>',
        `  <id>${status.id}</id>`,
        `  <text>${escapeXml(status.text)}</text>`,
        `  <created_at>${formatCreatedAt(status.createdAt)}</created_at>`,
        `  <source>${escapeXml(status.source)}</source>`,
        '  <truncated>false</truncated>',
        '  <favorited>false</favorited>',
        '  <in_reply_to_status_id></in_reply_to_status_id>',
        '  <user>',
        `    <id>${ACCOUNT_ID}</id>`,
        `    <name>${ACCOUNT_NAME}</name>`,
        `    <screen_name>${escapeXml(account.screenName)}</screen_name>`,
        '  </user>',
        '</status>',
      ].join('\n'),
    );
  }

  function renderError(status: number, request: DemoRequest, message: string, format: Format): DemoResponse {
    const headers: Record<string, string> =
      status === 401 ? { 'www-authenticate': 'Basic realm="Microblog API"' } : {};
    if (format === 'json') return replyJson(status, { error: message, request: request.url.pathname }, headers);
    return replyXml(
      status,
      `<hash>\n  <request>${escapeXml(request.url.pathname)}</request>\n  <error>${escapeXml(message)}</error>\n</hash>`,
      headers,
    );
  }

  const update =
    (format: Format) =>
    (request: DemoRequest): DemoResponse => {
      const credentials = readBasicCredentials(request.headers);
      if (!credentials || credentials.user !== account.screenName || credentials.password !== account.password) {
        return renderError(401, request, 'Could not authenticate you.', format);
      }
      // StatusNet also took the parameters from the query string.
      const form = parseForm(request.body);
      const text = form.get('status') ?? request.url.searchParams.get('status') ?? '';
      if (text.trim() === '') {
        return renderError(400, request, "Client must provide a 'status' parameter with a value.", format);
      }
      if ([...text].length > MAX_LENGTH) {
        return renderError(413, request, `That's too long. Maximum notice size is ${MAX_LENGTH} characters.`, format);
      }
      const status: Status = { id: nextId++, text, source: form.get('source') ?? 'api', createdAt: new Date() };
      statuses.set(status.id, status);
      return renderStatus(status, format);
    };

  const show =
    (format: Format) =>
    (request: DemoRequest): DemoResponse => {
      const status = statuses.get(Number(request.params['id']));
      if (!/^\d+$/.test(request.params['id'] ?? '') || !status) {
        return renderError(404, request, 'No status found with that ID.', format);
      }
      return renderStatus(status, format);
    };

  return (['xml', 'json'] as const).flatMap((format): Route[] => [
    { method: 'POST', path: `/api/statuses/update.${format}`, handle: update(format) },
    { method: 'GET', path: `/api/statuses/show/:id.${format}`, handle: show(format) },
  ]);
}
