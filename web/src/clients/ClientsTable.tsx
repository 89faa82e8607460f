// The clients of one page as a table; a click on a sortable column's title orders by it.
import { Anchor, Badge, Group, Table, Text, UnstyledButton } from '@mantine/core';
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
} from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { ClientListQuery, CustomerOrderField } from '../gql/graphql';
import * as fmt from '../format';
import { fullName } from '../format';
import { useFormats } from '../settings';
import type { SortState } from './filter';

export type ClientRow = ClientListQuery['customers']['edges'][number]['node'];

const column = createColumnHelper<ClientRow>();

interface Props {
  rows: ClientRow[];
  sort: SortState;
  onSort: (field: CustomerOrderField) => void;
}

export function ClientsTable({ rows, sort, onSort }: Props) {
  const { t } = useTranslation();
  const f = useFormats();
  const columns = useMemo(
    () => [
      column.accessor((row) => fullName(row), {
        id: 'NAME',
        header: t('list.columns.name'),
        cell: (info) => (
          <Anchor component={Link} to={`/clients/${info.row.original.id}`} data-testid="client-link">
            {info.getValue() || t('list.noName')}
          </Anchor>
        ),
      }),
      column.accessor('phone', {
        id: 'phone',
        header: t('list.columns.phone'),
        cell: (info) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{fmt.phone(info.getValue())}</Text>,
      }),
      column.accessor((row) => row.summary.purchases, {
        id: 'PURCHASES',
        header: t('list.columns.purchases'),
      }),
      column.accessor((row) => fmt.money(row.summary.revenue, f), {
        id: 'REVENUE',
        header: t('list.columns.revenue'),
      }),
      column.accessor((row) => fmt.money(row.summary.averageCheck, f), {
        id: 'AVERAGE_CHECK',
        header: t('list.columns.averageCheck'),
      }),
      column.accessor((row) => fmt.date(row.summary.lastPurchaseAt, f), {
        id: 'LAST_PURCHASE_AT',
        header: t('list.columns.lastPurchase'),
      }),
      column.accessor((row) => fmt.points(row.summary.bonusBalance, f), {
        id: 'BONUS_BALANCE',
        header: t('list.columns.balance'),
      }),
      column.accessor((row) => row.summary.messengerStatus, {
        id: 'messengerStatus',
        header: t('list.columns.messenger'),
        cell: (info) => {
          const status = info.getValue();
          return status ? (
            <Badge color={status === 'ACTIVE' ? 'teal' : 'gray'} variant="light">
              {t(`messengerStatus.${status}`)}
            </Badge>
          ) : null;
        },
      }),
      column.accessor((row) => row.summary.lastNpsScore, {
        id: 'LAST_NPS_SCORE',
        header: t('list.columns.nps'),
      }),
      column.accessor('segments', {
        id: 'segments',
        header: t('list.columns.segments'),
        cell: (info) => (
          <Group gap={4}>
            {info.getValue().map((segment) => (
              <Badge key={segment.id} variant="outline" size="sm" tt="none">
                {segment.name}
              </Badge>
            ))}
          </Group>
        ),
      }),
    ],
    [t, f],
  );
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    getRowId: (row) => row.id,
  });
  const sortable = new Set<string>(SORTABLE);

  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="clients-table">
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const title = flexRender(header.column.columnDef.header, header.getContext());
                const id = header.column.id;
                if (!sortable.has(id)) return <Table.Th key={header.id}>{title}</Table.Th>;
                const active = sort.field === id;
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={active ? (sort.direction === 'ASC' ? 'ascending' : 'descending') : 'none'}
                  >
                    <UnstyledButton
                      onClick={() => onSort(id as CustomerOrderField)}
                      fw={600}
                      fz="sm"
                      data-testid={`sort-${id}`}
                    >
                      {title} {active ? (sort.direction === 'ASC' ? '▲' : '▼') : ''}
                    </UnstyledButton>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((row) => (
            <Table.Tr key={row.id} data-testid="client-row">
              {row.getVisibleCells().map((cell) => (
                <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The columns the API can order the list by. */
export const SORTABLE: readonly CustomerOrderField[] = [
  'NAME',
  'PURCHASES',
  'REVENUE',
  'AVERAGE_CHECK',
  'LAST_PURCHASE_AT',
  'BONUS_BALANCE',
  'LAST_NPS_SCORE',
];
