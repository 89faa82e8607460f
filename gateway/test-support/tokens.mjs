// Tokens for the tests, signed with node's crypto: HS256 as the services' development
// tokens are, RS256 as an identity provider publishing a JWKS would.

import { createHmac, sign } from 'node:crypto';

export const DEV_SECRET = 'clientcard-development-secret-not-for-production';

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claimsWith(claims) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'staff-1',
    tenant: 'demo',
    role: 'OWNER',
    aud: 'clientcard',
    iss: 'clientcard-dev',
    iat: now,
    exp: now + 3600,
    ...claims,
  };
}

/** An HS256 token; `claims` are added to (or replace) valid development claims. */
export function signToken(claims = {}, secret = DEV_SECRET) {
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claimsWith(claims))}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** An RS256 token signed with `privateKey` (a KeyObject), naming its key `kid`. */
export function signTokenRs256(claims, privateKey, kid) {
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claimsWith(claims))}`;
  const signature = sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}
