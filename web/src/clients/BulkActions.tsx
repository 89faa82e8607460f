// The list's bulk actions on its current filter: segments assigned or taken away, bonuses
// accrued, the list exported. Each says first how many clients it covers, then starts a job
// and follows it to its end.
import { Alert, Button, Group, Menu, Modal, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';
import { useMutation } from 'urql';

import { errorText } from '../errors';
import type { CustomerFilter, CustomerOrder, JobFieldsFragment } from '../gql/graphql';
import { AccrualForm, ExportForm, SegmentsForm, type Ready } from './BulkForms';
import { JobProgress } from './JobProgress';
import {
  AccrueBonusesByFilterMutation,
  AssignSegmentsByFilterMutation,
  ExportCustomersMutation,
  UnassignSegmentsByFilterMutation,
} from './jobOperations';
import { BULK_ACTIONS, type BulkAction } from './jobs';

interface Props {
  filter: CustomerFilter;
  orderBy: CustomerOrder;
  /** How many clients the filter covers now (the list's totalCount). */
  total: number;
  /** The job is over: the list may show other figures now. */
  onFinished: () => void;
}

export function BulkActions({ filter, orderBy, total, onFinished }: Props) {
  const { t } = useTranslation();
  const [action, setAction] = useState<BulkAction | null>(null);
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="default" data-testid="bulk-actions">
            {t('bulk.menu')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {BULK_ACTIONS.map((name) => (
            <Menu.Item key={name} onClick={() => setAction(name)} data-testid={`bulk-${name}`}>
              {t(`bulk.actions.${name}`)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {action && (
        <BulkDialog
          key={action}
          action={action}
          filter={filter}
          orderBy={orderBy}
          total={total}
          onFinished={onFinished}
          onClose={() => setAction(null)}
        />
      )}
    </>
  );
}

function BulkDialog({ action, filter, orderBy, total, onFinished, onClose }: Props & { action: BulkAction; onClose: () => void }) {
  const { t } = useTranslation();
  const start = useStart(filter, orderBy);
  const [ready, setReady] = useState<Ready | null>(null);
  const [job, setJob] = useState<JobFieldsFragment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const onStart = async () => {
    if (!ready) return;
    setError(null);
    setStarting(true);
    const answer = await start(action, ready);
    setStarting(false);
    if (answer.error) setError(errorText(answer.error, t));
    else if (answer.job) setJob(answer.job);
  };
  const everyone = Object.keys(filter).length === 0;
  return (
    <Modal opened onClose={onClose} title={t(`bulk.actions.${action}`)} size="lg">
      {job ? (
        <Stack>
          <JobProgress started={job} onFinished={onFinished} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-testid="job-close">
              {t('bulk.close')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          {action === 'accrue' && <AccrualForm onChange={setReady} />}
          {action === 'export' && <ExportForm onChange={setReady} />}
          {(action === 'assign' || action === 'unassign') && <SegmentsForm onChange={setReady} />}
          <Alert color={total === 0 ? 'yellow' : 'blue'} data-testid="bulk-covers">
            {t(everyone ? 'bulk.coversEveryone' : 'bulk.covers', { count: total })}
          </Alert>
          {error && <Alert color="red" data-testid="bulk-error">{error}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button onClick={onStart} disabled={!ready || total === 0} loading={starting} data-testid="bulk-start">
              {t(`bulk.start.${action}`)}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

interface Started {
  job?: JobFieldsFragment;
  error?: CombinedError;
}

/** Starts the chosen action's job on the filter; the job as the API first shows it. */
function useStart(filter: CustomerFilter, orderBy: CustomerOrder) {
  const [, assign] = useMutation(AssignSegmentsByFilterMutation);
  const [, unassign] = useMutation(UnassignSegmentsByFilterMutation);
  const [, accrue] = useMutation(AccrueBonusesByFilterMutation);
  const [, exportList] = useMutation(ExportCustomersMutation);
  return async (action: BulkAction, ready: Ready): Promise<Started> => {
    if (action === 'assign' && ready.kind === 'segments') {
      const r = await assign({ filter, segmentIds: ready.segmentIds });
      return { job: r.data?.assignSegmentsByFilter, error: r.error };
    }
    if (action === 'unassign' && ready.kind === 'segments') {
      const r = await unassign({ filter, segmentIds: ready.segmentIds });
      return { job: r.data?.unassignSegmentsByFilter, error: r.error };
    }
    if (action === 'accrue' && ready.kind === 'accrual') {
      const r = await accrue({ filter, amount: ready.amount, comment: ready.comment, expiresAt: ready.expiresAt });
      return { job: r.data?.accrueBonusesByFilter, error: r.error };
    }
    if (action === 'export' && ready.kind === 'export') {
      const r = await exportList({ filter, orderBy, columns: ready.columns, format: ready.format });
      return { job: r.data?.exportCustomers, error: r.error };
    }
    return {};
  };
}
