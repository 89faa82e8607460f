// 5. Переписка and 6. Мессенджеры: the conversation with the bot, and each messenger with
// its buttons (default one, write in a chosen channel, unsubscribe).
import { Alert, Badge, Button, Group, Modal, Select, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import * as fmt from '../format';
import type { Channel } from '../gql/graphql';
import { useCanWrite, useFormats } from '../settings';
import { SendMessageMutation, SetDefaultMessengerMutation, UnsubscribeMessengerMutation } from './operations';
import { Section } from './Section';
import type { Card } from './types';
import { useAction } from './useAction';

export function ConversationSection({ card, unavailable }: { card: Card; unavailable: boolean }) {
  const { t } = useTranslation();
  const f = useFormats();
  const conversation = card.conversation;
  return (
    <Section id="conversation" title={t('card.sections.conversation')} unavailable={unavailable || !conversation}>
      {conversation &&
        (conversation.edges.length === 0 ? (
          <Text c="dimmed">{t('card.empty')}</Text>
        ) : (
          <Stack gap="xs" mah={420} style={{ overflowY: 'auto' }} data-testid="conversation">
            {conversation.edges.map(({ node }) => (
              <Stack
                key={node.id}
                gap={2}
                p="xs"
                bg={node.direction === 'INBOUND' ? 'gray.0' : 'blue.0'}
                style={{ borderRadius: 8, alignSelf: node.direction === 'INBOUND' ? 'flex-start' : 'flex-end', maxWidth: '85%' }}
              >
                <Text size="xs" c="dimmed">
                  {fmt.dateTime(node.sentAt, f)} · {t(`enums.${node.channel}`)} · {t(`card.conversation.kind.${node.kind}`)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {node.text}
                </Text>
              </Stack>
            ))}
          </Stack>
        ))}
    </Section>
  );
}

export function MessengersSection({ card, unavailable }: { card: Card; unavailable: boolean }) {
  const { t } = useTranslation();
  const f = useFormats();
  const writable = useCanWrite();
  const [writing, setWriting] = useState(false);
  const setDefault = useAction(SetDefaultMessengerMutation);
  const unsubscribe = useAction(UnsubscribeMessengerMutation);
  const messengers = card.messengers;
  const active = (messengers ?? []).filter((m) => m.status === 'ACTIVE');

  const [leaving, setLeaving] = useState<Channel | null>(null);
  const confirmUnsubscribe = (channel: Channel) => setLeaving(channel);

  return (
    <Section
      id="messengers"
      title={t('card.sections.messengers')}
      unavailable={unavailable || !messengers}
      actions={
        writable &&
        active.length > 0 && (
          <Button size="xs" variant="light" onClick={() => setWriting(true)} data-testid="write-message">
            {t('card.conversation.write')}
          </Button>
        )
      }
    >
      {messengers && (
        <Stack gap="sm">
          {(setDefault.error || unsubscribe.error) && (
            <Alert color="red" data-testid="action-error">{setDefault.error ?? unsubscribe.error}</Alert>
          )}
          {messengers.length === 0 ? (
            <Text c="dimmed">{t('card.messengers.none')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table data-testid="messengers">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('card.messengers.channel')}</Table.Th>
                    <Table.Th>{t('card.messengers.status')}</Table.Th>
                    <Table.Th>{t('card.messengers.delivered')}</Table.Th>
                    <Table.Th>{t('card.messengers.lastContact')}</Table.Th>
                    <Table.Th>{t('card.messengers.subscribedAt')}</Table.Th>
                    {writable && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {messengers.map((m) => (
                    <Table.Tr key={m.channel} data-testid={`messenger-${m.channel}`}>
                      <Table.Td>
                        {t(`enums.${m.channel}`)}{' '}
                        {m.isDefault && <Badge size="xs" tt="none">{t('card.messengers.isDefault')}</Badge>}
                      </Table.Td>
                      <Table.Td data-testid="messenger-status">{t(`messengerStatus.${m.status}`)}</Table.Td>
                      <Table.Td>{m.messagesDelivered}</Table.Td>
                      <Table.Td>{fmt.dateTime(m.lastContactAt, f)}</Table.Td>
                      <Table.Td>{fmt.date(m.subscribedAt, f)}</Table.Td>
                      {writable && (
                        <Table.Td>
                          {m.status === 'ACTIVE' && (
                            <Group gap={4} wrap="nowrap">
                              {!m.isDefault && (
                                <Button size="compact-xs" variant="subtle" onClick={() => void setDefault.run({ customerId: card.id, channel: m.channel })} data-testid="make-default">
                                  {t('card.messengers.makeDefault')}
                                </Button>
                              )}
                              <Button size="compact-xs" variant="subtle" color="red" onClick={() => confirmUnsubscribe(m.channel)} data-testid="unsubscribe">
                                {t('card.messengers.unsubscribe')}
                              </Button>
                            </Group>
                          )}
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
      <Modal opened={leaving !== null} onClose={() => setLeaving(null)} title={t('card.messengers.unsubscribe')}>
        <Stack>
          <Text size="sm">{leaving && t('card.messengers.confirmUnsubscribe', { channel: t(`enums.${leaving}`) })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLeaving(null)}>{t('actions.cancel')}</Button>
            <Button
              color="red"
              loading={unsubscribe.running}
              onClick={() => leaving && void unsubscribe.run({ customerId: card.id, channel: leaving }).then(() => setLeaving(null))}
              data-testid="confirm-unsubscribe"
            >
              {t('card.messengers.unsubscribe')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {writing && messengers && <WriteMessage card={card} channels={active.map((m) => m.channel)} onClose={() => setWriting(false)} />}
    </Section>
  );
}

function WriteMessage({ card, channels, onClose }: { card: Card; channels: Channel[]; onClose: () => void }) {
  const { t } = useTranslation();
  const send = useAction(SendMessageMutation);
  const preferred = card.messengers?.find((m) => m.isDefault && m.status === 'ACTIVE')?.channel ?? channels[0];
  const [channel, setChannel] = useState<Channel>(preferred);
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const submit = async () => {
    if (!text.trim()) {
      setEmpty(true);
      return;
    }
    if (await send.run({ customerId: card.id, text: text.trim(), channel })) onClose();
  };
  return (
    <Modal opened onClose={onClose} title={t('card.conversation.write')}>
      <Stack>
        <Select
          label={t('card.conversation.channel')}
          data={channels.map((c) => ({ value: c, label: t(`enums.${c}`) }))}
          value={channel}
          onChange={(c) => c && setChannel(c as Channel)}
          allowDeselect={false}
          data-testid="message-channel"
        />
        <Textarea
          label={t('card.conversation.text')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={3}
          error={empty ? t('errors.text') : undefined}
          data-testid="message-text"
          data-autofocus
        />
        {send.error && <Alert color="red" data-testid="action-error">{send.error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('actions.cancel')}</Button>
          <Button onClick={submit} loading={send.running} data-testid="message-send">{t('card.conversation.send')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
