import { describe, expect, it } from 'vitest';

import { accrualAmount, chosenColumns, EXPORT_COLUMNS, expiryOf, isFinished, percentDone } from './jobs';

describe('a bulk accrual as typed', () => {
  it('takes a whole or decimal amount, a comma as the point, spaces between thousands', () => {
    expect(accrualAmount('150')).toBe('150.00');
    expect(accrualAmount(' 99,5 ')).toBe('99.50');
    expect(accrualAmount('1 000.25')).toBe('1000.25');
  });

  it('refuses nothing, zero, a negative, text and more than two digits after the point', () => {
    for (const typed of ['', '0', '0.00', '-10', 'сто', '10.125', '1e3']) {
      expect(accrualAmount(typed)).toBeNull();
    }
  });

  it('lets the bonuses expire at the end of the chosen day, never on a day already over', () => {
    const now = new Date(2026, 11, 2, 21, 0);
    expect(expiryOf('', now)).toBeNull();
    expect(expiryOf('2026-12-31', now)).toBe(new Date(2027, 0, 1).toISOString());
    // Today is not over yet: bonuses may last until tonight.
    expect(expiryOf('2026-12-02', now)).toBe(new Date(2026, 11, 3).toISOString());
    expect(expiryOf('2026-12-01', now)).toBe('past');
    expect(expiryOf('31.12.2026', now)).toBe('past');
  });
});

describe('the columns of an export', () => {
  it('asks for the chosen ones in the file order', () => {
    expect(chosenColumns(['PHONE', 'NAME'])).toEqual(['NAME', 'PHONE']);
  });

  it('leaves the choice to the API when none or all are chosen, and drops unknown names', () => {
    expect(chosenColumns([])).toBeNull();
    expect(chosenColumns(['SHOE_SIZE'])).toBeNull();
    expect(chosenColumns([...EXPORT_COLUMNS])).toBeNull();
  });
});

describe('a job followed to its end', () => {
  it('is over once it succeeded, failed or was cancelled', () => {
    expect(['QUEUED', 'RUNNING'].map((s) => isFinished(s as 'QUEUED'))).toEqual([false, false]);
    expect(['SUCCEEDED', 'FAILED', 'CANCELLED'].map((s) => isFinished(s as 'SUCCEEDED'))).toEqual([true, true, true]);
  });

  it('shows its progress once its audience is fixed, the skipped clients counted as handled', () => {
    expect(percentDone({ processed: 0, failed: 0, total: null })).toBeNull();
    expect(percentDone({ processed: 0, failed: 0, total: 0 })).toBe(100);
    expect(percentDone({ processed: 33, failed: 1, total: 68 })).toBe(50);
    expect(percentDone({ processed: 2, failed: 0, total: 3 })).toBe(66);
    expect(percentDone({ processed: 55, failed: 0, total: 55 })).toBe(100);
  });
});
