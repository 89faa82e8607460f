// Sign-in outside development: the identity provider (OIDC with PKCE) when configured, or a
// token pasted by hand (e.g. one an administrator issued).
import { Alert, Button, Center, Paper, Stack, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import { beginSignIn, finishSignIn } from './oidc';
import { useApp } from './settings';

interface Props {
  onToken: (token: string) => boolean;
}

export function SignInPage({ onToken }: Props) {
  const { t } = useTranslation();
  const { config } = useApp();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="lg" w={420} maw="100%">
        <Stack>
          <Title order={3}>{t('signIn.title')}</Title>
          {config.oidc && (
            <Button
              onClick={() => beginSignIn(config.oidc!).catch((e: Error) => setError(t('signIn.failed', { reason: e.message })))}
            >
              {t('signIn.withProvider')}
            </Button>
          )}
          <Textarea label={t('signIn.token')} value={token} onChange={(e) => setToken(e.currentTarget.value.trim())} autosize minRows={3} />
          <Button variant="default" onClick={() => setError(onToken(token) ? null : t('signIn.invalid'))} data-testid="sign-in-token">
            {t('signIn.withToken')}
          </Button>
          {error && <Alert color="red">{error}</Alert>}
        </Stack>
      </Paper>
    </Center>
  );
}

export function SignInCallback({ onToken }: Props) {
  const { t } = useTranslation();
  const { config } = useApp();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!config.oidc) return;
    finishSignIn(config.oidc, window.location.search)
      .then((token) => (onToken(token) ? navigate('/clients', { replace: true }) : setError(t('signIn.invalid'))))
      .catch((e: Error) => setError(t('signIn.failed', { reason: e.message })));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  return <Center mih="100vh">{error ? <Alert color="red">{error}</Alert> : null}</Center>;
}
