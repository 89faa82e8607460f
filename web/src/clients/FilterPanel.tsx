// Every field of CustomerFilter, edited as a draft and applied to the URL at once.
import { Button, Group, MultiSelect, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';

import { FILTER_FIELDS, FILTER_NAMES, withoutFilter, withParam, type FilterField } from './filter';
import { SegmentsQuery, TiersQuery } from './operations';

interface Props {
  params: URLSearchParams;
  onChange: (next: URLSearchParams) => void;
  onDone: () => void;
}

const SEGMENT_FIELDS = new Set<FilterField>(['segmentIds', 'notInSegmentIds']);

export function FilterPanel({ params, onChange, onDone }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => new URLSearchParams(params));
  const [segments] = useQuery({ query: SegmentsQuery });
  const segmentOptions = (segments.data?.segments ?? []).map((s) => ({ value: s.id, label: s.name }));
  const [tiers] = useQuery({ query: TiersQuery });
  const tierOptions = (tiers.data?.loyaltyProgram.tiers ?? []).map((tier) => ({ value: tier.id, label: tier.name }));

  const set = (name: FilterField, value: string | null) => setDraft(withParam(draft, name, value));
  const value = (name: FilterField) => draft.get(name) ?? '';
  const list = (name: FilterField) => (value(name) ? value(name).split(',') : []);

  const field = (name: FilterField) => {
    const spec = FILTER_FIELDS[name];
    const label = t(`filter.fields.${name}`);
    const common = { key: name, label, 'data-testid': `filter-${name}` };
    if (SEGMENT_FIELDS.has(name) || name === 'tierIds') {
      const options = name === 'tierIds' ? tierOptions : segmentOptions;
      // Closed until the choices are known: opened before, it would offer nothing to pick.
      const loading = (name === 'tierIds' ? tiers : segments).data === undefined;
      return (
        <MultiSelect
          {...common}
          data={options}
          value={list(name)}
          onChange={(v) => set(name, v.join(','))}
          disabled={loading}
          placeholder={loading ? t('filter.loading') : undefined}
          searchable
          clearable
        />
      );
    }
    switch (spec.kind) {
      case 'enum':
        return (
          <Select
            {...common}
            data={spec.values.map((v) => ({ value: v, label: t(`enums.${v}`) }))}
            value={value(name) || null}
            onChange={(v) => set(name, v)}
            clearable
          />
        );
      case 'enumList':
        return (
          <MultiSelect
            {...common}
            data={spec.values.map((v) => ({ value: v, label: t(`enums.${v}`) }))}
            value={list(name)}
            onChange={(v) => set(name, v.join(','))}
            clearable
          />
        );
      case 'idList':
        return <TagsInput {...common} value={list(name)} onChange={(v) => set(name, v.join(','))} clearable />;
      case 'boolean':
        return (
          <Select
            {...common}
            data={[
              { value: 'true', label: t('filter.yes') },
              { value: 'false', label: t('filter.no') },
            ]}
            value={value(name) || null}
            onChange={(v) => set(name, v)}
            clearable
          />
        );
      case 'dayFrom':
      case 'dayTo':
        return <TextInput {...common} type="date" value={value(name)} onChange={(e) => set(name, e.currentTarget.value)} />;
      default:
        return (
          <TextInput
            {...common}
            inputMode={spec.kind === 'text' ? 'text' : 'decimal'}
            value={value(name)}
            onChange={(e) => set(name, e.currentTarget.value)}
          />
        );
    }
  };

  return (
    <Stack gap="sm">
      <SimpleGrid cols={2} spacing="sm">
        {FILTER_NAMES.filter((name) => name !== 'search').map(field)}
      </SimpleGrid>
      <Group justify="flex-end">
        <Button
          variant="default"
          onClick={() => {
            // The search box keeps what is typed in it; every other field is cleared.
            onChange(withParam(withoutFilter(params), 'search', params.get('search')));
            setDraft(withoutFilter(draft));
            onDone();
          }}
          data-testid="filter-reset"
        >
          {t('filter.reset')}
        </Button>
        <Button
          onClick={() => {
            // The search box keeps its own parameter; the panel sets every other one.
            let next = withoutFilter(params);
            for (const name of FILTER_NAMES) {
              const v = name === 'search' ? params.get(name) : draft.get(name);
              if (v) next = withParam(next, name, v);
            }
            onChange(next);
            onDone();
          }}
          data-testid="filter-apply"
        >
          {t('filter.apply')}
        </Button>
      </Group>
    </Stack>
  );
}
