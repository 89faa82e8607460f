// 3. NPS, 4. Регистрация and 8. Чеки: the sections that only show.
import { Badge, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import * as fmt from '../format';
import { useFormats } from '../settings';
import { Fact, Section } from './Section';
import type { Card } from './types';

export function NpsSection({ card, unavailable }: { card: Card; unavailable: boolean }) {
  const { t } = useTranslation();
  const f = useFormats();
  const nps = card.nps;
  return (
    <Section id="nps" title={t('card.sections.nps')} unavailable={unavailable || !nps}>
      {nps && (
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <Fact label={t('card.nps.last')} value={nps.lastScore} />
            <Fact label={t('card.nps.average')} value={nps.averageScore?.toFixed(1)} />
          </SimpleGrid>
          {nps.responses.length === 0 ? (
            <Text c="dimmed">{t('card.empty')}</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('card.nps.date')}</Table.Th>
                  <Table.Th>{t('card.nps.score')}</Table.Th>
                  <Table.Th>{t('card.nps.comment')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {nps.responses.map((response) => (
                  <Table.Tr key={response.respondedAt}>
                    <Table.Td>{fmt.dateTime(response.respondedAt, f)}</Table.Td>
                    <Table.Td>
                      <Badge color={response.score >= 9 ? 'teal' : response.score >= 7 ? 'gray' : 'red'}>{response.score}</Badge>
                    </Table.Td>
                    <Table.Td>{response.comment}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Section>
  );
}

export function RegistrationSection({ card }: { card: Card }) {
  const { t } = useTranslation();
  const f = useFormats();
  const registration = card.registration;
  return (
    <Section id="registration" title={t('card.sections.registration')}>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Fact label={t('card.registration.registeredAt')} value={fmt.dateTime(registration.registeredAt, f)} />
        <Fact label={t('card.registration.source')} value={t(`enums.${registration.source}`)} />
        <Fact label={t('card.registration.channel')} value={registration.channel ? t(`enums.${registration.channel}`) : ''} />
        <Fact label={t('card.registration.outlet')} value={registration.outletId} />
      </SimpleGrid>
    </Section>
  );
}

export function ReceiptsSection({ card, unavailable }: { card: Card; unavailable: boolean }) {
  const { t } = useTranslation();
  const f = useFormats();
  const receipts = card.receipts;
  return (
    <Section id="receipts" title={t('card.sections.receipts')} unavailable={unavailable || !receipts}>
      {receipts &&
        (receipts.edges.length === 0 ? (
          <Text c="dimmed">{t('card.empty')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table striped data-testid="receipts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('card.receipts.date')}</Table.Th>
                  <Table.Th>{t('card.receipts.number')}</Table.Th>
                  <Table.Th>{t('card.receipts.type')}</Table.Th>
                  <Table.Th>{t('card.receipts.total')}</Table.Th>
                  <Table.Th>{t('card.receipts.paid')}</Table.Th>
                  <Table.Th>{t('card.receipts.accrued')}</Table.Th>
                  <Table.Th>{t('card.receipts.spent')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {receipts.edges.map(({ node }) => (
                  <Table.Tr key={node.id}>
                    <Table.Td>{fmt.dateTime(node.purchasedAt, f)}</Table.Td>
                    <Table.Td>{node.number}</Table.Td>
                    <Table.Td>{t(`card.receipts.types.${node.type}`)}</Table.Td>
                    <Table.Td>{fmt.money(node.total, f)}</Table.Td>
                    <Table.Td>{fmt.money(node.paid, f)}</Table.Td>
                    <Table.Td>{node.bonusesAccrued === null ? '…' : fmt.points(node.bonusesAccrued, f)}</Table.Td>
                    <Table.Td>{node.bonusesSpent === null ? '…' : fmt.points(node.bonusesSpent, f)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}
    </Section>
  );
}
