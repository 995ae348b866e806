import { afterEach, describe, expect, test } from 'vitest';
import { run } from '../src/index.js';
import { scanJsonPath, SCAN_FROM_BYTES, singularSegments } from '../src/assert/scan-json-path.js';
import { serve, type TestServer } from './helpers/server.js';

/** What JSON.parse says the path selects: the oracle the scan must agree with. */
function viaParse(text: string, segments: (string | number)[]): unknown {
  let value: unknown = JSON.parse(text);
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return 'absent';
    if (Array.isArray(value) !== (typeof segment === 'number')) return 'absent';
    if (!Object.prototype.hasOwnProperty.call(value, segment)) return 'absent';
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function viaScan(text: string, segments: (string | number)[]): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const outcome = scanJsonPath(bytes, segments);
  if (outcome === null) return null;
  if (outcome === 'absent') return 'absent';
  return JSON.parse(bytes.subarray(outcome.start, outcome.end).toString('utf8'));
}

describe('singularSegments', () => {
  test.each([
    ['$', []],
    ['$.last', ['last']],
    ['$.items[0].id', ['items', 0, 'id']],
    ["$['a b'][\"c\"][12]", ['a b', 'c', 12]],
    ['$.é', ['é']],
  ])('%s', (path, segments) => {
    expect(singularSegments(path)).toEqual(segments);
  });

  test.each(['$.items[*]', '$..id', '$.items[-1]', '$.items[0:2]', '$[?@.id]', 'items', "$['a\\'b']", '$.items[01]'])(
    '%s is left to the full parser',
    (path) => {
      expect(singularSegments(path)).toBeNull();
    },
  );
});

describe('scanJsonPath agrees with JSON.parse', () => {
  const document = JSON.stringify({
    items: [{ id: 1, name: 'a "quoted" \\ name', tags: ['x', 'y'] }, { id: 2.5e3, nested: { deep: [null, true, false] } }],
    'odd key': { 'ü': -0.5 },
    empty: {},
    none: [],
    text: 'line\nbreak \u2028 \ud83d\ude00',
    last: 1,
  });
  test.each([
    [[]],
    [['last']],
    [['items']],
    [['items', 0]],
    [['items', 0, 'name']],
    [['items', 0, 'tags', 1]],
    [['items', 1, 'id']],
    [['items', 1, 'nested', 'deep', 2]],
    [['odd key', 'ü']],
    [['empty']],
    [['none']],
    [['text']],
    [['missing']],
    [['items', 7]],
    [['items', 'id']],
    [['last', 'x']],
    [['none', 0]],
  ])('%j', (segments) => {
    expect(viaScan(document, segments)).toEqual(viaParse(document, segments));
  });

  test('a repeated key selects its last value, as JSON.parse does', () => {
    expect(viaScan('{"a":1,"b":{"a":5},"a":[2]}', ['a'])).toEqual([2]);
  });

  test('keys written with escapes match the name they denote', () => {
    expect(viaScan('{"\\u0061b":1,"q\\"k":2}', ['ab'])).toBe(1);
    expect(viaScan('{"\\u0061b":1,"q\\"k":2}', ['q"k'])).toBe(2);
  });

  test('whitespace everywhere and a byte-order mark are allowed', () => {
    const text = '\ufeff \n{ "a" :\t[ 1 , { "b" : "c" } ]\r\n }  ';
    expect(viaScan(text, ['a', 1, 'b'])).toBe('c');
  });

  test.each([
    ['{"a":1,}'],
    ['{"a":1'],
    ['{"a" 1}'],
    ['[1 2]'],
    ['{"a":tru}'],
    ['{"a":01}'],
    ['{"a":1.}'],
    ['{"a":"\u0001"}'],
    ['{"a":"\\x"}'],
    ['{"a":1} x'],
    [''],
    ['{a:1}'],
  ])('invalid JSON %j is left to the full parser (null)', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(scanJsonPath(Buffer.from(text), ['a'])).toBeNull();
  });
});

describe('?? body $.path on a body larger than the scan threshold', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const large = (tail: string) => {
    const record = '{"id":1,"name":"item","tags":["a","b"]},';
    return `{"items":[${record.repeat(Math.ceil(SCAN_FROM_BYTES / record.length) + 10)}{"id":0}],${tail}}`;
  };

  test('passes, fails with the actual value, and keeps big integers exact', async () => {
    const body = large('"last":1,"big":12345678901234567890,"name":"end"');
    server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const text = `GET ${server.url}/big\n\n?? body $.last == 1\n?? body $.name == "other"\n?? body $.big == 12345678901234567890\n?? body $.missing exists\n`;
    const result = await run([{ file: "big.http", text }]);
    expect(result.files[0]?.error ?? null).toBeNull();
    const assertions = result.files[0]!.requests[0]!.assertions;
    expect(assertions.map((a) => a.passed)).toEqual([true, false, true, false]);
    expect(assertions[1]).toMatchObject({ expected: 'other', actual: 'end' });
  });

  test('a large body that is not JSON gets the full parser\'s message', async () => {
    const body = large('"last":1').replace(/}$/, '');
    server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const result = await run([{ file: 'broken.http', text: `GET ${server.url}/big\n\n?? body $.last == 1\n` }]);
    const assertion = result.files[0]!.requests[0]!.assertions[0]!;
    expect(assertion.passed).toBe(false);
    expect(assertion.message).toMatch(/the body is not JSON/);
  });
});
