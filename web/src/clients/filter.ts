// The list's view (filter, order) as URL parameters and back: a link reproduces the view.
// Each CustomerFilter field keeps its own name in the URL; lists are comma-separated.
import type {
  Channel,
  CustomerFilter,
  CustomerOrder,
  CustomerOrderField,
  Gender,
  MessengerStatus,
  NpsCategory,
  OrderDirection,
  RegistrationSource,
} from '../gql/graphql';

export type FieldKind =
  | 'text'
  | 'int'
  | 'decimal'
  | 'dayFrom'
  | 'dayTo'
  | 'enum'
  | 'enumList'
  | 'idList'
  | 'boolean';

interface FieldSpec {
  kind: FieldKind;
  /** For enums: the values the API takes. */
  values?: readonly string[];
}

export const GENDERS: readonly Gender[] = ['FEMALE', 'MALE', 'UNKNOWN'];
export const CHANNELS: readonly Channel[] = ['TELEGRAM', 'WHATSAPP', 'VIBER', 'VK', 'SMS'];
export const MESSENGER_STATUSES: readonly MessengerStatus[] = ['ACTIVE', 'INACTIVE'];
export const NPS_CATEGORIES: readonly NpsCategory[] = ['PROMOTER', 'PASSIVE', 'DETRACTOR', 'NONE'];
export const SOURCES: readonly RegistrationSource[] = ['MESSENGER', 'POS', 'MANUAL', 'IMPORT', 'WEB'];
export const ORDER_FIELDS: readonly CustomerOrderField[] = [
  'REGISTERED_AT',
  'LAST_PURCHASE_AT',
  'REVENUE',
  'PURCHASES',
  'BONUS_BALANCE',
  'NAME',
  'AVERAGE_CHECK',
  'LAST_NPS_SCORE',
  'NEXT_BIRTHDAY',
];

/** Every field of CustomerFilter, in the order the filter panel shows them. */
export const FILTER_FIELDS = {
  search: { kind: 'text' },
  segmentIds: { kind: 'idList' },
  notInSegmentIds: { kind: 'idList' },
  tierIds: { kind: 'idList' },
  gender: { kind: 'enum', values: GENDERS },
  registeredFrom: { kind: 'dayFrom' },
  registeredTo: { kind: 'dayTo' },
  registrationSources: { kind: 'enumList', values: SOURCES },
  outletIds: { kind: 'idList' },
  purchasedAtOutletIds: { kind: 'idList' },
  purchasesMin: { kind: 'int' },
  purchasesMax: { kind: 'int' },
  revenueMin: { kind: 'decimal' },
  revenueMax: { kind: 'decimal' },
  averageCheckMin: { kind: 'decimal' },
  averageCheckMax: { kind: 'decimal' },
  lastPurchaseFrom: { kind: 'dayFrom' },
  lastPurchaseTo: { kind: 'dayTo' },
  bonusBalanceMin: { kind: 'decimal' },
  bonusBalanceMax: { kind: 'decimal' },
  bonusesExpiringWithinDays: { kind: 'int' },
  messengerStatus: { kind: 'enum', values: MESSENGER_STATUSES },
  channel: { kind: 'enum', values: CHANNELS },
  hasMessenger: { kind: 'boolean' },
  npsMin: { kind: 'int' },
  npsMax: { kind: 'int' },
  npsCategory: { kind: 'enum', values: NPS_CATEGORIES },
  birthdayWithinDays: { kind: 'int' },
  birthMonth: { kind: 'int' },
} as const satisfies Record<keyof CustomerFilter, FieldSpec>;

export type FilterField = keyof typeof FILTER_FIELDS;
export const FILTER_NAMES = Object.keys(FILTER_FIELDS) as FilterField[];

/** A day typed in the panel as the instant the API compares with, in the browser's zone. */
function dayBoundary(day: string, end: boolean): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const [y, m, d] = day.split('-').map(Number);
  const at = end ? new Date(y, m - 1, d + 1) : new Date(y, m - 1, d);
  return at.toISOString();
}

function parseValue(spec: FieldSpec, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return null;
  switch (spec.kind) {
    case 'text':
      return text;
    case 'int':
      return /^-?\d+$/.test(text) ? Number(text) : null;
    case 'decimal':
      return /^-?\d+([.,]\d+)?$/.test(text) ? text.replace(',', '.') : null;
    case 'dayFrom':
      return dayBoundary(text, false);
    case 'dayTo':
      return dayBoundary(text, true);
    case 'enum':
      return spec.values?.includes(text) ? text : null;
    case 'enumList': {
      const items = text.split(',').filter((item) => spec.values?.includes(item));
      return items.length > 0 ? items : null;
    }
    case 'idList': {
      const items = text.split(',').map((item) => item.trim()).filter(Boolean);
      return items.length > 0 ? items : null;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : null;
  }
}

/** The CustomerFilter the URL describes; parameters that do not parse are left out. */
export function filterFromParams(params: URLSearchParams): CustomerFilter {
  const filter: Record<string, unknown> = {};
  for (const name of FILTER_NAMES) {
    const raw = params.get(name);
    if (raw === null) continue;
    const value = parseValue(FILTER_FIELDS[name], raw);
    if (value !== null) filter[name] = value;
  }
  return filter as CustomerFilter;
}

/** How many filter fields (the search aside) the URL sets. */
export function activeFilterCount(params: URLSearchParams): number {
  return FILTER_NAMES.filter((name) => name !== 'search' && (params.get(name) ?? '') !== '').length;
}

export interface SortState {
  field: CustomerOrderField;
  direction: OrderDirection;
}

export const DEFAULT_SORT: SortState = { field: 'REGISTERED_AT', direction: 'DESC' };

export function sortFromParams(params: URLSearchParams): SortState {
  const field = params.get('sort') as CustomerOrderField | null;
  const direction = params.get('dir') === 'ASC' ? 'ASC' : 'DESC';
  return field && ORDER_FIELDS.includes(field) ? { field, direction } : DEFAULT_SORT;
}

export function orderOf(sort: SortState): CustomerOrder {
  return { field: sort.field, direction: sort.direction };
}

/** The next order after a click on a column: that column descending, then ascending. */
export function nextSort(current: SortState, field: CustomerOrderField): SortState {
  if (current.field !== field) return { field, direction: 'DESC' };
  return { field, direction: current.direction === 'DESC' ? 'ASC' : 'DESC' };
}

/** The URL parameters with one value set (or removed when empty); others kept. */
export function withParam(params: URLSearchParams, name: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === null || value === '') next.delete(name);
  else next.set(name, value);
  return next;
}

export function withSort(params: URLSearchParams, sort: SortState): URLSearchParams {
  const next = withParam(params, 'sort', sort.field);
  return withParam(next, 'dir', sort.direction);
}

/** The URL without any filter field (the order kept). */
export function withoutFilter(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of FILTER_NAMES) next.delete(name);
  return next;
}
