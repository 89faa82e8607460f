// What every page needs to know: the runtime settings and who is signed in.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { canWrite, type Session } from './auth';
import type { AppConfig } from './config';
import { formatsFor, type Formats } from './format';

interface AppContext {
  config: AppConfig;
  session: Session | null;
  signOut: () => void;
  /** The tenant's own time zone (its loyalty program's), once known. */
  tenantTimeZone?: string | null;
}

const Context = createContext<AppContext | null>(null);

export function AppProvider({ value, children }: { value: AppContext; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useApp(): AppContext {
  const value = useContext(Context);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}

export function useFormats(): Formats {
  const { config, tenantTimeZone } = useApp();
  const { i18n } = useTranslation();
  const zone = tenantTimeZone ?? config.timeZone;
  return useMemo(() => formatsFor(i18n.language, config.currency, zone), [i18n.language, config.currency, zone]);
}

/** Whether the signed-in member of staff may change things (no VIEWER). */
export function useCanWrite(): boolean {
  return canWrite(useApp().session);
}
