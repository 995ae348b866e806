import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isKnownDynamic, type DynamicContext } from '../src/resolve/dynamic.js';
import { dynamicEvaluator } from './helpers/dynamic-value.js';
import { FAKE_DATA_FAMILIES, FAKE_DATA_NAMES } from '../src/resolve/fake-data.js';
import { project, runCli } from './helpers/cli.js';
import { serve, type TestServer } from './helpers/server.js';

// JetBrains' fake-data variables, `{{$random.<class>.<method>}}` (Java Faker's classes and methods),
// produced with @faker-js/faker. Values are random: each is checked against the shape Java Faker gives.

const context: DynamicContext = { now: new Date('2024-02-29T13:45:30.123Z'), processEnv: {}, dotenv: {} };

const { value, error } = dynamicEvaluator(context);

/** A few words on one line: what a word list of faker's gives (solid state, hard drive, Winston-Salem). */
const WORDS = /^[\p{L}\d][\p{L}\d' .,&/-]*[\p{L}\d.]$/u;
const NAME = /^\p{Lu}[\p{L}' .-]+$/u; // Anaïs, O'Keefe, Mr. Jo Smith Jr.
const LOWER_WORDS = /^[a-z][a-z -]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ZIP = /^\d{5}(-\d{4})?$/;
const SSN = /^\d{3}-\d{2}-\d{4}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}$/;
const URL = /^https:\/\/\S+$/;
const SENTENCE = /^[A-Z][a-z]*( [a-z]+)*\.$/;

/**
 * One shape per variable; the test below checks the table names every variable httprun produces.
 * Each is sampled 20 times (FAKE_RUNS=3000 samples more, to look for a shape a rare value breaks).
 */
const SHAPES: Record<string, RegExp> = {
  'random.address.streetName': /^[A-Za-z0-9][A-Za-z0-9' .-]*$/, // faker-js has numbered streets: 7th Avenue
  'random.address.streetAddressNumber': /^\d{3,5}$/,
  'random.address.streetAddress': /^\d{3,5} [A-Za-z0-9' .-]+$/,
  'random.address.secondaryAddress': /^(Apt\.|Suite) \d{3}$/,
  'random.address.zipCode': ZIP,
  'random.address.streetSuffix': /^[A-Z][a-z]+$/,
  'random.address.citySuffix': /^[a-z]+$/,
  'random.address.cityPrefix': /^[A-Z][a-z]+$/,
  'random.address.city': WORDS,
  'random.address.cityName': WORDS,
  'random.address.state': /^[A-Z][a-z]+( [A-Z][a-z]+)*$/,
  'random.address.stateAbbr': /^[A-Z]{2}$/,
  'random.address.firstName': NAME,
  'random.address.lastName': NAME,
  'random.address.latitude': /^-?\d{1,2}\.\d{8}$/,
  'random.address.longitude': /^-?\d{1,3}\.\d{8}$/,
  'random.address.timeZone': /^[A-Z][A-Za-z_]+(\/[A-Za-z_+-]+)+$|^UTC$/,
  'random.address.country': /^\S.*\S$/,
  'random.address.countryCode': /^[A-Z]{2}$/,
  'random.address.buildingNumber': /^\d{3,5}$/,
  'random.address.fullAddress': /^\d{3,5} [^,]+, [^,]+, [A-Z]{2} \d{5}(-\d{4})?$/,
  'random.bool.bool': /^(true|false)$/,
  'random.business.creditCardNumber': /^[\d-]{12,22}$/,
  'random.business.creditCardType': /^[a-z_]+$/,
  'random.business.creditCardExpiry': /^\d{4}-\d{2}-\d{2}$/,
  'random.code.isbnGs1': /^97[89]$/,
  'random.code.isbnGroup': /^[01]$/,
  'random.code.isbnRegistrant': /^\d+-\d+$/,
  'random.code.isbn10': /^\d{9}[\dX]$/,
  'random.code.isbn13': /^97[89]\d{10}$/,
  'random.code.asin': /^B0[0-9A-Z]{8}$/,
  'random.code.imei': /^\d{15}$/,
  'random.code.ean8': /^\d{8}$/,
  'random.code.gtin8': /^\d{8}$/,
  'random.code.ean13': /^\d{13}$/,
  'random.code.gtin13': /^\d{13}$/,
  'random.color.name': LOWER_WORDS,
  'random.color.hex': /^#[0-9A-F]{6}$/,
  'random.commerce.color': LOWER_WORDS,
  'random.commerce.department': /^[A-Z][a-z]+$/,
  'random.commerce.productName': /^[A-Z][a-z]+( [A-Z][a-z]+){1,3}$/,
  'random.commerce.material': /^[A-Z][a-z]+$/,
  'random.commerce.price': /^\d{1,3}\.\d{2}$/,
  'random.commerce.promotionCode': /^[A-Z][a-z]+[A-Z][a-z]+\d{6}$/,
  'random.company.name': /^[A-Z][A-Za-z' ,&-]+$/,
  'random.company.suffix': /^(Group|Inc|LLC|and Sons)$/,
  'random.company.profession': /^[a-z]+$/,
  'random.company.buzzword': /^[A-Za-z0-9 /-]+$/,
  'random.company.catchPhrase': /^[A-Z][A-Za-z0-9 /-]+$/,
  'random.company.bs': /^[a-z][A-Za-z0-9 /-]+$/,
  'random.company.logo': URL,
  'random.company.url': /^www\.[a-z0-9-]+\.[a-z]{2,}$/,
  'random.crypto.md5': /^[0-9a-f]{32}$/,
  'random.crypto.sha1': /^[0-9a-f]{40}$/,
  'random.crypto.sha256': /^[0-9a-f]{64}$/,
  'random.crypto.sha512': /^[0-9a-f]{128}$/,
  'random.finance.creditCard': /^[\d-]{12,22}$/,
  'random.finance.bic': /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/,
  'random.finance.iban': /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/,
  'random.hacker.abbreviation': /^[A-Z0-9]{2,5}$/,
  'random.hacker.adjective': WORDS,
  'random.hacker.noun': WORDS,
  'random.hacker.verb': WORDS,
  'random.hacker.ingverb': /^[a-z]+ing( [a-z]+)?$/, // backing up
  'random.idNumber.valid': SSN,
  'random.idNumber.ssnValid': SSN,
  'random.idNumber.invalid': /^(000-\d\d-\d{4}|\d{3}-00-\d{4}|\d{3}-\d\d-0000|666-\d\d-\d{4}|9\d\d-\d\d-\d{4})$/,
  'random.internet.emailAddress': /^[\w.+-]+@(gmail|yahoo|hotmail)\.com$/,
  'random.internet.safeEmailAddress': /^[\w.+-]+@example\.(com|net|org)$/,
  'random.internet.domainName': /^[a-z0-9-]+\.[a-z]{2,}$/,
  'random.internet.domainWord': /^[a-z0-9-]+$/,
  'random.internet.domainSuffix': /^[a-z]{2,}$/,
  'random.internet.url': /^www\.[a-z0-9-]+\.[a-z]{2,}$/,
  'random.internet.avatar': URL,
  'random.internet.image': URL,
  'random.internet.password': /^[a-z0-9]{8,15}$/,
  'random.internet.macAddress': /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/,
  'random.internet.ipV4Address': IPV4,
  'random.internet.privateIpV4Address': /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)\d{1,3}\.\d{1,3}(\.\d{1,3})?$/,
  'random.internet.publicIpV4Address': IPV4,
  'random.internet.ipV4Cidr': /^\d{1,3}(\.\d{1,3}){3}\/([1-9]|[12]\d|3[01])$/,
  'random.internet.ipV6Address': IPV6,
  'random.internet.ipV6Cidr': /^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}\/\d{1,3}$/,
  'random.internet.slug': /^[a-z]+_[a-z]+$/,
  'random.internet.uuid': UUID,
  'random.internet.userAgentAny': /^[A-Z][A-Za-z]+\/\d[^\n]*$/, // Mozilla/5.0 (…), Googlebot/2.1 (…)
  'random.lorem.character': /^[a-z0-9]$/,
  'random.lorem.characters': /^[a-z0-9]{255}$/,
  'random.lorem.word': /^[a-z]+$/,
  'random.lorem.words': /^[a-z]+ [a-z]+ [a-z]+$/,
  'random.lorem.sentence': SENTENCE,
  'random.lorem.paragraph': /^([A-Z][a-z]*( [a-z]+)*\. ?){3,5}$/,
  'random.name.name': NAME,
  'random.name.nameWithMiddle': /^\p{Lu}[\p{L}'-]+ \p{Lu}[\p{L}'-]+ \p{Lu}[\p{L}'-]+$/u,
  'random.name.fullName': NAME,
  'random.name.firstName': NAME,
  'random.name.lastName': NAME,
  'random.name.prefix': /^(Mr|Mrs|Ms|Miss|Dr)\.?$/,
  'random.name.suffix': /^[A-Z][A-Za-z.]*$/,
  'random.name.title': /^[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+$/,
  'random.name.username': /^[a-z-]+\.[a-z-]+$/,
  'random.name.bloodGroup': /^(A|B|AB|O)[+-]$/,
  'random.number.randomDigit': /^\d$/,
  'random.number.randomDigitNotZero': /^[1-9]$/,
  'random.number.randomNumber': /^\d{1,9}$/,
  'random.number.digit': /^\d$/,
  'random.phoneNumber.cellPhone': /^\(\d{3}\) \d{3}-\d{4}$/,
  'random.phoneNumber.phoneNumber': /^[\d() .+x-]{10,}$/,
  'random.phoneNumber.extension': /^\d{4}$/,
  'random.phoneNumber.subscriberNumber': /^\d{4}$/,
  'random.team.name': /^[A-Z][a-z]+( [A-Z][a-z]+)* [a-z ]+$/,
  'random.team.creature': LOWER_WORDS,
  'random.team.state': /^[A-Z][a-z]+( [A-Z][a-z]+)*$/,
};

/** Those that need an argument in Java Faker too, with one. */
const CALLED: Record<string, [args: string, shape: RegExp]> = {
  'random.address.zipCodeByState': ['("CA")', /^9\d{4}(-\d{4})?$/],
  'random.lorem.sentences': ['(2)', /^[A-Z][a-z]*( [a-z]+)*\. [A-Z][a-z]*( [a-z]+)*\.$/],
  'random.lorem.paragraphs': ['(2)', /^([A-Z][a-z]*( [a-z]+)*\. ?){6,10}$/],
  'random.lorem.fixedString': ['(40)', /^[A-Za-z .]{40}$/],
  'random.number.numberBetween': ['(1, 10)', /^[1-9]$/],
  'random.number.randomDouble': ['(2, 1, 5)', /^[1-5](\.\d{1,2})?$/],
  'random.number.digits': ['(8)', /^\d{8}$/],
};

describe('every fake-data variable gives a value of its shape', () => {
  test('the tables here name every variable httprun produces, and only those', () => {
    expect([...Object.keys(SHAPES), ...Object.keys(CALLED)].sort()).toEqual([...FAKE_DATA_NAMES].sort());
    expect(FAKE_DATA_NAMES.length).toBeGreaterThanOrEqual(120);
    expect(FAKE_DATA_FAMILIES).toEqual([
      'address', 'beer', 'bool', 'business', 'ChuckNorris', 'code', 'color', 'commerce', 'company', 'crypto', 'educator',
      'finance', 'hacker', 'idNumber', 'internet', 'lorem', 'name', 'number', 'phoneNumber', 'shakespeare', 'superhero',
      'team', 'university',
    ]);
  });

  test.each(Object.entries(SHAPES))('$%s', (name, shape) => {
    for (let i = 0; i < Number(process.env.FAKE_RUNS ?? 20); i++) expect(value(name)).toMatch(shape);
    expect(isKnownDynamic(name)).toBe(true);
  });

  test.each(Object.entries(CALLED))('$%s with its arguments', (name, [args, shape]) => {
    for (let i = 0; i < Number(process.env.FAKE_RUNS ?? 20); i++) expect(value(name, args)).toMatch(shape);
    expect(value(`${name}${args}`)).toMatch(shape); // the call glued to the name, as the template gives it
  });

  test('values vary from use to use', () => {
    expect(new Set(Array.from({ length: 20 }, () => value('random.name.fullName'))).size).toBeGreaterThan(10);
    expect(new Set(Array.from({ length: 20 }, () => value('random.crypto.sha256'))).size).toBe(20);
  });

  test('check digits: ISBN, EAN/GTIN and IMEI numbers are valid', () => {
    const isbn13Valid = (digits: string) => [...digits].reduce((sum, d, i) => sum + Number(d) * (i % 2 === 0 ? 1 : 3), 0) % 10 === 0;
    const isbn10Valid = (digits: string) =>
      [...digits].reduce((sum, d, i) => sum + (d === 'X' ? 10 : Number(d)) * (10 - i), 0) % 11 === 0;
    const gtinValid = (digits: string) =>
      [...digits].reverse().reduce((sum, d, i) => sum + Number(d) * (i % 2 === 0 ? 1 : 3), 0) % 10 === 0;
    const luhn = (digits: string) =>
      [...digits].reverse().reduce((sum, d, i) => sum + (i % 2 === 1 ? ((Number(d) * 2) % 10) + Math.floor((Number(d) * 2) / 10) : Number(d)), 0) % 10 === 0;
    for (let i = 0; i < 30; i++) {
      expect(isbn13Valid(value('random.code.isbn13'))).toBe(true);
      expect(isbn10Valid(value('random.code.isbn10'))).toBe(true);
      expect(gtinValid(value('random.code.ean13'))).toBe(true);
      expect(gtinValid(value('random.code.gtin8'))).toBe(true);
      expect(luhn(value('random.code.imei'))).toBe(true);
    }
  });

  test("$random.ChuckNorris is also spelled as Java Faker's method, chuckNorris", () => {
    expect(error('random.chuckNorris.fact')).toMatch(/^unsupported dynamic variable "\$random\.ChuckNorris\.fact": /);
  });
});

describe('arguments, where Java Faker takes them', () => {
  test('booleans choose a form', () => {
    expect(value('random.code.isbn13', '(true)')).toMatch(/^97[89]-[01]-\d+-\d+-\d$/);
    expect(value('random.code.isbn10', '(true)')).toMatch(/^[01]-\d+-\d+-[\dX]$/);
    expect(value('random.color.hex', '(false)')).toMatch(/^[0-9A-F]{6}$/);
    expect(value('random.address.streetAddress', '(true)')).toMatch(/^\d{3,5} [A-Za-z0-9' .-]+ (Apt\.|Suite) \d{3}$/);
    expect(value('random.lorem.characters', '(true)')).toMatch(/^[A-Za-z0-9]{255}$/);
  });

  test('numbers bound the value', () => {
    const between = new Set(Array.from({ length: 300 }, () => value('random.number.numberBetween', '(3, 6)')));
    expect([...between].sort()).toEqual(['3', '4', '5']); // Java Faker: max excluded
    expect(value('random.number.numberBetween', '(7, 7)')).toBe('7');
    expect(value('random.number.randomNumber', '(6, true)')).toMatch(/^[1-9]\d{5}$/);
    expect(value('random.number.randomNumber', '(3, false)')).toMatch(/^\d{1,3}$/);
    expect(Number(value('random.commerce.price', '(10, 20)'))).toBeGreaterThanOrEqual(10);
    expect(Number(value('random.commerce.price', '(10, 20)'))).toBeLessThanOrEqual(20);
    expect(value('random.commerce.promotionCode', '(3)')).toMatch(/^[A-Z][a-z]+[A-Z][a-z]+\d{3}$/);
    expect(value('random.lorem.words', '(5)').split(' ')).toHaveLength(5);
    expect(value('random.lorem.sentence', '(4, 0)')).toMatch(/^[A-Z][a-z]*( [a-z]+){3}\.$/);
    expect(value('random.lorem.characters', '(10)')).toMatch(/^[a-z0-9]{10}$/);
    expect(value('random.lorem.characters', '(4, 8)')).toMatch(/^[a-z0-9]{4,7}$/);
    expect(value('random.lorem.characters', '(12, false, false)')).toMatch(/^[a-z]{12}$/);
    expect(value('random.phoneNumber.subscriberNumber', '(6)')).toMatch(/^\d{6}$/);
    expect(value('random.internet.password', '(20, 30, true, true, true)')).toMatch(/^[A-Za-z0-9!@#$%^&*]{20,29}$/);
    expect(value('random.internet.password', '(false)')).toMatch(/^[a-z]{8,15}$/);
    expect(value('random.internet.image', '(100, 200, true, "hi")')).toMatch(/\/100\/200\?grayscale/);
  });

  test('strings, quoted or bare', () => {
    expect(value('random.internet.emailAddress', '("ada.lovelace")')).toMatch(/^ada\.lovelace@(gmail|yahoo|hotmail)\.com$/);
    expect(value('random.internet.safeEmailAddress', "('ada')")).toMatch(/^ada@example\.(com|net|org)$/);
    expect(value('random.internet.macAddress', '("00:1a")')).toMatch(/^00:1a(:[0-9a-f]{2}){4}$/);
    expect(value('random.finance.iban', '(DE)')).toMatch(/^DE\d{20}$/);
    expect(value('random.finance.creditCard', '(VISA)')).toMatch(/^4[\d-]+$/);
    expect(value('random.finance.creditCard', '(CreditCardType.AMERICAN_EXPRESS)')).toMatch(/^3[47][\d-]+$/);
    expect(value('random.address.zipCodeByState', "('CA')")).toMatch(/^9\d{4}(-\d{4})?$/);
    expect(value('random.address.zipCodeByState', '(CA)')).toMatch(/^9\d{4}(-\d{4})?$/);
  });

  test('a wrong argument says which forms the method takes', () => {
    expect(error('random.number.numberBetween', '(1)')).toBe('$random.number.numberBetween expects (int min, int max), got "(1)"');
    expect(error('random.number.numberBetween', '1.5, 2')).toBe('$random.number.numberBetween expects (int min, int max), got "(1.5, 2)"');
    expect(error('random.name.firstName', '(3)')).toBe('$random.name.firstName expects (), got "(3)"');
    expect(error('random.number.digits', '("8")')).toBe('$random.number.digits expects (int count), got "("8")"');
    expect(error('random.code.isbn13', '(yes)')).toBe('$random.code.isbn13 expects () or (boolean separator), got "(yes)"');
    expect(error('random.lorem.sentences')).toBe('$random.lorem.sentences expects (int sentenceCount), got "()"');
    expect(error('random.number.digits', '(1,)')).toBe('$random.number.digits expects (int count), got "(1,)"');
  });

  test('an argument of the right type but out of range says so', () => {
    expect(error('random.number.randomNumber', '(20, true)')).toBe('$random.number.randomNumber expects numberOfDigits from 1 to 15, got 20');
    expect(error('random.number.digits', '(2000000)')).toBe('$random.number.digits expects count from 0 to 1000000, got 2000000');
    expect(error('random.lorem.words', '(-1)')).toBe('$random.lorem.words expects num from 0 to 10000, got -1');
    expect(error('random.internet.password', '(9, 3)')).toBe(
      '$random.internet.password expects 0 <= minimumLength <= maximumLength <= 1000000, got 9 and 3',
    );
    expect(error('random.finance.creditCard', '(LASER)')).toBe(
      '$random.finance.creditCard knows the card types AMERICAN_EXPRESS, DINERS_CLUB, DISCOVER, JCB, MASTERCARD, VISA, got "LASER"',
    );
    expect(error('random.finance.iban', '(XX)')).toBe('$random.finance.iban(XX): Country code XX not supported.');
    expect(error('random.address.zipCodeByState', '(ZZ)')).toMatch(/^\$random\.address\.zipCodeByState\(ZZ\): /);
  });
});

describe('names httprun knows but cannot produce, and misspellings', () => {
  test.each([
    ['random.beer.name', 'beer names'],
    ['random.ChuckNorris.fact', 'Chuck Norris facts'],
    ['random.shakespeare.hamletQuote', 'Shakespeare quotes'],
    ['random.superhero.power', 'superpowers'],
    ['random.educator.university', 'university names'],
    ['random.university.name', 'university names'],
    ['random.team.sport', 'sports'],
    ['random.company.industry', 'industry names'],
    ['random.idNumber.validSvSeSsn', 'Swedish personal identity numbers'],
  ])('$%s is unsupported, not unknown', (name, what) => {
    expect(error(name)).toBe(
      `unsupported dynamic variable "$${name}": JetBrains draws it from Java Faker's ${what}, which @faker-js/faker (httprun's fake-data library) does not have; write a value, or a {{variable}} set with --var`,
    );
    expect(isKnownDynamic(name)).toBe(false);
  });

  test('a misspelt method or class suggests the nearest name', () => {
    expect(error('random.name.fristName')).toBe('unknown dynamic variable "$random.name.fristName"; did you mean $random.name.firstName?');
    expect(error('random.adress.city')).toBe('unknown dynamic variable "$random.adress.city"; did you mean $random.address.city?');
    expect(error('random.Name.lastName')).toBe('unknown dynamic variable "$random.Name.lastName"; did you mean $random.name.lastName?');
    expect(error('random.internet.userAgent', '(CHROME)')).toMatch(/^unsupported dynamic variable "\$random\.internet\.userAgent": .*\$random\.internet\.userAgentAny/);
  });

  test('a method that is nowhere close lists the class; a class alone asks for a method', () => {
    expect(error('random.bool.maybe')).toBe('unknown dynamic variable "$random.bool.maybe"; $random.bool\'s methods: $random.bool.bool');
    expect(error('random.crypto')).toBe(
      "$random.crypto is one of JetBrains' fake-data classes; name one of its methods: $random.crypto.md5, $random.crypto.sha1, $random.crypto.sha256, $random.crypto.sha512",
    );
  });

  test('the core $random functions are still themselves', () => {
    expect(value('random.integer', '(1, 1)')).toBe('1');
    expect(value('random.email')).toMatch(/@example\.com$/);
    expect(error('random.integr', '(1, 2)')).toBe('unknown dynamic variable "$random.integr"; did you mean $random.integer?');
  });
});

describe('through the CLI', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve((_request, response) => response.writeHead(204).end());
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const FILE = [
    '### a committed JetBrains file',
    'POST {{host}}/users',
    'Content-Type: application/json',
    '',
    '{',
    '  "first": "{{$random.name.firstName}}",',
    '  "city": "{{$random.address.city}}",',
    '  "age": {{$random.number.numberBetween(18, 65)}},',
    '  "email": "{{$random.internet.safeEmailAddress}}",',
    '  "id": "{{$random.uuid}}"',
    '}',
    '',
  ].join('\n');

  test('check is clean on a file that uses them', async () => {
    const root = project({ 'users.http': FILE });
    const run = await runCli(['check', '--var', 'host=http://127.0.0.1:1', 'users.http'], { cwd: root });
    expect(run.stdout + run.stderr).toContain('1 file checked: 1 clean, 0 errors, 0 warnings');
    expect(run.code).toBe(0);
  });

  test('check rejects a misspelt one with a suggestion, and an unsupported one with its reason', async () => {
    const root = project({ 'users.http': `GET http://127.0.0.1:1/?a={{$random.name.fristName}}&b={{$random.beer.name}}\n` });
    const run = await runCli(['check', 'users.http'], { cwd: root });
    const out = run.stdout + run.stderr;
    expect(run.code).toBe(2);
    expect(out).toContain('users.http:1:27: error: unknown dynamic variable "$random.name.fristName"; did you mean $random.name.firstName?');
    expect(out).toContain('users.http:1:56: error: unsupported dynamic variable "$random.beer.name": JetBrains draws it from Java Faker\'s beer names');
  });

  test('a run sends the values', async () => {
    const root = project({ 'users.http': FILE });
    const run = await runCli(['--var', `host=${server.url}`, 'users.http'], { cwd: root });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const body = JSON.parse(server.requests[0]!.body.toString()) as Record<string, unknown>;
    expect(body.first).toMatch(NAME);
    expect(body.city).toMatch(WORDS);
    expect(body.age).toBeGreaterThanOrEqual(18);
    expect(body.age).toBeLessThan(65);
    expect(body.email).toMatch(/@example\.(com|net|org)$/);
    expect(body.id).toMatch(UUID);
  });

  /**
   * Records, in a file, every module the CLI process resolves through `import` (a loader hook) and
   * every module in require's cache at exit (faker is loaded with createRequire).
   */
  function probe(root: string): { env: Record<string, string>; loaded: () => string[] } {
    const out = join(root, 'modules.txt');
    const hooks = [
      "import { appendFileSync } from 'node:fs';",
      'export async function resolve(specifier, context, next) {',
      '  const resolved = await next(specifier, context);',
      `  appendFileSync(${JSON.stringify(out)}, resolved.url + '\\n');`,
      '  return resolved;',
      '}',
    ].join('\n');
    const script = join(root, 'probe.mjs');
    const source = [
      "import { appendFileSync } from 'node:fs';",
      "import { createRequire, register } from 'node:module';",
      `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`,
      'const require = createRequire(import.meta.url);',
      `process.on('exit', () => appendFileSync(${JSON.stringify(out)}, Object.keys(require.cache).join('\\n') + '\\n'));`,
    ].join('\n');
    writeFileSync(script, source);
    return {
      env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${script}`.trim() },
      loaded: () => readFileSync(out, 'utf8').split('\n').filter((line) => line !== ''),
    };
  }

  test('a run that uses no fake data never loads the library; one that does, does', async () => {
    const plainRoot = project({ 'plain.http': `GET ${server.url}/x\nX-Id: {{$uuid}}\nX-When: {{$datetime iso8601}}\n` });
    const plain = probe(plainRoot);
    const plainRun = await runCli(['plain.http'], { cwd: plainRoot, env: plain.env });
    expect(plainRun.code, plainRun.stdout + plainRun.stderr).toBe(0);
    const plainModules = plain.loaded();
    expect(plainModules.some((module) => module.includes('dist/bin/cli.js'))).toBe(true); // the probe saw the CLI load
    expect(plainModules.some((module) => module.includes('dayjs'))).toBe(true); // and what $datetime loads lazily
    expect(plainModules.filter((module) => module.includes('@faker-js'))).toEqual([]);

    const fakeRoot = project({ 'fake.http': `GET ${server.url}/x\nX-Name: {{$random.name.firstName}}\n` });
    const fake = probe(fakeRoot);
    const fakeRun = await runCli(['fake.http'], { cwd: fakeRoot, env: fake.env });
    expect(fakeRun.code, fakeRun.stdout + fakeRun.stderr).toBe(0);
    expect(fake.loaded().filter((module) => module.includes('@faker-js'))).toEqual([
      expect.stringMatching(/@faker-js\/faker\/dist\/locale\/en_US\.js$/),
    ]);
  });
});
