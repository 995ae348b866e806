import { describe, expect, test } from 'vitest';
import { DYNAMIC_NAMES, evaluateDynamic, isKnownDynamic, type DynamicContext } from '../src/resolve/dynamic.js';
import { dynamicEvaluator } from './helpers/dynamic-value.js';

const now = new Date('2024-02-29T13:45:30.123Z');
const context: DynamicContext = {
  now,
  processEnv: { HOME_DIR: '/home/ada', EMPTY: '' },
  dotenv: { USERNAME: 'dotenv-user', BLANK: '' },
};

const { value, error } = dynamicEvaluator(context);

function many(name: string, args: string, times = 400): string[] {
  return Array.from({ length: times }, () => value(name, args));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuids', () => {
  test.each(['uuid', 'guid', 'random.uuid'])('$%s is a fresh v4 UUID', (name) => {
    const first = value(name);
    expect(first).toMatch(UUID_V4);
    expect(value(name)).not.toBe(first);
  });

  test('a uuid takes no arguments', () => {
    expect(error('uuid', 'x')).toBe('$uuid takes no arguments, got "x"');
    expect(value('random.uuid', '()')).toMatch(UUID_V4);
  });
});

describe('$timestamp and $isoTimestamp', () => {
  test('$timestamp is Unix seconds', () => {
    expect(value('timestamp')).toBe('1709214330');
  });

  test('$timestamp takes an offset in every unit, negative too', () => {
    const base = 1709214330;
    expect(value('timestamp', '-1 d')).toBe(String(base - 86_400));
    expect(value('timestamp', '2 h')).toBe(String(base + 7_200));
    expect(value('timestamp', '3 m')).toBe(String(base + 180));
    expect(value('timestamp', '10 s')).toBe(String(base + 10));
    expect(value('timestamp', '1 w')).toBe(String(base + 7 * 86_400));
    expect(value('timestamp', '1500 ms')).toBe(String(base + 1)); // 123 ms + 1500 ms floors to +1 s
    expect(value('timestamp', '1 y')).toBe(String(Date.UTC(2025, 1, 28, 13, 45, 30) / 1000));
    expect(value('timestamp', '1 M')).toBe(String(Date.UTC(2024, 2, 29, 13, 45, 30) / 1000));
    expect(value('timestamp', '1 Q')).toBe(String(Date.UTC(2024, 4, 29, 13, 45, 30) / 1000));
    expect(value('timestamp', '-2d')).toBe(String(base - 2 * 86_400));
  });

  test('a bad offset says what is expected', () => {
    expect(error('timestamp', '2 x')).toBe(
      '$timestamp expects an optional offset "<integer> <unit>" (unit one of y Q M w d h m s ms), got "2 x"',
    );
    expect(error('timestamp', '1.5 h')).toContain('got "1.5 h"');
  });

  test('$isoTimestamp is the UTC ISO 8601 time, with an optional offset', () => {
    expect(value('isoTimestamp')).toBe('2024-02-29T13:45:30.123Z');
    expect(value('isoTimestamp', '1 d')).toBe('2024-03-01T13:45:30.123Z');
    expect(error('isoTimestamp', 'soon')).toBe(
      '$isoTimestamp expects an optional offset "<integer> <unit>" (unit one of y Q M w d h m s ms), got "soon"',
    );
  });
});

describe('$datetime (UTC)', () => {
  test('iso8601 and rfc1123', () => {
    expect(value('datetime', 'iso8601')).toBe('2024-02-29T13:45:30.123Z');
    expect(value('datetime', 'rfc1123')).toBe('Thu, 29 Feb 2024 13:45:30 GMT');
  });

  test('offsets', () => {
    expect(value('datetime', 'iso8601 2 h')).toBe('2024-02-29T15:45:30.123Z');
    expect(value('datetime', 'rfc1123 -1 d')).toBe('Wed, 28 Feb 2024 13:45:30 GMT');
    expect(value('datetime', "'DD.MM.YYYY' 3 d")).toBe('03.03.2024');
  });

  test('quoted dayjs formats, single or double quotes', () => {
    expect(value('datetime', '"DD.MM.YYYY HH:mm"')).toBe('29.02.2024 13:45');
    expect(value('datetime', "'YYYY-MM-DD'")).toBe('2024-02-29');
    expect(value('datetime', '"YYYY-MM-DDTHH:mm:ssZ"')).toBe('2024-02-29T13:45:30+00:00');
  });

  test('a missing or unquoted format says what is expected', () => {
    const expected =
      '$datetime expects a format (iso8601, rfc1123 or a quoted dayjs format such as "YYYY-MM-DD") and an optional offset "<integer> <unit>" (unit one of y Q M w d h m s ms)';
    expect(error('datetime', '')).toBe(`${expected}, got ""`);
    expect(error('datetime', 'YYYY-MM-DD')).toBe(`${expected}, got "YYYY-MM-DD"`);
  });

  test('a bad offset after the format', () => {
    expect(error('datetime', 'iso8601 tomorrow')).toBe(
      '$datetime expects an optional offset "<integer> <unit>" (unit one of y Q M w d h m s ms) after the format, got "tomorrow"',
    );
  });
});

test("kulala's $date is today's local date as YYYY-MM-DD, and takes no arguments", () => {
  expect(value('date', '')).toBe(`${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`);
  expect(error('date', 'x')).toBe('$date takes no arguments, got "x"');
});

describe('$localDatetime (process time zone)', () => {
  test('a quoted format reads the local clock', () => {
    const expected = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
    expect(value('localDatetime', '"YYYY-MM-DD HH:mm"')).toBe(expected);
  });

  test('iso8601 carries the local offset and denotes the same second', () => {
    const text = value('localDatetime', 'iso8601');
    // REST Client writes dayjs' default format here: seconds, no milliseconds.
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    const second = Math.floor(now.getTime() / 1000) * 1000;
    expect(new Date(text).getTime()).toBe(second);
    expect(new Date(value('localDatetime', 'iso8601 2 h')).getTime()).toBe(second + 7_200_000);
  });

  test('rfc1123 carries the local offset and denotes the same second', () => {
    const text = value('localDatetime', 'rfc1123');
    expect(text).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/);
    expect(new Date(text).getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000);
  });

  test('a bad format names $localDatetime', () => {
    expect(error('localDatetime', 'now')).toMatch(/^\$localDatetime expects a format .*, got "now"$/);
  });
});

describe('$randomInt (REST Client)', () => {
  test('without arguments: 0..1000', () => {
    const values = many('randomInt', '', 3000).map(Number);
    expect(values.every((n) => Number.isInteger(n) && n >= 0 && n <= 1000)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(100);
  });

  test('min is included, max is excluded', () => {
    const values = new Set(many('randomInt', '1 4').map(Number));
    expect([...values].sort()).toEqual([1, 2, 3]);
  });

  test('negative bounds, and a reversed pair is swapped', () => {
    expect(many('randomInt', '-100 -50').map(Number).every((n) => n >= -100 && n < -50)).toBe(true);
    expect(many('randomInt', '-50 -100').map(Number).every((n) => n >= -100 && n < -50)).toBe(true);
    expect(value('randomInt', '7 7')).toBe('7');
  });

  test('wrong arguments say what is expected', () => {
    expect(error('randomInt', 'a b')).toBe('$randomInt expects two integers "min max", got "a b"');
    expect(error('randomInt', '5')).toBe('$randomInt expects two integers "min max", got "5"');
    expect(error('randomInt', '1.5 3')).toBe('$randomInt expects two integers "min max", got "1.5 3"');
    expect(error('randomInt', '0 99999999999999999999')).toBe(
      '$randomInt expects integers between -9007199254740991 and 9007199254740991, got "0 99999999999999999999"',
    );
  });
});

describe('$random.* (JetBrains)', () => {
  test('$random.integer(a, b) includes b', () => {
    const values = new Set(many('random.integer', '(2, 4)').map(Number));
    expect([...values].sort()).toEqual([2, 3, 4]);
  });

  test('the call may be glued to the name, and spacing is free', () => {
    expect(Number(value('random.integer(5,5)'))).toBe(5);
    expect(Number(value('random.integer', '( -3 , -3 )'))).toBe(-3);
    expect(value('$random.integer(9, 9)')).toBe('9');
  });

  test("JetBrains' one-argument $random.integer(to) starts at 0 (and, like the two-argument form, includes to)", () => {
    expect([...new Set(many('random.integer', '(2)').map(Number))].sort()).toEqual([0, 1, 2]);
    expect(value('random.integer(0)')).toBe('0');
    expect(error('random.integer', '(-1)')).toBe('$random.integer expects from <= to, got "(-1)"');
  });

  test('$random.integer errors', () => {
    expect(error('random.integer', '(a, 2)')).toBe('$random.integer expects two integers "(from, to)" or one "(to)", got "(a, 2)"');
    expect(error('random.integer', '(1, 2, 3)')).toBe('$random.integer expects two integers "(from, to)" or one "(to)", got "(1, 2, 3)"');
    expect(error('random.integer', '(5, 1)')).toBe('$random.integer expects from <= to, got "(5, 1)"');
    expect(error('random.integer', '(0, 1e30)')).toBe('$random.integer expects two integers "(from, to)" or one "(to)", got "(0, 1e30)"');
    expect(error('random.integer', '(0, 99999999999999999999)')).toBe(
      '$random.integer expects integers between -9007199254740991 and 9007199254740991, got "(0, 99999999999999999999)"',
    );
  });

  test('$random.integer without arguments: 0..1000', () => {
    expect(many('random.integer', '').map(Number).every((n) => Number.isInteger(n) && n >= 0 && n <= 1000)).toBe(true);
  });

  test('$random.float(a, b) is in [a, b)', () => {
    const values = many('random.float', '(2, 8)').map(Number);
    expect(values.every((n) => n >= 2 && n < 8)).toBe(true);
    expect(values.some((n) => !Number.isInteger(n))).toBe(true);
    expect(Number(value('random.float', '(0.5, 0.5)'))).toBe(0.5);
    expect(many('random.float', '').map(Number).every((n) => n >= 0 && n < 1000)).toBe(true);
    expect(many('random.float', '(0.5)').map(Number).every((n) => n >= 0 && n < 0.5)).toBe(true);
  });

  test('$random.float errors', () => {
    expect(error('random.float', '(x, 1)')).toBe('$random.float expects two numbers "(from, to)" or one "(to)", got "(x, 1)"');
    expect(error('random.float', '(3, 1)')).toBe('$random.float expects from <= to, got "(3, 1)"');
  });

  test.each([
    ['random.alphabetic', /^[A-Za-z]{50}$/],
    ['random.alphanumeric', /^\w{50}$/], // JetBrains: letters, digits and underscores
    ['random.hexadecimal', /^[0-9a-f]{50}$/],
  ])('$%s(n) has n characters from its alphabet', (name, pattern) => {
    expect(value(name, '(50)')).toMatch(pattern);
    expect(value(`${name}(0)`)).toBe('');
  });

  test('random strings use their whole alphabet', () => {
    expect(new Set(value('random.hexadecimal', '(4000)')).size).toBe(16);
    expect(new Set(value('random.alphanumeric', '(8000)')).size).toBe(63);
  });

  test('a random string needs a length', () => {
    expect(error('random.alphabetic', '')).toBe('$random.alphabetic expects a length "(n)" from 0 to 1000000, got ""');
    expect(error('random.hexadecimal', '(-1)')).toBe('$random.hexadecimal expects a length "(n)" from 0 to 1000000, got "(-1)"');
    expect(error('random.alphanumeric', '(1, 2)')).toBe(
      '$random.alphanumeric expects a length "(n)" from 0 to 1000000, got "(1, 2)"',
    );
    expect(error('random.alphanumeric', '(2000000)')).toContain('got "(2000000)"');
  });

  test('$random.email is an address at a reserved domain', () => {
    const first = value('random.email');
    expect(first).toMatch(/^[a-z][a-z0-9]{9}@example\.com$/);
    expect(value('random.email')).not.toBe(first);
    expect(error('random.email', 'x')).toBe('$random.email takes no arguments, got "x"');
  });
});

describe('$processEnv and $dotenv', () => {
  test('$processEnv NAME reads the process environment given in the context', () => {
    expect(value('processEnv', 'HOME_DIR')).toBe('/home/ada');
    expect(value('processEnv', 'EMPTY')).toBe('');
  });

  test('$processEnv errors', () => {
    expect(error('processEnv', 'NOPE')).toBe('$processEnv NOPE: "NOPE" is not set in the process environment');
    expect(error('processEnv', '')).toBe('$processEnv expects one variable name, got ""');
    expect(error('processEnv', 'A B')).toBe('$processEnv expects one variable name, got "A B"');
    expect(error('processEnv', '%envVarName')).toBe(
      "$processEnv %envVarName (REST Client's indirect form) is unsupported: name the process variable directly, as in $processEnv envVarName",
    );
  });

  test('$dotenv NAME reads the .env values given in the context', () => {
    expect(value('dotenv', 'USERNAME')).toBe('dotenv-user');
    expect(value('dotenv', 'BLANK')).toBe('');
  });

  test('$dotenv errors', () => {
    expect(error('dotenv', 'MISSING')).toBe(
      '$dotenv MISSING: "MISSING" is not defined in a .env file (beside the request file or at the project root)',
    );
    expect(error('dotenv', 'toString')).toContain('"toString" is not defined');
    expect(error('dotenv', '')).toBe('$dotenv expects one variable name, got ""');
  });
});

describe('names', () => {
  test('every documented name is known', () => {
    for (const name of [
      'uuid', 'guid', 'random.uuid', 'timestamp', 'isoTimestamp', 'date', 'datetime', 'localDatetime', 'randomInt',
      'random.integer', 'random.float', 'random.alphabetic', 'random.alphanumeric', 'random.hexadecimal',
      'random.email', 'processEnv', 'dotenv', 'input', 'password', 'pick', 'prompt', 'input-askonce',
      'password-askonce', 'prompt-askonce', 'pick-askonce',
    ]) {
      expect(isKnownDynamic(name), name).toBe(true);
    }
    expect(DYNAMIC_NAMES).toHaveLength(25);
    expect(isKnownDynamic('random.integer(1, 2)')).toBe(true);
    expect(isKnownDynamic('aadToken')).toBe(false);
    expect(isKnownDynamic('constructor')).toBe(false);
  });

  test('an unknown name suggests close matches', () => {
    expect(error('uuidd')).toBe('unknown dynamic variable "$uuidd"; did you mean $uuid or $guid?');
    expect(error('randomint', '1 2')).toBe('unknown dynamic variable "$randomint"; did you mean $randomInt?');
    expect(error('random.integr', '(1, 2)')).toBe('unknown dynamic variable "$random.integr"; did you mean $random.integer?');
  });

  test("REST Client's sign-in tokens say why they cannot work here and what to write instead", () => {
    expect(error('aadToken', 'new')).toBe(
      'unsupported dynamic variable "$aadToken": REST Client\'s $aadToken signs in to Azure AD from VS Code, which a command line cannot do; get the token first (e.g. az account get-access-token) and pass it with --var or as a secret <<TOKEN>>',
    );
    expect(error('aadV2Token')).toMatch(/^unsupported dynamic variable "\$aadV2Token": REST Client's \$aadV2Token signs in/);
    expect(error('oidcAccessToken')).toMatch(/^unsupported dynamic variable "\$oidcAccessToken": REST Client's \$oidcAccessToken signs in through a browser/);
  });

  test("JetBrains' IDE-only values say why they cannot work here and what to write instead", () => {
    expect(error('exampleServer')).toBe(
      'unsupported dynamic variable "$exampleServer": JetBrains\' $exampleServer is the address of a demo server inside the IDE; write the address of a server you run (--var host=...)',
    );
    expect(error('projectRoot')).toMatch(/^unsupported dynamic variable "\$projectRoot": .* write the path relative to the request file/);
    expect(error('historyFolder')).toMatch(/^unsupported dynamic variable "\$historyFolder": JetBrains' \$historyFolder is the IDE's \.idea\/httpRequests folder/);
    expect(error('placeholder')).toMatch(/^unsupported dynamic variable "\$placeholder": .* replace it with a value or a \{\{variable\}\}$/);
  });

  test("httpyac's $xpath says to write a request reference, built from the query it was given", () => {
    expect(error('xpath', ':books //book/@author')).toBe(
      'unsupported dynamic variable "$xpath": httpyac\'s $xpath reads the XML of the last or a referenced response; write it as a request reference, {{books.response.body.//book/@author}} (see Captures in the README)',
    );
    expect(error('xpath', '//token')).toContain('write it as a request reference, {{login.response.body.//token}}');
  });

  test("httpyac's $global values and kulala's $auth tokens say why they cannot work here and what to write instead", () => {
    expect(error('global.accessToken')).toBe(
      'unsupported dynamic variable "$global.accessToken": it holds what an httpyac script block sets ($global.accessToken = ...), and httprun does not run {{ }} scripts; capture the value with a request reference (@accessToken = {{login.response.body.$.accessToken}}) or pass it with --var accessToken=...',
    );
    expect(error('auth.token', '("github")')).toBe(
      'unsupported dynamic variable "$auth.token": JetBrains and kulala get it from an OAuth flow their editor runs (configured under Security.Auth in http-client.env.json); get the token first and pass it with --var or as a secret <<TOKEN>>',
    );
    expect(error('auth.idToken', '("github")')).toMatch(/^unsupported dynamic variable "\$auth\.idToken": JetBrains and kulala/);
  });

  test('an unknown name with nothing close lists the known names', () => {
    expect(error('azureToken')).toBe(
      'unknown dynamic variable "$azureToken"; known: $uuid, $guid, $random.uuid, $timestamp, $isoTimestamp, $date, $datetime, $localDatetime, $randomInt, $random.integer, $random.float, $random.alphabetic, $random.alphanumeric, $random.hexadecimal, $random.email, $processEnv, $dotenv, $input, $password, $pick, $prompt, $input-askonce, $password-askonce, $prompt-askonce, $pick-askonce, and JetBrains\' fake data $random.<class>.<method> (classes address, beer, bool, business, ChuckNorris, code, color, commerce, company, crypto, educator, finance, hacker, idNumber, internet, lorem, name, number, phoneNumber, shakespeare, superhero, team, university)',
    );
    expect(error('constructor')).toMatch(/^unknown dynamic variable "\$constructor"; known: /);
  });
});

describe("httpyac prompts answered by their $value default", () => {
  const context = { now: new Date('2024-01-15T10:00:00Z'), processEnv: {}, dotenv: {} };
  test('$input / $password give the default; $pick its first choice', () => {
    expect(evaluateDynamic('input', 'input username? $value: john', context)).toEqual({ value: 'john' });
    expect(evaluateDynamic('password', 'input password? $value: 123456', context)).toEqual({ value: '123456' });
    expect(evaluateDynamic('pick', 'select fruit? $value: apple,orange', context)).toEqual({ value: 'apple' });
  });
  test("$prompt and the -askonce forms are answered the same way (a run asks nothing, so nothing is kept)", () => {
    expect(evaluateDynamic('prompt', 'name? $value: ada', context)).toEqual({ value: 'ada' });
    expect(evaluateDynamic('input-askonce', 'input app? $value: foo', context)).toEqual({ value: 'foo' });
    expect(evaluateDynamic('password-askonce', 'pin? $value: 1234', context)).toEqual({ value: '1234' });
    expect(evaluateDynamic('prompt-askonce', 'x? $value: y', context)).toEqual({ value: 'y' });
    expect(evaluateDynamic('pick-askonce', 'select app? $value: foo,bar', context)).toEqual({ value: 'foo' });
    expect(evaluateDynamic('pick-askonce', 'select app?', context)).toEqual({
      error: '$pick-askonce asks a question, and httprun runs without prompts: give a default with "$value: ..." or replace it with a {{variable}} set by --var',
    });
  });
  test('without a default, a prompt is an error that says what to do', () => {
    expect(evaluateDynamic('input', 'username?', context)).toEqual({
      error: '$input asks a question, and httprun runs without prompts: give a default with "$value: ..." or replace it with a {{variable}} set by --var',
    });
  });
});
