import { describe, expect, test } from 'vitest';
import { formatDate, parseDate } from '../src/assert/date-format.js';

function parsed(text: string, format: string): string {
  const result = parseDate(text, format);
  if ('error' in result) throw new Error(result.error);
  return result.value.toISOString();
}

describe('parseDate (toDate), with the cases of Hurl to_date.rs', () => {
  test('date, time and offset', () => {
    expect(parsed('2020-08-27 09:07:46 +02:00', '%Y-%m-%d %H:%M:%S %:z')).toBe('2020-08-27T07:07:46.000Z');
    expect(parsed('Thu Aug 27 09:07:46 2020 +0200', '%a %b %d %H:%M:%S %Y %z')).toBe('2020-08-27T07:07:46.000Z');
  });

  test('without an offset the time is UTC; without a time it is midnight', () => {
    expect(parsed('2020-08-27 09:07:46', '%Y-%m-%d %H:%M:%S')).toBe('2020-08-27T09:07:46.000Z');
    expect(parsed('2020-08-27', '%Y-%m-%d')).toBe('2020-08-27T00:00:00.000Z');
    expect(parsed('2020-08-27', '%F')).toBe('2020-08-27T00:00:00.000Z');
  });

  test('HTTP dates, RFC 3339 (%+), fractions, 12-hour clocks, epoch seconds, day of year', () => {
    expect(parsed('Wed, 21 Oct 2015 07:28:00 GMT', '%a, %d %b %Y %H:%M:%S GMT')).toBe('2015-10-21T07:28:00.000Z');
    expect(parsed('Wednesday, 21 October 2015 07:28:00 GMT', '%A, %d %B %Y %T %Z')).toBe('2015-10-21T07:28:00.000Z');
    expect(parsed('2023-01-23T18:25:43.511Z', '%+')).toBe('2023-01-23T18:25:43.511Z');
    expect(parsed('2024-03-20T11:23:56.773+02:00', '%+')).toBe('2024-03-20T09:23:56.773Z');
    expect(parsed('2023-01-23T18:25:43.511Z', '%Y-%m-%dT%H:%M:%S%.fZ')).toBe('2023-01-23T18:25:43.511Z');
    expect(parsed('2023-01-23T18:25:43Z', '%Y-%m-%dT%H:%M:%S%.fZ')).toBe('2023-01-23T18:25:43.000Z');
    expect(parsed('01/23/23 06:25 PM', '%D %I:%M %p')).toBe('2023-01-23T18:25:00.000Z');
    expect(parsed('12:05 am 2023-01-23', '%I:%M %P %F')).toBe('2023-01-23T00:05:00.000Z');
    expect(parsed('1700000000', '%s')).toBe('2023-11-14T22:13:20.000Z');
    expect(parsed('2024 060', '%Y %j')).toBe('2024-02-29T00:00:00.000Z');
  });

  test('what does not match the format, or names no real date, is an error that says both', () => {
    expect(parseDate('2020-08-27', 'ymd')).toEqual({ error: 'cannot read "2020-08-27" as a date in the format "ymd"' });
    expect(parseDate('2023-02-29', '%Y-%m-%d')).toEqual({ error: 'cannot read "2023-02-29" as a date in the format "%Y-%m-%d"' });
    expect(parseDate('2023-01-01 25:00', '%Y-%m-%d %H:%M')).toEqual({ error: 'cannot read "2023-01-01 25:00" as a date in the format "%Y-%m-%d %H:%M"' });
    expect(parseDate('2023-01-01 trailing', '%Y-%m-%d')).toEqual({ error: 'cannot read "2023-01-01 trailing" as a date in the format "%Y-%m-%d"' });
    expect(parseDate('12:00', '%H:%M')).toEqual({ error: 'cannot read "12:00" as a date in the format "%H:%M"' });
    expect(parseDate('2023', '%Y%Q')).toEqual({ error: 'unknown date format specifier "%Q" in "%Y%Q"' });
  });
});

describe('formatDate (dateFormat), in UTC', () => {
  const date = new Date('2023-01-23T18:05:03.511Z');
  test.each([
    ['%A', 'Monday'],
    ['%a, %d %b %Y %H:%M:%S', 'Mon, 23 Jan 2023 18:05:03'],
    ['%F %T', '2023-01-23 18:05:03'],
    ['%B %e, %y', 'January 23, 23'],
    ['%-m/%-d %I:%M %p %P', '1/23 06:05 PM pm'],
    ['%j %u %w', '023 1 1'],
    ['%.f|%.3f|%3f|%.6f', '.511|.511|511|.511000'],
    ['%z %:z %Z', '+0000 +00:00 UTC'],
    ['%s', '1674497103'],
    ['%+', '2023-01-23T18:05:03.511+00:00'],
    ['%c', 'Mon Jan 23 18:05:03 2023'],
    ['100%% %R', '100% 18:05'],
    ['%_H|%k|%-H|%0e', '18|18|18|23'],
  ])('%s → %s', (format, expected) => {
    expect(formatDate(date, format)).toEqual({ value: expected });
  });

  test('%.f writes nothing on a whole second, and padding follows the modifier', () => {
    const whole = new Date('2024-02-09T04:00:00Z');
    expect(formatDate(whole, '%H:%M:%S%.f')).toEqual({ value: '04:00:00' });
    expect(formatDate(whole, '%e|%-e|%_m|%k|%l')).toEqual({ value: ' 9|9| 2| 4| 4' });
  });

  test('an unknown specifier is an error', () => {
    expect(formatDate(date, '%Y-%q')).toEqual({ error: 'unknown date format specifier "%q" in "%Y-%q"' });
    expect(formatDate(date, 'trailing %')).toEqual({ error: 'unknown date format specifier "%" in "trailing %"' });
  });
});
