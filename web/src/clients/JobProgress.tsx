// A started job followed to its end: its progress asked for again every second, a cancel
// while it runs, and the file's link once an export is written.
import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { errorText } from '../errors';
import type { JobFieldsFragment } from '../gql/graphql';
import { CancelJobMutation, JobQuery } from './jobOperations';
import { isFinished, percentDone } from './jobs';

export const POLL_INTERVAL_MS = 1000;

interface Props {
  started: JobFieldsFragment;
  /** Called once when the job is over, whatever its end (the list may have changed). */
  onFinished: () => void;
}

export function JobProgress({ started, onFinished }: Props) {
  const { t } = useTranslation();
  const [result, poll] = useQuery({ query: JobQuery, variables: { id: started.id }, requestPolicy: 'network-only' });
  const [cancelling, cancel] = useMutation(CancelJobMutation);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const job = result.data?.job ?? started;
  const over = isFinished(job.status);

  useEffect(() => {
    if (over) return undefined;
    const timer = window.setInterval(() => poll({ requestPolicy: 'network-only' }), POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [over, poll]);

  const told = useRef(false);
  useEffect(() => {
    if (over && !told.current) {
      told.current = true;
      onFinished();
    }
  }, [over, onFinished]);

  const onCancel = async () => {
    setCancelError(null);
    const answer = await cancel({ id: job.id });
    if (answer.error) setCancelError(errorText(answer.error, t));
  };

  const percent = percentDone(job);
  return (
    <Stack gap="sm" data-testid="job">
      <Text fw={600} data-testid="job-status" data-status={job.status}>
        {t(`bulk.status.${job.status}`)}
      </Text>
      <Progress value={percent ?? 0} animated={!over} aria-label={t('bulk.progress')} />
      <Text size="sm" data-testid="job-progress">
        {job.total === null || job.total === undefined
          ? t('bulk.counting')
          : t('bulk.processed', { done: job.processed, total: job.total })}
      </Text>
      {job.failed > 0 && <Text size="sm" c="orange.8">{t('bulk.failed', { count: job.failed })}</Text>}
      {job.error && <Alert color="red" data-testid="job-error">{job.error}</Alert>}
      {result.error && !over && <Alert color="yellow">{errorText(result.error, t)}</Alert>}
      {cancelError && <Alert color="red" data-testid="job-cancel-error">{cancelError}</Alert>}
      {!over && <Text size="xs" c="dimmed">{t('bulk.goesOn')}</Text>}
      <Group justify="flex-end">
        {!over && (
          <Button color="red" variant="light" onClick={onCancel} loading={cancelling.fetching} data-testid="job-cancel">
            {t('bulk.cancelJob')}
          </Button>
        )}
        {job.status === 'SUCCEEDED' && job.downloadUrl && (
          <Button component="a" href={job.downloadUrl} download data-testid="job-download">
            {t('bulk.download')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
