// Where the gateway gets the keys that verify tokens: the shared secret, or the public
// keys an identity provider publishes as a JWKS.

import { generateKeyPairSync } from 'node:crypto';

import { createInlineSigningKeyProvider, createRemoteJwksSigningKeyProvider } from '@graphql-hive/gateway';

/** The signing key provider for the JWT plugin, from the gateway's JWT settings. */
export function signingKeyProvider(jwt) {
  if (!jwt.jwksUrl) return createInlineSigningKeyProvider(jwt.secret);

  // The key set is cached, and fetched again (at most a few times a minute) when a token
  // names a key it does not have, as after a key rotation.
  const fromJwks = createRemoteJwksSigningKeyProvider({
    jwksUri: jwt.jwksUrl,
    cache: true,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    timeout: 5000,
  });
  // A token naming a key the set does not have is an invalid token (401), not a failure of
  // the gateway: it is checked against a key nothing was signed with, and fails. A key set
  // that cannot be fetched remains a failure of the gateway.
  const matchesNothing = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  return async (kid) => {
    try {
      return await fromJwks(kid);
    } catch (error) {
      if (error?.name === 'SigningKeyNotFoundError') return matchesNothing;
      throw error;
    }
  };
}
