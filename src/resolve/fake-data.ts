import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import { closest } from '../edit-distance.js';
import type { DynamicResult } from './dynamic.js';

/**
 * JetBrains' fake-data dynamic variables: `{{$random.name.firstName}}`, `{{$random.address.city}}`,
 * `{{$random.number.numberBetween(1, 10)}}` ... JetBrains exposes the classes of Java Faker under
 * `$random.` (address, beer, bool, business, ChuckNorris, code, color, commerce, company, crypto,
 * educator, finance, hacker, idNumber, internet, lorem, name, number, phoneNumber, shakespeare,
 * superhero, team, university): `$random.<class>.<method>` calls that method of Java Faker's class,
 * with the arguments written in parentheses.
 *
 * httprun produces them with @faker-js/faker's en_US data (Java Faker's default locale is English
 * with US addresses and numbers), mapped method by method to the nearest faker-js generator, so each
 * value has the shape Java Faker's has; the table below says where the two differ. Where faker-js
 * has no data for a method (beer, Chuck Norris facts, Shakespeare quotes, superheroes, universities
 * ...), the name is known and its error says so, rather than "unknown". A method that returns a
 * list in Java (`lorem.words`) gives its items joined by spaces.
 *
 * faker is loaded on the first such variable: a run that uses none never loads it.
 */

let loaded: Faker | undefined;
function faker(): Faker {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    loaded = (require('@faker-js/faker/locale/en_US') as { faker: Faker }).faker;
  }
  return loaded;
}

type Arg = string | number | boolean;
type ParamType = 'int' | 'number' | 'boolean' | 'string';
type Produce = (f: Faker, args: readonly Arg[]) => string | number | boolean;

interface Method {
  /** Java Faker's overloads, as written in messages: `int min, int max`; `''` takes no arguments. */
  readonly overloads: readonly string[];
  readonly produce: (args: readonly Arg[]) => string | number | boolean;
}
interface Missing {
  /** What Java Faker draws on that faker-js lacks, as in "Java Faker's <missing>". */
  readonly missing: string;
}
type Entry = Method | Missing;

function method(produce: Produce, ...overloads: string[]): Method {
  return { overloads: overloads.length === 0 ? [''] : overloads, produce: (args) => produce(faker(), args) };
}
/** For the few that need no data (crypto hashes): they do not load faker. */
function plain(produce: () => string): Method {
  return { overloads: [''], produce };
}
function missing(what: string): Missing {
  return { missing: what };
}

/** A wrong argument a method found itself (the overloads only check types). */
class ArgumentProblem extends Error {}

const int = (arg: Arg | undefined): number => (typeof arg === 'number' ? arg : 0);

// A count past these is almost certainly a typo, and would stall the run building the text.
const MAX_CHARACTERS = 1_000_000;
const MAX_ITEMS = 10_000;

/** A count argument (`digits(8)`, `words(5)`), checked against what a request could sensibly hold. */
function count(arg: Arg | undefined, fallback: number, name: string, max = MAX_CHARACTERS): number {
  const value = arg === undefined ? fallback : int(arg);
  if (value < 0 || value > max) throw new ArgumentProblem(`expects ${name} from 0 to ${max}, got ${value}`);
  return value;
}
const bool = (arg: Arg | undefined, otherwise: boolean): boolean => (typeof arg === 'boolean' ? arg : otherwise);
/** A word list of faker's locale data that no method of faker-js returns on its own. */
function fromData(f: Faker, section: string, key: string): string {
  const list = (f.rawDefinitions as unknown as Record<string, Record<string, unknown> | undefined>)[section]?.[key];
  return f.helpers.arrayElement(Array.isArray(list) ? list.map(String) : []);
}
/** A word as one capitalized run of letters (`step-mother` → `Stepmother`), for codes made of words. */
const word = (text: string): string => {
  const letters = text.replace(/[^A-Za-z]/g, '').toLowerCase();
  return letters.charAt(0).toUpperCase() + letters.slice(1);
};
const digits = (f: Faker, length: number): string => f.string.numeric({ length, allowLeadingZeros: true });

/** A GTIN/EAN number: random digits and the check digit their weights give (Java Faker's gtin8/gtin13). */
function gtin(f: Faker, weights: readonly number[]): string {
  const body = digits(f, weights.length);
  const sum = [...body].reduce((total, digit, index) => total + Number(digit) * (weights[index] ?? 0), 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** Java Faker's lorem.characters: lowercase letters (and digits), each maybe upper-cased. */
function characters(f: Faker, length: number, uppercase: boolean, digit: boolean): string {
  const text = f.string.fromCharacters(digit ? 'abcdefghijklmnopqrstuvwxyz0123456789' : 'abcdefghijklmnopqrstuvwxyz', length);
  return uppercase ? [...text].map((c) => (f.datatype.boolean() ? c.toUpperCase() : c)).join('') : text;
}

/** A length in [min, max), as Java Faker draws one; min == max is min. */
function lengthBetween(f: Faker, min: number, max: number): number {
  if (min < 0 || max < min || max > MAX_CHARACTERS) {
    throw new ArgumentProblem(`expects 0 <= minimumLength <= maximumLength <= ${MAX_CHARACTERS}, got ${min} and ${max}`);
  }
  return min === max ? min : f.number.int({ min, max: max - 1 });
}

/** Java Faker's internet.password: [min, max) characters, special characters sprinkled in when asked. */
function password(f: Faker, min: number, max: number, uppercase: boolean, special: boolean, digit: boolean): string {
  const chars = [...characters(f, lengthBetween(f, min, max), uppercase, digit)];
  if (special && chars.length > 0) {
    const specials = min > 0 ? f.number.int({ min: 0, max: min - 1 }) : 0;
    for (let i = 0; i < specials; i++) chars[f.number.int(chars.length - 1)] = f.string.fromCharacters('!@#$%^&*');
  }
  return chars.join('');
}

function sentences(f: Faker, count: number): string {
  return Array.from({ length: count }, () => f.lorem.sentence({ min: 3, max: 8 })).join(' ');
}

function paragraph(f: Faker, sentenceCount: number): string {
  return sentences(f, sentenceCount + f.number.int(2));
}

const PRIVATE_NETWORKS = ['private-a', 'private-b', 'private-c'] as const;

/** Not in a private, loopback, link-local or multicast range. */
function publicIpv4(f: Faker): string {
  for (;;) {
    const address = f.internet.ipv4();
    const [a = 0, b = 0] = address.split('.').map(Number);
    const reserved =
      a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
    if (!reserved) return address;
  }
}

function creditCardOf(f: Faker, type: Arg | undefined): string {
  // Java's enum CreditCardType: VISA, MASTERCARD, AMERICAN_EXPRESS ...; faker-js names issuers in lower case.
  const issuer = String(type).replace(/^CreditCardType\./, '').toLowerCase();
  const known = Object.keys(f.rawDefinitions.finance?.credit_card ?? {});
  if (!known.includes(issuer)) {
    throw new ArgumentProblem(`knows the card types ${known.map((name) => name.toUpperCase()).join(', ')}, got "${String(type)}"`);
  }
  return f.finance.creditCardNumber(issuer);
}

/** US Social Security numbers as Java Faker makes them: valid ones avoid area 000, 666 and 9xx. */
function validSsn(f: Faker): string {
  let area = f.number.int({ min: 1, max: 899 });
  if (area === 666) area = 665;
  const group = f.number.int({ min: 1, max: 99 });
  const serial = f.number.int({ min: 1, max: 9999 });
  return `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

/** JetBrains' class names under `$random.`, each with Java Faker's methods (1.0.2, the last release). */
const FAMILIES: Record<string, Record<string, Entry>> = {
  address: {
    streetName: method((f) => f.location.street()),
    streetAddressNumber: method((f) => f.location.buildingNumber()),
    streetAddress: method((f, [secondary]) => f.location.streetAddress(bool(secondary, false)), '', 'boolean includeSecondary'),
    secondaryAddress: method((f) => f.location.secondaryAddress()),
    zipCode: method((f) => f.location.zipCode()),
    zipCodeByState: method((f, [state]) => f.location.zipCode({ state: String(state) }), 'string stateAbbr'),
    countyByZipCode: missing('counties by zip code'),
    streetSuffix: method((f) => fromData(f, 'location', 'street_suffix')),
    streetPrefix: missing('street prefixes (its English data has none either)'),
    citySuffix: method((f) => fromData(f, 'location', 'city_suffix')),
    cityPrefix: method((f) => fromData(f, 'location', 'city_prefix')),
    city: method((f) => f.location.city()),
    cityName: method((f) => f.location.city()),
    state: method((f) => f.location.state()),
    stateAbbr: method((f) => f.location.state({ abbreviated: true })),
    firstName: method((f) => f.person.firstName()),
    lastName: method((f) => f.person.lastName()),
    latitude: method((f) => f.location.latitude({ precision: 8 }).toFixed(8)),
    longitude: method((f) => f.location.longitude({ precision: 8 }).toFixed(8)),
    timeZone: method((f) => f.location.timeZone()),
    country: method((f) => f.location.country()),
    countryCode: method((f) => f.location.countryCode()),
    buildingNumber: method((f) => f.location.buildingNumber()),
    fullAddress: method(
      (f) => `${f.location.streetAddress()}, ${f.location.city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode()}`,
    ),
  },
  beer: {
    name: missing('beer names'),
    style: missing('beer styles'),
    hop: missing('hops'),
    yeast: missing('yeasts'),
    malt: missing('malts'),
  },
  bool: {
    bool: method((f) => f.datatype.boolean()),
  },
  business: {
    creditCardNumber: method((f) => f.finance.creditCardNumber()),
    creditCardType: method((f) => f.finance.creditCardIssuer()),
    // Java Faker's are a few fixed dates (2011-10-12 ...); a date of the same form.
    creditCardExpiry: method((f) => f.date.future({ years: 5 }).toISOString().slice(0, 10)),
  },
  ChuckNorris: {
    fact: missing('Chuck Norris facts'),
  },
  code: {
    isbnGs1: method((f) => f.commerce.isbn(13).split('-')[0] ?? ''),
    isbnGroup: method((f) => f.commerce.isbn(13).split('-')[1] ?? ''),
    isbnRegistrant: method((f) => f.commerce.isbn(13).split('-').slice(2, 4).join('-')),
    isbn10: method((f, [separator]) => f.commerce.isbn({ variant: 10, separator: bool(separator, false) ? '-' : '' }), '', 'boolean separator'),
    isbn13: method((f, [separator]) => f.commerce.isbn({ variant: 13, separator: bool(separator, false) ? '-' : '' }), '', 'boolean separator'),
    // Amazon's ASINs for books' other editions: B0 and eight letters or digits.
    asin: method((f) => `B0${f.string.alphanumeric({ length: 8, casing: 'upper' })}`),
    imei: method((f) => f.phone.imei().replaceAll('-', '')),
    ean8: method((f) => gtin(f, [3, 1, 3, 1, 3, 1, 3])),
    gtin8: method((f) => gtin(f, [3, 1, 3, 1, 3, 1, 3])),
    ean13: method((f) => gtin(f, [1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3])),
    gtin13: method((f) => gtin(f, [1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3])),
  },
  color: {
    name: method((f) => f.color.human()),
    hex: method((f, [hash]) => f.color.rgb({ prefix: bool(hash, true) ? '#' : '', casing: 'upper' }), '', 'boolean includeHashSign'),
  },
  commerce: {
    color: method((f) => f.color.human()),
    department: method((f) => f.commerce.department()),
    productName: method((f) => f.commerce.productName()),
    material: method((f) => f.commerce.productMaterial()),
    price: method(
      (f, args) => {
        const [min = 0, max = 100] = args.map(Number);
        if (max < min) throw new ArgumentProblem(`expects min <= max, got ${min} and ${max}`);
        return f.commerce.price({ min, max, dec: 2 });
      },
      '',
      'number min, number max',
    ),
    promotionCode: method(
      (f, [length]) => `${word(f.word.adjective())}${word(f.word.noun())}${digits(f, count(length, 6, 'digits'))}`,
      '',
      'int digits',
    ),
  },
  company: {
    name: method((f) => f.company.name()),
    suffix: method((f) => fromData(f, 'company', 'legal_entity_type')),
    industry: missing('industry names'),
    profession: method((f) => f.person.jobType().toLowerCase()),
    buzzword: method((f) =>
      f.helpers.arrayElement([f.company.catchPhraseAdjective(), f.company.catchPhraseDescriptor(), f.company.catchPhraseNoun()]),
    ),
    catchPhrase: method((f) => f.company.catchPhrase()),
    bs: method((f) => f.company.buzzPhrase()),
    logo: method((f) => f.image.url()),
    url: method((f) => `www.${f.company.name().toLowerCase().replace(/[^a-z0-9-]/g, '')}.${f.internet.domainSuffix()}`),
  },
  // Hex digests of random bytes: Java Faker hashes a random string the same way; no data needed.
  crypto: {
    md5: plain(() => createHash('md5').update(randomBytes(32)).digest('hex')),
    sha1: plain(() => createHash('sha1').update(randomBytes(32)).digest('hex')),
    sha256: plain(() => createHash('sha256').update(randomBytes(32)).digest('hex')),
    sha512: plain(() => createHash('sha512').update(randomBytes(32)).digest('hex')),
  },
  educator: {
    university: missing('university names'),
    course: missing('course names'),
    secondarySchool: missing('school names'),
    campus: missing('campus names'),
  },
  finance: {
    creditCard: method((f, [type]) => (type === undefined ? f.finance.creditCardNumber() : creditCardOf(f, type)), '', 'string creditCardType'),
    bic: method((f) => f.finance.bic()),
    iban: method(
      (f, [country]) => (country === undefined ? f.finance.iban() : f.finance.iban({ countryCode: String(country).toUpperCase() })),
      '',
      'string countryCode',
    ),
  },
  hacker: {
    abbreviation: method((f) => f.hacker.abbreviation()),
    adjective: method((f) => f.hacker.adjective()),
    noun: method((f) => f.hacker.noun()),
    verb: method((f) => f.hacker.verb()),
    ingverb: method((f) => f.hacker.ingverb()),
  },
  idNumber: {
    valid: method(validSsn),
    ssnValid: method(validSsn),
    // Java Faker's invalid forms: area 000, 666 or 9xx, group 00, serial 0000.
    invalid: method((f) =>
      f.helpers.replaceSymbols(f.helpers.arrayElement(['000-##-####', '###-00-####', '###-##-0000', '666-##-####', '9##-##-####'])),
    ),
    validSvSeSsn: missing('Swedish personal identity numbers'),
    invalidSvSeSsn: missing('Swedish personal identity numbers'),
  },
  internet: {
    emailAddress: method(
      (f, [local]) => (local === undefined ? f.internet.email() : `${String(local)}@${fromData(f, 'internet', 'free_email')}`),
      '',
      'string localPart',
    ),
    safeEmailAddress: method(
      (f, [local]) => (local === undefined ? f.internet.exampleEmail() : `${String(local)}@${fromData(f, 'internet', 'example_email')}`),
      '',
      'string localPart',
    ),
    domainName: method((f) => f.internet.domainName()),
    domainWord: method((f) => f.internet.domainWord()),
    domainSuffix: method((f) => f.internet.domainSuffix()),
    // Java Faker's url has no scheme: www.first-last.com.
    url: method((f) => {
      const host = `${f.person.firstName()}-${f.person.lastName()}`.toLowerCase().replace(/[^a-z0-9-]/g, '');
      return `www.${host}.${f.internet.domainSuffix()}`;
    }),
    avatar: method((f) => f.image.avatar()),
    // A picture of that size; picsum draws no text, so `text` is not shown.
    image: method(
      (f, [width, height, gray]) =>
        width === undefined
          ? f.image.url()
          : f.image.urlPicsumPhotos({ width: int(width), height: int(height), grayscale: bool(gray, false), blur: 0 }),
      '',
      'int width, int height, boolean gray, string text',
    ),
    password: method(
      (f, args) => {
        if (args.length <= 1) return password(f, 8, 16, false, false, bool(args[0], true));
        return password(f, int(args[0]), int(args[1]), bool(args[2], false), bool(args[3], false), bool(args[4], true));
      },
      '',
      'boolean includeDigit',
      'int minimumLength, int maximumLength',
      'int minimumLength, int maximumLength, boolean includeUppercase',
      'int minimumLength, int maximumLength, boolean includeUppercase, boolean includeSpecial',
      'int minimumLength, int maximumLength, boolean includeUppercase, boolean includeSpecial, boolean includeDigit',
    ),
    macAddress: method(
      (f, [prefix]) => {
        const given = prefix === undefined || String(prefix).trim() === '' ? [] : String(prefix).split(':');
        return [...given, ...f.internet.mac().split(':').slice(given.length)].join(':');
      },
      '',
      'string prefix',
    ),
    ipV4Address: method((f) => f.internet.ipv4()),
    privateIpV4Address: method((f) => f.internet.ipv4({ network: f.helpers.arrayElement(PRIVATE_NETWORKS) })),
    publicIpV4Address: method(publicIpv4),
    ipV4Cidr: method((f) => `${f.internet.ipv4()}/${f.number.int({ min: 1, max: 31 })}`),
    ipV6Address: method((f) => f.internet.ipv6()),
    ipV6Cidr: method((f) => `${f.internet.ipv6()}/${f.number.int({ min: 1, max: 127 })}`),
    slug: method((f) => f.lorem.words(2).replaceAll(' ', '_')),
    uuid: method((f) => f.string.uuid()),
    userAgentAny: method((f) => f.internet.userAgent()),
    userAgent: missing('user agents by browser (use $random.internet.userAgentAny, a user agent of any browser)'),
  },
  lorem: {
    character: method((f, [uppercase]) => characters(f, 1, bool(uppercase, false), true), '', 'boolean includeUppercase'),
    characters: method(
      (f, args) => {
        const [first, second, third, fourth] = args;
        if (typeof second === 'number') return characters(f, lengthBetween(f, int(first), second), bool(third, false), bool(fourth, true));
        if (typeof first === 'number') return characters(f, count(first, 255, 'length'), bool(second, false), bool(third, true));
        return characters(f, 255, bool(first, false), true);
      },
      '',
      'boolean includeUppercase',
      'int length',
      'int length, boolean includeUppercase',
      'int length, boolean includeUppercase, boolean includeDigit',
      'int minimumLength, int maximumLength',
      'int minimumLength, int maximumLength, boolean includeUppercase',
      'int minimumLength, int maximumLength, boolean includeUppercase, boolean includeDigit',
    ),
    word: method((f) => f.lorem.word()),
    words: method((f, [num]) => f.lorem.words(count(num, 3, 'num', MAX_ITEMS)), '', 'int num'),
    sentence: method(
      (f, [wordCount, extra]) => {
        const words = count(wordCount, 3, 'wordCount', MAX_ITEMS);
        const more = count(extra, 6, 'randomWordsToAdd', MAX_ITEMS);
        return f.lorem.sentence({ min: words, max: words + Math.max(0, more - 1) });
      },
      '',
      'int wordCount',
      'int wordCount, int randomWordsToAdd',
    ),
    sentences: method((f, [n]) => sentences(f, count(n, 3, 'sentenceCount', MAX_ITEMS)), 'int sentenceCount'),
    paragraph: method((f, [n]) => paragraph(f, count(n, 3, 'sentenceCount', MAX_ITEMS)), '', 'int sentenceCount'),
    paragraphs: method(
      (f, [n]) => Array.from({ length: count(n, 3, 'paragraphCount', MAX_ITEMS) }, () => paragraph(f, 3)).join(' '),
      'int paragraphCount',
    ),
    fixedString: method(
      (f, [n]) => {
        const length = count(n, 0, 'numberOfLetters');
        let text = '';
        while (text.length < length) text += `${f.lorem.sentence()} `;
        return text.slice(0, length);
      },
      'int numberOfLetters',
    ),
  },
  name: {
    name: method((f) => f.person.fullName()),
    nameWithMiddle: method((f) => `${f.person.firstName()} ${f.person.middleName()} ${f.person.lastName()}`),
    fullName: method((f) => f.person.fullName()),
    firstName: method((f) => f.person.firstName()),
    lastName: method((f) => f.person.lastName()),
    prefix: method((f) => f.person.prefix()),
    suffix: method((f) => f.person.suffix()),
    title: method((f) => f.person.jobTitle()),
    username: method((f) => `${f.person.firstName()}.${f.person.lastName()}`.toLowerCase().replace(/['\s]/g, '')),
    bloodGroup: method((f) => `${f.helpers.arrayElement(['A', 'B', 'AB', 'O'])}${f.helpers.arrayElement(['+', '-'])}`),
  },
  number: {
    randomDigit: method((f) => f.number.int(9)),
    randomDigitNotZero: method((f) => f.number.int({ min: 1, max: 9 })),
    numberBetween: method(
      (f, [a, b]) => {
        // Java Faker: min included, max excluded; equal bounds give that number.
        const low = Math.min(int(a), int(b));
        const high = Math.max(int(a), int(b));
        return low === high ? low : f.number.int({ min: low, max: high - 1 });
      },
      'int min, int max',
    ),
    randomNumber: method(
      (f, [count, strict]) => {
        const length = count === undefined ? f.number.int({ min: 1, max: 9 }) : int(count);
        if (length < 1 || length > 15) throw new ArgumentProblem(`expects numberOfDigits from 1 to 15, got ${length}`);
        return f.number.int({ min: bool(strict, false) ? 10 ** (length - 1) : 0, max: 10 ** length - 1 });
      },
      '',
      'int numberOfDigits, boolean strict',
    ),
    randomDouble: method(
      (f, [decimals, a, b]) => {
        if (int(decimals) < 0 || int(decimals) > 15) throw new ArgumentProblem(`expects maxNumberOfDecimals from 0 to 15, got ${int(decimals)}`);
        const low = Math.min(int(a), int(b));
        const high = Math.max(int(a), int(b));
        return low === high ? low : f.number.float({ min: low, max: high, fractionDigits: int(decimals) });
      },
      'int maxNumberOfDecimals, int min, int max',
    ),
    digits: method((f, [n]) => digits(f, count(n, 1, 'count')), 'int count'),
    digit: method((f) => digits(f, 1)),
  },
  phoneNumber: {
    cellPhone: method((f) => f.phone.number({ style: 'national' })),
    phoneNumber: method((f) => f.phone.number()),
    extension: method((f) => digits(f, 4)),
    subscriberNumber: method((f, [length]) => digits(f, count(length, 4, 'length')), '', 'int length'),
  },
  shakespeare: {
    hamletQuote: missing('Shakespeare quotes'),
    asYouLikeItQuote: missing('Shakespeare quotes'),
    kingRichardIIIQuote: missing('Shakespeare quotes'),
    romeoAndJulietQuote: missing('Shakespeare quotes'),
  },
  superhero: {
    name: missing('superhero names'),
    prefix: missing('superhero names'),
    suffix: missing('superhero names'),
    power: missing('superpowers'),
    descriptor: missing('superhero descriptors'),
  },
  // Java Faker: "<state> <creatures>" (Ohio dogs); faker-js' animal types are singular.
  team: {
    name: method((f) => `${f.location.state()} ${f.animal.type()}`),
    creature: method((f) => f.animal.type()),
    state: method((f) => f.location.state()),
    sport: missing('sports'),
  },
  university: {
    name: missing('university names'),
    prefix: missing('university names'),
    suffix: missing('university names'),
  },
};

/** Java Faker's own spelling of the class JetBrains documents as ChuckNorris. */
const ALIASES: Record<string, string> = { chuckNorris: 'ChuckNorris' };

/** The families under `$random.`, as JetBrains documents them. */
export const FAKE_DATA_FAMILIES: readonly string[] = Object.keys(FAMILIES);

/** Every `random.<family>.<method>` httprun can produce, as written after `$`. */
export const FAKE_DATA_NAMES: readonly string[] = Object.entries(FAMILIES).flatMap(([family, methods]) =>
  Object.entries(methods)
    .filter(([, entry]) => 'produce' in entry)
    .map(([name]) => `random.${family}.${name}`),
);

function familyOf(name: string): { family: string; methods: Record<string, Entry>; method: string | undefined } | undefined {
  const match = /^random\.([A-Za-z]+)(?:\.([A-Za-z0-9_]+))?$/.exec(name);
  if (match === null) return undefined;
  const family = Object.hasOwn(ALIASES, match[1]!) ? ALIASES[match[1]!]! : match[1]!;
  if (!Object.hasOwn(FAMILIES, family)) return undefined;
  return { family, methods: FAMILIES[family]!, method: match[2] };
}

export function isFakeDataName(name: string): boolean {
  const found = familyOf(name);
  return found?.method !== undefined && Object.hasOwn(found.methods, found.method) && 'produce' in found.methods[found.method]!;
}

/**
 * `name` is without `$` (`random.name.firstName`), `args` what follows it, with or without the
 * parentheses. Undefined when the name is not under one of JetBrains' fake-data families.
 */
export function evaluateFakeData(name: string, args: string): DynamicResult | undefined {
  const found = familyOf(name);
  if (found === undefined) return undefined;
  const { family, methods } = found;
  const list = Object.keys(methods).map((known) => `$random.${family}.${known}`);
  if (found.method === undefined) {
    return { error: `$random.${family} is one of JetBrains' fake-data classes; name one of its methods: ${list.join(', ')}` };
  }
  const written = `$random.${family}.${found.method}`;
  const entry = Object.hasOwn(methods, found.method) ? methods[found.method] : undefined;
  if (entry === undefined) {
    const close = closest(found.method, Object.keys(methods)).map((known) => `$random.${family}.${known}`);
    const suggestion = close.length > 0 ? `did you mean ${close.join(' or ')}?` : `$random.${family}'s methods: ${list.join(', ')}`;
    return { error: `unknown dynamic variable "${written}"; ${suggestion}` };
  }
  if (!('produce' in entry)) {
    return {
      error: `unsupported dynamic variable "${written}": JetBrains draws it from Java Faker's ${entry.missing}, which @faker-js/faker (httprun's fake-data library) does not have; write a value, or a {{variable}} set with --var`,
    };
  }
  const parsed = parseArguments(args);
  const values = parsed === null ? null : matchOverload(parsed, entry.overloads);
  if (values === null) {
    const forms = entry.overloads.map((overload) => `(${overload})`).join(' or ');
    return { error: `${written} expects ${forms}, got "${shown(args)}"` };
  }
  try {
    return { value: String(entry.produce(values)) };
  } catch (problem) {
    const message = problem instanceof Error ? (problem.message.split('\n')[0] ?? '') : String(problem);
    if (problem instanceof ArgumentProblem) return { error: `${written} ${message}` };
    return { error: `${written}(${shownInner(args)}): ${message}` };
  }
}

function shownInner(args: string): string {
  const trimmed = args.trim();
  return trimmed.startsWith('(') && trimmed.endsWith(')') ? trimmed.slice(1, -1).trim() : trimmed;
}

function shown(args: string): string {
  return `(${shownInner(args)})`;
}

interface Token {
  text: string;
  quoted: boolean;
}

/** `(1, "a, b", true)` or `1, "a, b", true`: comma-separated, strings in single or double quotes. */
function parseArguments(args: string): Token[] | null {
  const inner = shownInner(args);
  if (inner === '') return [];
  const tokens: Token[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^,"']*?))\s*(,|$)/y;
  let at = 0;
  while (at <= inner.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(inner);
    if (match === null) return null;
    const quoted = match[1] ?? match[2];
    const text = quoted === undefined ? (match[3] ?? '') : quoted.replace(/\\(.)/g, '$1');
    if (quoted === undefined && text === '') return null;
    tokens.push({ text, quoted: quoted !== undefined });
    if (match[4] === '') break;
    at = pattern.lastIndex;
  }
  return tokens;
}

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function convert(token: Token, type: ParamType): Arg | null {
  if (type === 'string') return token.text;
  if (token.quoted) return null;
  if (type === 'boolean') return token.text === 'true' ? true : token.text === 'false' ? false : null;
  if (type === 'int') return INTEGER.test(token.text) && Number.isSafeInteger(Number(token.text)) ? Number(token.text) : null;
  return NUMBER.test(token.text) && Number.isFinite(Number(token.text)) ? Number(token.text) : null;
}

/** The values of the first overload the arguments fit, by count and type; null if none. */
function matchOverload(tokens: readonly Token[], overloads: readonly string[]): Arg[] | null {
  for (const overload of overloads) {
    const types = overload === '' ? [] : overload.split(',').map((param) => param.trim().split(/\s+/)[0] as ParamType);
    if (types.length !== tokens.length) continue;
    const values = tokens.map((token, index) => convert(token, types[index]!));
    if (values.every((value) => value !== null)) return values as Arg[];
  }
  return null;
}
