import { describe, expect, it } from 'vitest';

import {
  activeFilterCount,
  filterFromParams,
  FILTER_NAMES,
  nextSort,
  sortFromParams,
  withoutFilter,
  withSort,
} from './filter';

describe('the list view in the URL', () => {
  it('reads every kind of filter field from its own parameter', () => {
    const params = new URLSearchParams({
      search: ' 8 916 ',
      segmentIds: 'a,b',
      gender: 'FEMALE',
      purchasesMin: '2',
      revenueMax: '1500,50',
      registrationSources: 'POS,WEB',
      hasMessenger: 'false',
      npsCategory: 'PROMOTER',
    });
    expect(filterFromParams(params)).toEqual({
      search: '8 916',
      segmentIds: ['a', 'b'],
      gender: 'FEMALE',
      purchasesMin: 2,
      revenueMax: '1500.50',
      registrationSources: ['POS', 'WEB'],
      hasMessenger: false,
      npsCategory: 'PROMOTER',
    });
  });

  it('leaves out values the API would refuse', () => {
    const params = new URLSearchParams({ gender: 'OTHER', purchasesMin: 'two', registeredFrom: 'May' });
    expect(filterFromParams(params)).toEqual({});
  });

  it('turns typed days into the start of the first and the end of the last day', () => {
    const filter = filterFromParams(new URLSearchParams({ registeredFrom: '2026-03-01', registeredTo: '2026-03-01' }));
    const from = new Date(filter.registeredFrom as string);
    const to = new Date(filter.registeredTo as string);
    expect([from.getFullYear(), from.getMonth(), from.getDate(), from.getHours()]).toEqual([2026, 2, 1, 0]);
    expect(to.getTime() - from.getTime()).toBe(24 * 3600 * 1000);
  });

  it('counts the filter fields set, not the search', () => {
    expect(activeFilterCount(new URLSearchParams('search=Анна&gender=MALE&npsMin=9&npsMax='))).toBe(2);
  });

  it('drops every filter field but keeps the order', () => {
    const params = withSort(new URLSearchParams('gender=MALE&channel=SMS'), { field: 'REVENUE', direction: 'ASC' });
    expect(withoutFilter(params).toString()).toBe('sort=REVENUE&dir=ASC');
  });

  it('orders by a clicked column descending first, then ascending', () => {
    const first = nextSort(sortFromParams(new URLSearchParams()), 'REVENUE');
    expect(first).toEqual({ field: 'REVENUE', direction: 'DESC' });
    expect(nextSort(first, 'REVENUE')).toEqual({ field: 'REVENUE', direction: 'ASC' });
    expect(sortFromParams(withSort(new URLSearchParams(), first))).toEqual(first);
  });

  it('knows every field of the API filter', () => {
    expect(FILTER_NAMES).toHaveLength(29);
  });
});
