// 7. Заметки: the staff's notes on the client; add, edit, delete.
import { Alert, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import * as fmt from '../format';
import { useCanWrite, useFormats } from '../settings';
import { AddNoteMutation, DeleteNoteMutation, UpdateNoteMutation } from './operations';
import { Section } from './Section';
import type { Card } from './types';
import { useAction } from './useAction';

type Note = Card['notes']['edges'][number]['node'];

export function NotesSection({ card }: { card: Card }) {
  const { t } = useTranslation();
  const writable = useCanWrite();
  const add = useAction(AddNoteMutation);
  const [text, setText] = useState('');
  const submit = async () => {
    if (text.trim() && (await add.run({ customerId: card.id, text: text.trim() }))) setText('');
  };
  return (
    <Section id="notes" title={t('card.sections.notes')}>
      <Stack gap="sm">
        {writable && (
          <Stack gap={6}>
            <Textarea
              placeholder={t('card.notes.text')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              autosize
              minRows={2}
              data-testid="note-text"
            />
            {add.error && <Alert color="red" data-testid="action-error">{add.error}</Alert>}
            <Group justify="flex-end">
              <Button size="xs" onClick={submit} loading={add.running} disabled={!text.trim()} data-testid="add-note">
                {t('card.notes.add')}
              </Button>
            </Group>
          </Stack>
        )}
        {card.notes.edges.length === 0 && <Text c="dimmed">{t('card.empty')}</Text>}
        {card.notes.edges.map(({ node }) => (
          <NoteItem key={node.id} note={node} writable={writable} />
        ))}
      </Stack>
    </Section>
  );
}

function NoteItem({ note, writable }: { note: Note; writable: boolean }) {
  const { t } = useTranslation();
  const f = useFormats();
  const update = useAction(UpdateNoteMutation);
  const remove = useAction(DeleteNoteMutation);
  const [draft, setDraft] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const error = update.error ?? remove.error;
  return (
    <Paper withBorder p="sm" data-testid="note">
      {draft === null ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="note-body">
          {note.text}
        </Text>
      ) : (
        <Textarea value={draft} onChange={(e) => setDraft(e.currentTarget.value)} autosize data-testid="note-edit-text" />
      )}
      <Group justify="space-between" mt={6} wrap="wrap">
        <Text size="xs" c="dimmed">
          {note.author} · {fmt.dateTime(note.createdAt, f)}
        </Text>
        {writable && (
          <Group gap={4}>
            {draft === null ? (
              <>
                <Button size="compact-xs" variant="subtle" onClick={() => setDraft(note.text)} data-testid="edit-note">
                  {t('card.notes.edit')}
                </Button>
                {confirming ? (
                  <Button size="compact-xs" color="red" onClick={() => void remove.run({ id: note.id })} loading={remove.running} data-testid="confirm-delete-note">
                    {t('card.notes.confirmDelete')}
                  </Button>
                ) : (
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setConfirming(true)} data-testid="delete-note">
                    {t('card.notes.delete')}
                  </Button>
                )}
              </>
            ) : (
              <>
                <Button size="compact-xs" variant="default" onClick={() => setDraft(null)}>
                  {t('actions.cancel')}
                </Button>
                <Button
                  size="compact-xs"
                  loading={update.running}
                  disabled={!draft.trim()}
                  onClick={async () => {
                    if (await update.run({ id: note.id, text: draft.trim() })) setDraft(null);
                  }}
                  data-testid="save-note"
                >
                  {t('card.notes.save')}
                </Button>
              </>
            )}
          </Group>
        )}
      </Group>
      {error && <Alert color="red" mt={6} data-testid="action-error">{error}</Alert>}
    </Paper>
  );
}
