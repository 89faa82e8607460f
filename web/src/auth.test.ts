import { describe, expect, it } from 'vitest';

import { canWrite, sessionOf } from './auth';

function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256' })}.${part(claims)}.signature`;
}

describe('the session a token stands for', () => {
  it('reads tenant, role and expiry', () => {
    const session = sessionOf(token({ tenant: 'demo', role: 'MANAGER', sub: 'anna', exp: 2_000_000_000 }), 0);
    expect(session).toMatchObject({ tenant: 'demo', role: 'MANAGER', subject: 'anna', expiresAt: 2_000_000_000_000 });
    expect(canWrite(session)).toBe(true);
  });

  it('lets a VIEWER read only', () => {
    expect(canWrite(sessionOf(token({ tenant: 'demo', role: 'VIEWER' })))).toBe(false);
  });

  it('refuses an expired token, an unknown role and text that is no JWT', () => {
    expect(sessionOf(token({ tenant: 'demo', role: 'OWNER', exp: 100 }), 200_000)).toBeNull();
    expect(sessionOf(token({ tenant: 'demo', role: 'ROOT' }))).toBeNull();
    expect(sessionOf('not a token')).toBeNull();
  });
});
