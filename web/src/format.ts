// Amounts, counts and dates as the merchant reads them, in the page's language and the
// tenant's currency and time zone.

export interface Formats {
  locale: string;
  currency: string;
  timeZone?: string;
}

const LOCALES: Record<string, string> = { ru: 'ru-RU', en: 'en-GB' };

export function formatsFor(language: string, currency: string, timeZone: string | null): Formats {
  return { locale: LOCALES[language] ?? language, currency, timeZone: timeZone ?? undefined };
}

/** A Decimal of the API ("1250.00") as money; an empty text for null. */
export function money(value: string | null | undefined, f: Formats): string {
  if (value === null || value === undefined) return '';
  const amount = Number(value);
  // Whole amounts without kopecks; any other with both digits (1 250,50 ₽, not 1 250,5 ₽).
  const digits = Number.isInteger(amount) ? 0 : 2;
  return new Intl.NumberFormat(f.locale, {
    style: 'currency',
    currency: f.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
}

/** A client's name as the list and the card show it: first name, then surname. */
export function fullName(row: { firstName?: string | null; lastName?: string | null }): string {
  return [row.firstName, row.lastName].filter(Boolean).join(' ');
}

/** Bonus points: a number, no currency. */
export function points(value: string | null | undefined, f: Formats): string {
  if (value === null || value === undefined) return '';
  return new Intl.NumberFormat(f.locale, { maximumFractionDigits: 2 }).format(Number(value));
}

export function dateTime(value: string | null | undefined, f: Formats): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(f.locale, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: f.timeZone,
  }).format(new Date(value));
}

export function date(value: string | null | undefined, f: Formats): string {
  if (!value) return '';
  // A bare date ("1990-05-01") is a calendar day: read it in UTC so that no zone moves it.
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(f.locale, {
    dateStyle: 'short',
    timeZone: bare ? 'UTC' : f.timeZone,
  }).format(new Date(bare ? `${value}T00:00:00Z` : value));
}

/** A phone as stored (+79161234567) grouped for reading: +7 916 123-45-67. */
export function phone(value: string | null | undefined): string {
  if (!value) return '';
  const match = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(value);
  return match ? `+7 ${match[1]} ${match[2]}-${match[3]}-${match[4]}` : value;
}
