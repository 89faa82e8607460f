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

declare global {
  interface Window {
    /** `/config.json` as index.html asked for it before the scripts loaded (null: none). */
    __clientcardConfig?: Promise<Partial<AppConfig> | null>;
  }
}

async function fetchConfig(): Promise<Partial<AppConfig> | null> {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    return response.ok ? ((await response.json()) as Partial<AppConfig>) : null;
  } catch {
    return null;
  }
}

export async function loadConfig(): Promise<AppConfig> {
  const settings = await (window.__clientcardConfig ?? fetchConfig());
  return { ...DEFAULTS, ...(settings ?? {}) };
}
