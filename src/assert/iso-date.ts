const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** RFC 3339 / ISO 8601 calendar dates, with or without a time; the date must exist (no 2024-02-30). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part))) as number[];
  if ((month ?? 0) < 1 || (month ?? 0) > 12 || (day ?? 0) < 1) return false;
  const daysInMonth = new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
  return (day ?? 0) <= daysInMonth && (hour ?? 0) < 24 && (minute ?? 0) < 60 && (second ?? 0) < 61;
}
