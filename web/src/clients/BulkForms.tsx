// What each bulk action asks before it starts. A form tells its dialog the job's arguments
// once they are complete and valid (null until then), so the dialog only starts valid jobs.
import { MultiSelect, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';

import type { CustomerColumn, ExportFormat } from '../gql/graphql';
import { EXPORT_COLUMNS, EXPORT_FORMATS, accrualAmount, chosenColumns, expiryOf } from './jobs';
import { SegmentsQuery } from './operations';

export type Ready =
  | { kind: 'segments'; segmentIds: string[] }
  | { kind: 'accrual'; amount: string; comment: string | null; expiresAt: string | null }
  | { kind: 'export'; format: ExportFormat; columns: CustomerColumn[] | null };

interface FormProps {
  onChange: (ready: Ready | null) => void;
}

export function SegmentsForm({ onChange }: FormProps) {
  const { t } = useTranslation();
  const [segments] = useQuery({ query: SegmentsQuery });
  // Only manual segments take members by hand; a dynamic one follows its own filter.
  const manual = (segments.data?.segments ?? []).filter((s) => s.kind === 'MANUAL');
  const [chosen, setChosen] = useState<string[]>([]);
  useEffect(() => onChange(chosen.length > 0 ? { kind: 'segments', segmentIds: chosen } : null), [chosen]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <MultiSelect
      label={t('actions.segments')}
      description={t('bulk.manualOnly')}
      data={manual.map((s) => ({ value: s.id, label: s.name }))}
      value={chosen}
      onChange={setChosen}
      searchable
      disabled={segments.data === undefined}
      placeholder={segments.data === undefined ? t('filter.loading') : undefined}
      data-testid="bulk-segments"
    />
  );
}

export function AccrualForm({ onChange }: FormProps) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const [comment, setComment] = useState('');
  const [day, setDay] = useState('');
  const value = accrualAmount(amount);
  const expiry = expiryOf(day);
  useEffect(() => {
    const complete = value !== null && expiry !== 'past';
    onChange(complete ? { kind: 'accrual', amount: value, comment: comment.trim() || null, expiresAt: expiry } : null);
  }, [value, expiry, comment]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Stack gap="sm">
      <TextInput
        label={t('actions.amount')}
        description={t('bulk.amountEach')}
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.currentTarget.value)}
        error={amount.trim() !== '' && value === null ? t('errors.amount') : undefined}
        data-testid="bulk-amount"
        data-autofocus
      />
      <Textarea
        label={t('actions.comment')}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        data-testid="bulk-comment"
      />
      <TextInput
        type="date"
        label={t('bulk.expiresOn')}
        description={t('bulk.expiresHint')}
        value={day}
        onChange={(e) => setDay(e.currentTarget.value)}
        error={expiry === 'past' ? t('bulk.expiryPast') : undefined}
        data-testid="bulk-expiry"
      />
    </Stack>
  );
}

export function ExportForm({ onChange }: FormProps) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<ExportFormat>('CSV');
  const [columns, setColumns] = useState<string[]>([]);
  useEffect(() => onChange({ kind: 'export', format, columns: chosenColumns(columns) }), [format, columns]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Stack gap="sm">
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t('bulk.format')}
        </Text>
        <SegmentedControl
          data={EXPORT_FORMATS.map((f) => ({ value: f, label: f }))}
          value={format}
          onChange={(v) => setFormat(v as ExportFormat)}
          data-testid="bulk-format"
        />
      </div>
      <MultiSelect
        label={t('bulk.columns')}
        description={t('bulk.allColumns')}
        data={EXPORT_COLUMNS.map((c) => ({ value: c, label: t(`bulk.column.${c}`) }))}
        value={columns}
        onChange={setColumns}
        searchable
        clearable
        data-testid="bulk-columns"
      />
    </Stack>
  );
}
