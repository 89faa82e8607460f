// Settings the server gives the page at run time (`/config.json`), so that one build
// serves development (a development token, no sign-in) and production (OIDC sign-in).

export interface OidcSettings {
  authority: string;
  clientId: string;
  scope: string;
}

export interface AppConfig {
  environment: 'development' | 'test' | 'production';
  /** In development only: an OWNER token of the demo tenant, used without asking. */
  devToken: string | null;
  oidc: OidcSettings | null;
  currency: string;
  timeZone: string | null;
}

const DEFAULTS: AppConfig = {
  environment: 'production',
  devToken: null,
  oidc: null,
  currency: 'RUB',
  timeZone: null,
};

export async function loadConfig(): Promise<AppConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) return DEFAULTS;
    return { ...DEFAULTS, ...((await response.json()) as Partial<AppConfig>) };
  } catch {
    return DEFAULTS;
  }
}
