// /clients: the table, its search, its filter panel and its pages. The filter and the order
// live in the URL; the page's cursors are per view and start again when the view changes.
import { Alert, Button, Drawer, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';

import { errorText } from '../errors';
import { useCanWrite } from '../settings';
import { BulkActions } from './BulkActions';
import { ClientsTable } from './ClientsTable';
import { FilterPanel } from './FilterPanel';
import {
  activeFilterCount,
  filterFromParams,
  nextSort,
  orderOf,
  sortFromParams,
  withParam,
  withSort,
} from './filter';
import { ClientListQuery, PAGE_SIZE } from './operations';
import type { CustomerOrderField } from '../gql/graphql';

export const SEARCH_DELAY_MS = 300;

export function ClientsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [typed, setTyped] = useState(params.get('search') ?? '');
  const [search] = useDebouncedValue(typed, SEARCH_DELAY_MS);
  const [filterOpen, filterPanel] = useDisclosure(false);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);

  // The search box writes the URL once the typing pauses.
  useEffect(() => {
    if ((params.get('search') ?? '') !== search.trim()) {
      setParams(withParam(params, 'search', search.trim()), { replace: true });
    }
  }, [search]); // eslint-disable-line react-hooks/exhaustive-deps

  const view = params.toString();
  const filter = useMemo(() => filterFromParams(params), [view]); // eslint-disable-line react-hooks/exhaustive-deps
  const sort = useMemo(() => sortFromParams(params), [view]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => setCursors([null]), [view]);

  const after = cursors[cursors.length - 1];
  const [result, refetch] = useQuery({
    query: ClientListQuery,
    // No filter at all goes as no variable: the whole list, as any version of the API reads it.
    variables: {
      filter: Object.keys(filter).length > 0 ? filter : undefined,
      orderBy: orderOf(sort),
      first: PAGE_SIZE,
      after,
    },
  });
  const connection = result.data?.customers;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];
  const pages = connection ? Math.max(1, Math.ceil(connection.totalCount / PAGE_SIZE)) : 1;

  const onSort = (field: CustomerOrderField) => setParams(withSort(params, nextSort(sort, field)));
  const filters = activeFilterCount(params);
  // A bulk action is over: the rows may show other segments and balances now.
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const writable = useCanWrite();

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('list.title')}</Title>
        {connection && (
          <Text c="dimmed" data-testid="total-count">
            {t('list.found', { count: connection.totalCount })}
          </Text>
        )}
      </Group>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          style={{ flex: 1, minWidth: 240 }}
          label={t('list.search')}
          placeholder={t('list.searchHint')}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          data-testid="search"
        />
        <Button variant={filters ? 'filled' : 'default'} onClick={filterPanel.open} data-testid="open-filter">
          {filters ? t('list.filterCount', { count: filters }) : t('list.filter')}
        </Button>
        {writable && connection && (
          <BulkActions filter={filter} orderBy={orderOf(sort)} total={connection.totalCount} onFinished={refresh} />
        )}
      </Group>
      {result.error && !connection && <Alert color="red">{errorText(result.error, t)}</Alert>}
      {result.fetching && !connection ? <Loader /> : null}
      {connection && (
        <>
          <ClientsTable rows={rows} sort={sort} onSort={onSort} />
          {rows.length === 0 && <Text c="dimmed">{t('list.empty')}</Text>}
          <Group justify="space-between">
            <Text size="sm" data-testid="page-number">
              {t('list.page', { page: cursors.length, pages })}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                disabled={cursors.length === 1}
                onClick={() => setCursors(cursors.slice(0, -1))}
                data-testid="previous-page"
              >
                {t('list.previous')}
              </Button>
              <Button
                variant="default"
                disabled={!connection.pageInfo.hasNextPage || result.fetching}
                onClick={() => setCursors([...cursors, connection.pageInfo.endCursor ?? null])}
                data-testid="next-page"
              >
                {t('list.next')}
              </Button>
            </Group>
          </Group>
        </>
      )}
      <Drawer opened={filterOpen} onClose={filterPanel.close} title={t('filter.title')} position="right" size="md">
        <FilterPanel params={params} onChange={(next) => setParams(next)} onDone={filterPanel.close} />
      </Drawer>
    </Stack>
  );
}
