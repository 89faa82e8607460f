// The shell: theme, language, who is signed in, the GraphQL client and the two pages.
import { AppShell, Badge, Button, Group, Loader, MantineProvider, SegmentedControl, Text } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { Suspense, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router';
import { Provider, useQuery } from 'urql';

import { sessionOf, storedToken, storeToken, type Session } from './auth';
import { createClient } from './client';
import type { AppConfig } from './config';
import { chooseLanguage, LANGUAGES } from './i18n';
import { graphql } from './gql';
import { CardPage, ClientsPage } from './pages';
import { AppProvider, useApp } from './settings';
import { SignInCallback, SignInPage } from './SignInPage';

/** The token to use: one signed in with, else the development token in development. */
function initialSession(config: AppConfig): Session | null {
  const stored = storedToken();
  const fromStore = stored ? sessionOf(stored) : null;
  if (fromStore) return fromStore;
  if (config.environment === 'development' && config.devToken) return sessionOf(config.devToken);
  return null;
}

export function App({ config }: { config: AppConfig }) {
  const [session, setSession] = useState<Session | null>(() => initialSession(config));
  const signOut = useCallback(() => {
    storeToken(null);
    setSession(null);
  }, []);
  const signIn = useCallback((token: string) => {
    const next = sessionOf(token);
    if (next) {
      storeToken(token);
      setSession(next);
    }
    return next !== null;
  }, []);
  const client = useMemo(() => createClient(session?.token ?? null, signOut), [session, signOut]);
  const context = useMemo(() => ({ config, session, signOut }), [config, session, signOut]);

  return (
    <MantineProvider>
      <Notifications position="top-right" />
      <AppProvider value={context}>
        <BrowserRouter>
          {session ? (
            <Provider value={client}>
              <TenantZone>
                <Shell session={session} onSignOut={signOut}>
                  <Suspense fallback={<Loader />}>
                    <Routes>
                      <Route path="/clients" element={<ClientsPage />} />
                      <Route path="/clients/:id" element={<CardPage />} />
                      <Route path="*" element={<Navigate to="/clients" replace />} />
                    </Routes>
                  </Suspense>
                </Shell>
              </TenantZone>
            </Provider>
          ) : (
            <Routes>
              <Route path="/signin/callback" element={<SignInCallback onToken={signIn} />} />
              <Route path="*" element={<SignInPage onToken={signIn} />} />
            </Routes>
          )}
        </BrowserRouter>
      </AppProvider>
    </MantineProvider>
  );
}

const TenantQuery = graphql(`
  query Tenant {
    loyaltyProgram {
      timeZone
    }
  }
`);

/** Dates in the tenant's time zone (its loyalty program's); the browser's until it is known. */
function TenantZone({ children }: { children: React.ReactNode }) {
  const app = useApp();
  const [result] = useQuery({ query: TenantQuery });
  const tenantTimeZone = knownZone(result.data?.loyaltyProgram.timeZone);
  const value = useMemo(() => ({ ...app, tenantTimeZone }), [app, tenantTimeZone]);
  return <AppProvider value={value}>{children}</AppProvider>;
}

/** The zone when the browser knows it (an unknown one would make every date throw). */
function knownZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

function Shell({ session, onSignOut, children }: { session: Session; onSignOut: () => void; children: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Text component={Link} to="/clients" fw={700} size="lg">
            {t('app.title')}
          </Text>
          <Group gap="sm" wrap="nowrap">
            <Badge variant="light" data-testid="role" visibleFrom="xs">
              {session.tenant} · {t(`app.role.${session.role}`)}
            </Badge>
            <SegmentedControl
              size="xs"
              aria-label={t('app.language')}
              data={LANGUAGES.map((l) => ({ value: l, label: l.toUpperCase() }))}
              value={i18n.language}
              onChange={chooseLanguage}
            />
            {storedToken() && (
              <Button size="xs" variant="subtle" onClick={onSignOut}>
                {t('app.signOut')}
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
