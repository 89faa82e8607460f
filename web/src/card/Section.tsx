// One of the card's eight sections: its title, its actions, and in place of its content
// "temporarily unavailable" when the service behind it did not answer.
import { Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  id: string;
  title: string;
  unavailable?: boolean;
  actions?: ReactNode;
  children?: ReactNode;
}

export function Section({ id, title, unavailable = false, actions, children }: Props) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" data-testid={`section-${id}`} component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {!unavailable && actions ? <Group gap="xs">{actions}</Group> : null}
      </Group>
      {unavailable ? (
        <Text c="orange.8" data-testid="unavailable">
          {t('card.unavailable')}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

/** A label and its value, as the card lists facts. */
export function Fact({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={500} data-testid={testId} style={{ overflowWrap: "anywhere" }}>
        {value === '' || value === null || value === undefined ? '—' : value}
      </Text>
    </div>
  );
}
