// Sign-in with the identity provider: OIDC authorization code with PKCE, no client
// secret in the page. The provider's ID token (or access token) is what the gateway checks.
import type { OidcSettings } from './config';

const VERIFIER_KEY = 'clientcard.pkce.verifier';
const STATE_KEY = 'clientcard.pkce.state';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(settings: OidcSettings): Promise<Discovery> {
  const url = `${settings.authority.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the identity provider answered ${response.status}`);
  return (await response.json()) as Discovery;
}

function randomText(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return base64Url(values);
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

function redirectUri(): string {
  return `${window.location.origin}/signin/callback`;
}

/** Sends the browser to the provider's sign-in page. */
export async function beginSignIn(settings: OidcSettings): Promise<void> {
  const discovery = await discover(settings);
  const verifier = randomText(32);
  const state = randomText(16);
  sessionStorage.setItem(VERIFIER_KEY, verifier);
  sessionStorage.setItem(STATE_KEY, state);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: settings.scope,
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  window.location.assign(`${discovery.authorization_endpoint}?${query}`);
}

/** On the callback page: trades the code for tokens and returns the one to send. */
export async function finishSignIn(settings: OidcSettings, search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const verifier = sessionStorage.getItem(VERIFIER_KEY);
  if (params.get('error')) throw new Error(params.get('error_description') ?? params.get('error')!);
  if (!verifier || params.get('state') !== sessionStorage.getItem(STATE_KEY)) {
    throw new Error('the sign-in was not started from this page');
  }
  const discovery = await discover(settings);
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: settings.clientId,
      code_verifier: verifier,
    }),
  });
  sessionStorage.removeItem(VERIFIER_KEY);
  sessionStorage.removeItem(STATE_KEY);
  if (!response.ok) throw new Error(`the identity provider answered ${response.status}`);
  const tokens = (await response.json()) as { id_token?: string; access_token?: string };
  const token = tokens.id_token ?? tokens.access_token;
  if (!token) throw new Error('the identity provider gave no token');
  return token;
}
