// The list's bulk actions as the API takes them: what a merchant typed, checked and turned
// into a job's arguments, and how far a started job has got.
import type { CustomerColumn, ExportFormat, JobStatus } from '../gql/graphql';

export type BulkAction = 'assign' | 'unassign' | 'accrue' | 'export';

export const BULK_ACTIONS: readonly BulkAction[] = ['assign', 'unassign', 'accrue', 'export'];

export const EXPORT_FORMATS: readonly ExportFormat[] = ['CSV', 'XLSX'];

/** Every column an export can hold, in the order the file has them. */
export const EXPORT_COLUMNS: readonly CustomerColumn[] = [
  'NAME',
  'PHONE',
  'EMAIL',
  'GENDER',
  'BIRTH_DATE',
  'REGISTERED_AT',
  'SOURCE',
  'OUTLET',
  'SEGMENTS',
  'PURCHASES',
  'REVENUE',
  'AVERAGE_CHECK',
  'LAST_PURCHASE_AT',
  'BONUS_BALANCE',
  'MESSENGER_STATUS',
  'DEFAULT_CHANNEL',
  'LAST_NPS_SCORE',
];

const FINISHED: ReadonlySet<JobStatus> = new Set<JobStatus>(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Whether the job will change no more (nothing left to watch or cancel). */
export function isFinished(status: JobStatus): boolean {
  return FINISHED.has(status);
}

export interface Progress {
  processed: number;
  failed: number;
  total?: number | null;
}

/** How much of the job is done, 0–100; null while its audience is not fixed yet. */
export function percentDone(job: Progress): number | null {
  if (job.total === null || job.total === undefined) return null;
  if (job.total === 0) return 100;
  const done = job.processed + job.failed;
  return Math.min(100, Math.floor((done * 100) / job.total));
}

// The API's limits on one accrual (the customers service says the same in its own words).
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

/** The amount typed (a comma as the decimal point too) as the API's Decimal, or null. */
export function accrualAmount(typed: string): string | null {
  const text = typed.trim().replace(/\s/g, '').replace(',', '.');
  if (!AMOUNT.test(text) || Number(text) <= 0) return null;
  return Number(text).toFixed(2);
}

/**
 * The moment bonuses accrued until `day` (YYYY-MM-DD, as a date input gives it) expire: the
 * end of that day in the browser's zone. Null for no day; 'past' for a day already over.
 */
export function expiryOf(day: string, now: Date = new Date()): string | null | 'past' {
  if (day.trim() === '') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!match) return 'past';
  const [, y, m, d] = match.map(Number);
  const end = new Date(y, m - 1, d + 1);
  return end.getTime() <= now.getTime() ? 'past' : end.toISOString();
}

/** The columns to ask for: none chosen, or all of them, is the API's default (every column). */
export function chosenColumns(chosen: readonly string[]): CustomerColumn[] | null {
  const known = EXPORT_COLUMNS.filter((column) => chosen.includes(column));
  return known.length === 0 || known.length === EXPORT_COLUMNS.length ? null : known;
}
