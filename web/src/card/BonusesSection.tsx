// 2. Бонусы: the statistics, accrual and write-off by hand with a comment, and every
// operation.
import { Alert, Button, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import * as fmt from '../format';
import { useCanWrite, useFormats } from '../settings';
import { AccrueBonusesMutation, WriteOffBonusesMutation } from './operations';
import { Fact, Section } from './Section';
import type { Card } from './types';
import { useAction } from './useAction';

type Direction = 'accrue' | 'writeOff';

export function BonusesSection({ card, unavailable }: { card: Card; unavailable: boolean }) {
  const { t } = useTranslation();
  const f = useFormats();
  const writable = useCanWrite();
  const [dialog, setDialog] = useState<Direction | null>(null);
  const bonuses = card.bonuses;
  return (
    <Section
      id="bonuses"
      title={t('card.sections.bonuses')}
      unavailable={unavailable || !bonuses}
      actions={
        writable && (
          <>
            <Button size="xs" variant="light" onClick={() => setDialog('accrue')} data-testid="accrue">
              {t('card.bonuses.accrue')}
            </Button>
            <Button size="xs" variant="light" color="orange" onClick={() => setDialog('writeOff')} data-testid="write-off">
              {t('card.bonuses.writeOff')}
            </Button>
          </>
        )
      }
    >
      {bonuses && (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
            <Fact label={t('card.bonuses.balance')} value={fmt.points(bonuses.balance, f)} testId="bonus-balance" />
            <Fact label={t('card.bonuses.accrued')} value={fmt.points(bonuses.accrued, f)} />
            <Fact label={t('card.bonuses.spent')} value={fmt.points(bonuses.spent, f)} />
            <Fact label={t('card.bonuses.expired')} value={fmt.points(bonuses.expired, f)} />
            <Fact label={t('card.bonuses.purchases')} value={bonuses.purchases} />
          </SimpleGrid>
          {bonuses.nextExpiration && (
            <Text size="sm" c="orange.8">
              {t('card.bonuses.nextExpiration', {
                amount: fmt.points(bonuses.nextExpiration.amount, f),
                date: fmt.date(bonuses.nextExpiration.expiresAt, f),
              })}
            </Text>
          )}
          <Table.ScrollContainer minWidth={560}>
            <Table striped data-testid="bonus-operations">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('card.bonuses.date')}</Table.Th>
                  <Table.Th>{t('card.bonuses.type')}</Table.Th>
                  <Table.Th>{t('card.bonuses.event')}</Table.Th>
                  <Table.Th>{t('card.bonuses.amount')}</Table.Th>
                  <Table.Th>{t('card.bonuses.comment')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {bonuses.operations.edges.map(({ node }) => (
                  <Table.Tr key={node.id}>
                    <Table.Td>{fmt.dateTime(node.occurredAt, f)}</Table.Td>
                    <Table.Td>{t(`card.bonuses.types.${node.type}`)}</Table.Td>
                    <Table.Td>{t(`card.bonuses.events.${node.event}`)}</Table.Td>
                    <Table.Td c={node.type === 'ACCRUAL' ? 'teal.8' : 'red.8'}>
                      {node.type === 'ACCRUAL' ? '+' : '−'}
                      {fmt.points(node.amount.replace('-', ''), f)}
                    </Table.Td>
                    <Table.Td>{node.comment}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      {dialog && <BonusDialog card={card} direction={dialog} onClose={() => setDialog(null)} />}
    </Section>
  );
}

function BonusDialog({ card, direction, onClose }: { card: Card; direction: Direction; onClose: () => void }) {
  const { t } = useTranslation();
  const accrue = useAction(AccrueBonusesMutation);
  const writeOff = useAction(WriteOffBonusesMutation);
  const action = direction === 'accrue' ? accrue : writeOff;
  const [amount, setAmount] = useState('');
  const [comment, setComment] = useState('');
  const [invalid, setInvalid] = useState(false);
  // One id per dialog: a retry after a lost answer does not make a second operation.
  const [requestId] = useState(() => crypto.randomUUID());

  const submit = async () => {
    const value = amount.replace(',', '.').trim();
    if (!/^\d+(\.\d{1,2})?$/.test(value) || Number(value) <= 0) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const variables = { customerId: card.id, amount: Number(value).toFixed(2), comment: comment || null, requestId };
    if (await action.run(variables)) onClose();
  };
  return (
    <Modal opened onClose={onClose} title={t(direction === 'accrue' ? 'card.bonuses.accrue' : 'card.bonuses.writeOff')}>
      <Stack>
        <TextInput
          label={t('actions.amount')}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.currentTarget.value)}
          error={invalid ? t('errors.amount') : undefined}
          data-testid="bonus-amount"
          data-autofocus
        />
        <Textarea label={t('actions.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} data-testid="bonus-comment" />
        {action.error && <Alert color="red" data-testid="action-error">{action.error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('actions.cancel')}</Button>
          <Button onClick={submit} loading={action.running} data-testid="bonus-submit">{t('actions.confirm')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
