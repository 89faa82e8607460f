// 1. Профиль: the figures, the manual segments and the questionnaire, with the profile's
// and the segments' edits.
import { Alert, Badge, Button, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';

import { SegmentsQuery } from '../clients/operations';
import { GENDERS } from '../clients/filter';
import * as fmt from '../format';
import type { Gender } from '../gql/graphql';
import { useCanWrite, useFormats } from '../settings';
import { AssignSegmentsMutation, UnassignSegmentsMutation, UpdateCustomerMutation } from './operations';
import { Fact, Section } from './Section';
import type { Card } from './types';
import { useAction } from './useAction';

export function ProfileSection({ card }: { card: Card }) {
  const { t } = useTranslation();
  const f = useFormats();
  const writable = useCanWrite();
  const [editing, edit] = useDisclosure(false);
  const [assigning, assign] = useDisclosure(false);
  const stats = card.purchaseStats;
  return (
    <Section
      id="profile"
      title={t('card.sections.profile')}
      actions={
        writable && (
          <>
            <Button size="xs" variant="light" onClick={edit.open} data-testid="edit-profile">
              {t('card.profile.edit')}
            </Button>
            <Button size="xs" variant="light" onClick={assign.open} data-testid="assign-segments">
              {t('card.profile.assign')}
            </Button>
          </>
        )
      }
    >
      <Stack gap="md">
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
          <Fact label={t('card.profile.phone')} value={fmt.phone(card.phone)} />
          <Fact label={t('card.profile.email')} value={card.email} />
          <Fact label={t('card.profile.birthDate')} value={fmt.date(card.birthDate, f)} />
          <Fact label={t('card.profile.gender')} value={t(`enums.${card.gender}`)} />
        </SimpleGrid>
        <Text fw={600}>{t('card.profile.figures')}</Text>
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
          <Fact label={t('card.profile.purchases')} value={card.summary.purchases} testId="profile-purchases" />
          <Fact label={t('card.profile.revenue')} value={fmt.money(card.summary.revenue, f)} />
          <Fact label={t('card.profile.averageCheck')} value={fmt.money(card.summary.averageCheck, f)} />
          <Fact label={t('card.profile.lastPurchase')} value={fmt.date(card.summary.lastPurchaseAt, f)} />
          {stats && <Fact label={t('card.profile.returns')} value={stats.returns} />}
          {stats && <Fact label={t('card.profile.firstPurchase')} value={fmt.date(stats.firstPurchaseAt, f)} />}
        </SimpleGrid>
        <Text fw={600}>{t('card.profile.segments')}</Text>
        <Group gap={6} data-testid="profile-segments">
          {card.segments.length === 0 && <Text c="dimmed">{t('card.profile.noSegments')}</Text>}
          {card.segments.map((segment) => (
            <Badge key={segment.id} variant="light" tt="none">
              {segment.name}
            </Badge>
          ))}
        </Group>
        <Text fw={600}>{t('card.profile.questionnaire')}</Text>
        {card.questionnaire.length === 0 ? (
          <Text c="dimmed">{t('card.empty')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {card.questionnaire.map((answer) => (
                <Table.Tr key={answer.question}>
                  <Table.Td c="dimmed">{answer.question}</Table.Td>
                  <Table.Td>{answer.answer}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {editing && <EditProfile card={card} onClose={edit.close} />}
      {assigning && <AssignSegments card={card} onClose={assign.close} />}
    </Section>
  );
}

function EditProfile({ card, onClose }: { card: Card; onClose: () => void }) {
  const { t } = useTranslation();
  const action = useAction(UpdateCustomerMutation);
  const [form, setForm] = useState({
    firstName: card.firstName ?? '',
    lastName: card.lastName ?? '',
    phone: card.phone ?? '',
    email: card.email ?? '',
    birthDate: card.birthDate ?? '',
    gender: card.gender as Gender,
  });
  const field = (name: 'firstName' | 'lastName' | 'phone' | 'email' | 'birthDate', type = 'text') => (
    <TextInput
      label={t(`card.profile.${name}`)}
      type={type}
      value={form[name]}
      onChange={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      data-testid={`profile-${name}`}
    />
  );
  const save = async () => {
    const input = {
      firstName: form.firstName || null,
      lastName: form.lastName || null,
      email: form.email || null,
      birthDate: form.birthDate || null,
      gender: form.gender,
      ...(form.phone !== (card.phone ?? '') ? { phone: form.phone } : {}),
    };
    if (await action.run({ id: card.id, input })) onClose();
  };
  return (
    <Modal opened onClose={onClose} title={t('card.profile.edit')}>
      <Stack>
        {field('firstName')}
        {field('lastName')}
        {field('phone', 'tel')}
        {field('email', 'email')}
        {field('birthDate', 'date')}
        <Select
          label={t('card.profile.gender')}
          data={GENDERS.map((g) => ({ value: g, label: t(`enums.${g}`) }))}
          value={form.gender}
          onChange={(g) => setForm({ ...form, gender: (g ?? 'UNKNOWN') as Gender })}
        />
        {action.error && <Alert color="red" data-testid="action-error">{action.error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('actions.cancel')}</Button>
          <Button onClick={save} loading={action.running} data-testid="save-profile">{t('actions.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function AssignSegments({ card, onClose }: { card: Card; onClose: () => void }) {
  const { t } = useTranslation();
  const [segments] = useQuery({ query: SegmentsQuery });
  const manual = (segments.data?.segments ?? []).filter((s) => s.kind === 'MANUAL');
  const current = card.segments.map((s) => s.id);
  const [chosen, setChosen] = useState<string[]>(current);
  const assignAction = useAction(AssignSegmentsMutation);
  const unassignAction = useAction(UnassignSegmentsMutation);
  const save = async () => {
    const added = chosen.filter((id) => !current.includes(id));
    const removed = current.filter((id) => !chosen.includes(id) && manual.some((s) => s.id === id));
    let ok = true;
    if (added.length) ok = await assignAction.run({ customerId: card.id, segmentIds: added });
    if (ok && removed.length) ok = await unassignAction.run({ customerId: card.id, segmentIds: removed });
    if (ok) onClose();
  };
  const error = assignAction.error ?? unassignAction.error;
  return (
    <Modal opened onClose={onClose} title={t('card.profile.assign')}>
      <Stack>
        <MultiSelect
          label={t('actions.segments')}
          data={manual.map((s) => ({ value: s.id, label: s.name }))}
          value={chosen.filter((id) => manual.some((s) => s.id === id))}
          onChange={setChosen}
          searchable
          data-testid="segments-select"
        />
        {error && <Alert color="red" data-testid="action-error">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('actions.cancel')}</Button>
          <Button onClick={save} loading={assignAction.running || unassignAction.running} data-testid="save-segments">
            {t('actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
