// /clients/:id: the client's card, its eight sections in the back office's order, loaded
// by one query. A section whose service did not answer says so; the others work as usual.
import { Alert, Anchor, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';

import { errorText, sectionFailed } from '../errors';
import * as fmt from '../format';
import { fullName } from '../format';
import { BonusesSection } from './BonusesSection';
import { ConversationSection, MessengersSection } from './MessagingSections';
import { NotesSection } from './NotesSection';
import { ClientCardQuery } from './operations';
import { ProfileSection } from './ProfileSection';
import { NpsSection, ReceiptsSection, RegistrationSection } from './SmallSections';

export function CardPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const [result] = useQuery({ query: ClientCardQuery, variables: { id } });
  const card = result.data?.customer;
  const failed = (field: string) => sectionFailed(result.error, ['customer', field]);

  if (!card) {
    return (
      <Stack>
        <Anchor component={Link} to="/clients">{t('card.back')}</Anchor>
        {result.fetching ? <Loader /> : result.error ? <Alert color="red">{errorText(result.error, t)}</Alert> : <Text>{t('card.notFound')}</Text>}
      </Stack>
    );
  }
  return (
    <Stack gap="md" data-testid="card">
      <Anchor
        component={Link}
        to="/clients"
        onClick={(event) => {
          // Back to the list as it was (its filter is in the URL) when the card came from it.
          if (location.key !== 'default') {
            event.preventDefault();
            void navigate(-1);
          }
        }}
      >
        {t('card.back')}
      </Anchor>
      <Group justify="space-between" align="baseline" wrap="wrap">
        <Title order={2} data-testid="card-name">{fullName(card) || t('list.noName')}</Title>
        <Text c="dimmed">{fmt.phone(card.phone)}</Text>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <ProfileSection card={card} />
        <BonusesSection card={card} unavailable={failed('bonuses')} />
        <NpsSection card={card} unavailable={failed('nps')} />
        <RegistrationSection card={card} />
        <ConversationSection card={card} unavailable={failed('conversation')} />
        <MessengersSection card={card} unavailable={failed('messengers')} />
        <NotesSection card={card} />
        <ReceiptsSection card={card} unavailable={failed('receipts')} />
      </SimpleGrid>
    </Stack>
  );
}
