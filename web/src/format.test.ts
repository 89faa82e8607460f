import { describe, expect, it } from 'vitest';

import { date, formatsFor, money, phone, points } from './format';

const ru = formatsFor('ru', 'RUB', 'Europe/Moscow');
const en = formatsFor('en', 'RUB', 'Europe/Moscow');

// Intl puts no-break spaces between groups in Russian.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('formats', () => {
  it('writes money in the locale with the tenant currency', () => {
    expect(plain(money('31390.00', ru))).toBe('31 390 ₽');
    expect(plain(money('3923.75', ru))).toBe('3 923,75 ₽');
    expect(plain(money('1250.50', en))).toBe('RUB 1,250.50');
    expect(money(null, ru)).toBe('');
  });

  it('writes points without a currency', () => {
    expect(plain(points('1540.10', ru))).toBe('1 540,1');
  });

  it('keeps a calendar date on its day whatever the zone', () => {
    expect(date('1990-05-01', formatsFor('ru', 'RUB', 'America/Los_Angeles'))).toBe('01.05.1990');
  });

  it('shows an instant in the tenant time zone', () => {
    expect(date('2026-01-31T22:30:00+00:00', ru)).toBe('01.02.2026');
  });

  it('groups a Russian phone for reading', () => {
    expect(phone('+79161234567')).toBe('+7 916 123-45-67');
    expect(phone('+4930123456')).toBe('+4930123456');
  });
});
