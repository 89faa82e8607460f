// Who is signed in: the token sent to the gateway and the role read from it. The role only
// hides buttons; the services check it again on every write.

export type Role = 'OWNER' | 'MANAGER' | 'VIEWER';

export interface Session {
  token: string;
  tenant: string;
  role: Role;
  subject: string;
  expiresAt: number | null;
}

const STORAGE_KEY = 'clientcard.token';

function decodePart(part: string): unknown {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The session a token stands for, or null when it is not a readable, unexpired JWT. */
export function sessionOf(token: string, now: number = Date.now()): Session | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let claims: Record<string, unknown>;
  try {
    claims = decodePart(parts[1]) as Record<string, unknown>;
  } catch {
    return null;
  }
  const role = claims.role;
  if (role !== 'OWNER' && role !== 'MANAGER' && role !== 'VIEWER') return null;
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (expiresAt !== null && expiresAt <= now) return null;
  return {
    token,
    role,
    tenant: String(claims.tenant ?? ''),
    subject: String(claims.sub ?? ''),
    expiresAt,
  };
}

export function canWrite(session: Session | null): boolean {
  return session !== null && session.role !== 'VIEWER';
}

export function storedToken(): string | null {
  return window.localStorage.getItem(STORAGE_KEY);
}

export function storeToken(token: string | null): void {
  if (token === null) window.localStorage.removeItem(STORAGE_KEY);
  else window.localStorage.setItem(STORAGE_KEY, token);
}
