/**
 * Hurl's `toDate "fmt"` and `dateFormat "fmt"` (formerly `format`) filters use chrono's strftime
 * specifiers (https://docs.rs/chrono/latest/chrono/format/strftime/). This is the subset request
 * files use: dates, times, names of days and months, offsets, fractions, epoch seconds and the
 * shorthands (`%F`, `%T`, `%D`, `%R`, `%c`, `%+` for RFC 3339). Dates are UTC throughout, as in
 * Hurl; padding modifiers `%-d`, `%_d` and `%0e` work on numeric fields.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Specifiers that stand for a sequence of others. */
const SHORTHANDS: Record<string, string> = {
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  X: '%H:%M:%S',
  R: '%H:%M',
  D: '%m/%d/%y',
  x: '%m/%d/%y',
  r: '%I:%M:%S %p',
  c: '%a %b %e %H:%M:%S %Y',
  v: '%e-%b-%Y',
  h: '%b',
};

type Spec = { literal: string } | { spec: string; pad: '' | '-' | '_' | '0' };

/** Splits a format into literal text and specifiers; `%.f`, `%.3f`, `%3f`, `%:z` are one specifier each. */
function compile(format: string): Spec[] | { error: string } {
  const parts: Spec[] = [];
  let literal = '';
  for (let index = 0; index < format.length; index += 1) {
    const char = format[index] as string;
    if (char !== '%') {
      literal += char;
      continue;
    }
    const match = /^%([-_0]?)(\.?[369]?f|:z|[a-zA-Z%+])/.exec(format.slice(index));
    if (match === null) return { error: `unknown date format specifier "${format.slice(index, index + 2)}" in "${format}"` };
    const pad = (match[1] ?? '') as '' | '-' | '_' | '0';
    const spec = match[2] as string;
    index += match[0].length - 1;
    if (spec === '%') {
      literal += '%';
      continue;
    }
    if (spec === 'n' || spec === 't') {
      literal += spec === 'n' ? '\n' : '\t';
      continue;
    }
    if (literal !== '') parts.push({ literal });
    literal = '';
    const expanded = SHORTHANDS[spec];
    if (expanded !== undefined) {
      const inner = compile(expanded) as Spec[];
      parts.push(...inner);
    } else if (!KNOWN.has(spec)) {
      return { error: `unknown date format specifier "%${spec}" in "${format}"` };
    } else parts.push({ spec, pad });
  }
  if (literal !== '') parts.push({ literal });
  return parts;
}

const KNOWN = new Set(['Y', 'C', 'y', 'm', 'b', 'B', 'd', 'e', 'a', 'A', 'w', 'u', 'j', 'H', 'k', 'I', 'l', 'M', 'S', 'p', 'P', 'f', '.f', '.3f', '.6f', '.9f', '3f', '6f', '9f', 'z', ':z', 'Z', 's', '+']);

function padded(value: number, width: number, pad: string, natural: ' ' | '0'): string {
  const text = String(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  if (pad === '-') return sign + text;
  const fill = pad === '_' ? ' ' : pad === '0' ? '0' : natural;
  return sign + text.padStart(width, fill);
}

/** Formats a date (UTC) with a chrono-style format. */
export function formatDate(date: Date, format: string): { value: string } | { error: string } {
  const parts = compile(format);
  if ('error' in parts) return parts;
  const millis = date.getUTCMilliseconds();
  const hour = date.getUTCHours();
  let out = '';
  for (const part of parts) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const { spec, pad } = part;
    switch (spec) {
      case 'Y': out += padded(date.getUTCFullYear(), 4, pad, '0'); break;
      case 'C': out += padded(Math.floor(date.getUTCFullYear() / 100), 2, pad, '0'); break;
      case 'y': out += padded(date.getUTCFullYear() % 100, 2, pad, '0'); break;
      case 'm': out += padded(date.getUTCMonth() + 1, 2, pad, '0'); break;
      case 'b': out += (MONTHS[date.getUTCMonth()] as string).slice(0, 3); break;
      case 'B': out += MONTHS[date.getUTCMonth()] as string; break;
      case 'd': out += padded(date.getUTCDate(), 2, pad, '0'); break;
      case 'e': out += padded(date.getUTCDate(), 2, pad, ' '); break;
      case 'a': out += (DAYS[date.getUTCDay()] as string).slice(0, 3); break;
      case 'A': out += DAYS[date.getUTCDay()] as string; break;
      case 'w': out += String(date.getUTCDay()); break;
      case 'u': out += String(date.getUTCDay() === 0 ? 7 : date.getUTCDay()); break;
      case 'j': out += padded(dayOfYear(date), 3, pad, '0'); break;
      case 'H': out += padded(hour, 2, pad, '0'); break;
      case 'k': out += padded(hour, 2, pad, ' '); break;
      case 'I': out += padded(hour % 12 === 0 ? 12 : hour % 12, 2, pad, '0'); break;
      case 'l': out += padded(hour % 12 === 0 ? 12 : hour % 12, 2, pad, ' '); break;
      case 'M': out += padded(date.getUTCMinutes(), 2, pad, '0'); break;
      case 'S': out += padded(date.getUTCSeconds(), 2, pad, '0'); break;
      case 'p': out += hour < 12 ? 'AM' : 'PM'; break;
      case 'P': out += hour < 12 ? 'am' : 'pm'; break;
      case 'f': out += String(millis * 1_000_000).padStart(9, '0'); break;
      case '3f': out += String(millis).padStart(3, '0'); break;
      case '6f': out += String(millis * 1000).padStart(6, '0'); break;
      case '9f': out += String(millis * 1_000_000).padStart(9, '0'); break;
      // chrono's `%.f` writes nothing for a whole second, else as many digits as the precision needs.
      case '.f': out += millis === 0 ? '' : `.${String(millis).padStart(3, '0')}`; break;
      case '.3f': out += `.${String(millis).padStart(3, '0')}`; break;
      case '.6f': out += `.${String(millis * 1000).padStart(6, '0')}`; break;
      case '.9f': out += `.${String(millis * 1_000_000).padStart(9, '0')}`; break;
      case 'z': out += '+0000'; break;
      case ':z': out += '+00:00'; break;
      case 'Z': out += 'UTC'; break;
      case 's': out += String(Math.floor(date.getTime() / 1000)); break;
      case '+': out += (formatDate(date, '%Y-%m-%dT%H:%M:%S%.f%:z') as { value: string }).value; break;
    }
  }
  return { value: out };
}

function dayOfYear(date: Date): number {
  return Math.floor((Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

interface Fields {
  year?: number;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour: number;
  hour12?: number;
  pm?: boolean;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes: number;
  epoch?: number;
  instant?: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:?\d{2})/;

/**
 * Parses `text` with a chrono-style format, strictly: the whole text must match. Without an
 * offset in the format the time is UTC; without a time it is midnight (Hurl's three attempts:
 * date-time with offset, without, date only).
 */
export function parseDate(text: string, format: string): { value: Date } | { error: string } {
  const parts = compile(format);
  if ('error' in parts) return parts;
  const fail = { error: `cannot read ${JSON.stringify(text)} as a date in the format ${JSON.stringify(format)}` };
  const fields: Fields = { hour: 0, minute: 0, second: 0, millis: 0, offsetMinutes: 0 };
  let at = 0;
  const digits = (min: number, max: number, signed = false): number | null => {
    const match = new RegExp(`^${signed ? '[-+]?' : ''} *\\d{${min},${max}}`).exec(text.slice(at));
    if (match === null) return null;
    at += match[0].length;
    return Number(match[0].trim());
  };
  const word = (names: readonly string[]): number | null => {
    const rest = text.slice(at).toLowerCase();
    // Full names first: "June" must not stop at "Jun".
    for (const length of [Infinity, 3]) {
      const index = names.findIndex((name) => rest.startsWith(name.slice(0, length).toLowerCase()));
      if (index !== -1) {
        at += (names[index] as string).slice(0, length).length;
        return index;
      }
    }
    return null;
  };
  for (const part of parts) {
    if ('literal' in part) {
      for (const char of part.literal) {
        // A space in the format matches any run of whitespace, as in chrono.
        if (/\s/.test(char)) {
          while (at < text.length && /\s/.test(text[at] as string)) at += 1;
        } else if (text[at] === char) at += 1;
        else return fail;
      }
      continue;
    }
    let value: number | null;
    switch (part.spec) {
      case 'Y': value = digits(1, 6, true); if (value !== null) fields.year = value; break;
      case 'C': value = digits(1, 2); if (value !== null) fields.year = value * 100 + ((fields.year ?? 0) % 100); break;
      case 'y': value = digits(1, 2); if (value !== null) fields.year = value + (value < 70 ? 2000 : 1900); break;
      case 'm': value = digits(1, 2); if (value !== null) fields.month = value; break;
      case 'b': case 'B': value = word(MONTHS); if (value !== null) fields.month = value + 1; break;
      case 'd': case 'e': value = digits(1, 2); if (value !== null) fields.day = value; break;
      case 'a': case 'A': value = word(DAYS); break;
      case 'w': case 'u': value = digits(1, 1); break;
      case 'j': value = digits(1, 3); if (value !== null) fields.dayOfYear = value; break;
      case 'H': case 'k': value = digits(1, 2); if (value !== null) fields.hour = value; break;
      case 'I': case 'l': value = digits(1, 2); if (value !== null) fields.hour12 = value; break;
      case 'M': value = digits(1, 2); if (value !== null) fields.minute = value; break;
      case 'S': value = digits(1, 2); if (value !== null) fields.second = value; break;
      case 'p': case 'P': value = word(['AM', 'PM']); if (value !== null) fields.pm = value === 1; break;
      case 'f': case '3f': case '6f': case '9f': value = fraction(); break;
      case '.f': case '.3f': case '.6f': case '.9f':
        // chrono's `%.f` may be absent entirely; the fixed-width forms need their dot.
        if (text[at] === '.') {
          at += 1;
          value = fraction();
        } else value = part.spec === '.f' ? 0 : null;
        break;
      case 'z': case ':z': value = offset(); break;
      case 'Z': {
        const match = /^[A-Za-z]+/.exec(text.slice(at));
        value = match === null ? null : 0;
        if (match !== null) at += match[0].length;
        break;
      }
      case 's': value = digits(1, 12, true); if (value !== null) fields.epoch = value; break;
      case '+': {
        const match = RFC3339.exec(text.slice(at));
        value = match === null ? null : Date.parse(match[0].replace(' ', 'T'));
        if (match !== null && Number.isFinite(value)) {
          at += match[0].length;
          fields.instant = value as number;
        } else value = null;
        break;
      }
      default: value = null;
    }
    if (value === null) return fail;
  }
  if (at !== text.length) return fail;
  return build(fields, fail);

  function fraction(): number | null {
    const match = /^\d{1,9}/.exec(text.slice(at));
    if (match === null) return null;
    at += match[0].length;
    fields.millis = Math.floor(Number(match[0].padEnd(9, '0')) / 1_000_000);
    return fields.millis;
  }

  function offset(): number | null {
    const match = /^(?:[Zz]|([-+])(\d{2}):?(\d{2}))/.exec(text.slice(at));
    if (match === null) return null;
    at += match[0].length;
    fields.offsetMinutes = match[1] === undefined ? 0 : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
    return fields.offsetMinutes;
  }
}

function build(fields: Fields, fail: { error: string }): { value: Date } | { error: string } {
  if (fields.instant !== undefined) return { value: new Date(fields.instant) };
  if (fields.epoch !== undefined) return { value: new Date(fields.epoch * 1000 + fields.millis) };
  let hour = fields.hour;
  if (fields.hour12 !== undefined) {
    if (fields.hour12 < 1 || fields.hour12 > 12) return fail;
    hour = (fields.hour12 % 12) + (fields.pm ? 12 : 0);
  }
  const { year } = fields;
  if (year === undefined) return fail;
  let month = fields.month;
  let day = fields.day;
  if (fields.dayOfYear !== undefined && (month === undefined || day === undefined)) {
    const date = new Date(Date.UTC(year, 0, fields.dayOfYear));
    if (date.getUTCFullYear() !== year || fields.dayOfYear < 1) return fail;
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  }
  if (month === undefined || day === undefined || month < 1 || month > 12 || day < 1) return fail;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return fail;
  if (hour > 23 || fields.minute > 59 || fields.second > 60) return fail;
  const time = Date.UTC(year, month - 1, day, hour, fields.minute, fields.second, fields.millis) - fields.offsetMinutes * 60_000;
  const value = new Date(time);
  // Date.UTC reads years 0-99 as 1900-1999.
  if (year >= 0 && year < 100) value.setUTCFullYear(value.getUTCFullYear() - 1900);
  return { value };
}
