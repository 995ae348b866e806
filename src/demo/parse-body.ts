export type JsonBodyResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string };

/** The demo's JSON endpoints all take an object; anything else is a client error with a readable reason. */
export function parseJsonObject(body: Buffer): JsonBodyResult {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: false, message: 'Request body is empty; expected a JSON object.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Malformed JSON in request body: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'Request body must be a JSON object.' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** application/x-www-form-urlencoded (`+` is a space, as browsers and curl send it). */
export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}
