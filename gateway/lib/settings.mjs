// The gateway's settings, from environment variables with development defaults.
// The JWT settings mirror the services' (clientcard_kit.settings): the same development
// secret, audience and claims, so a token a service accepts is one the gateway accepts.

export const DEV_JWT_SECRET = 'clientcard-development-secret-not-for-production';

const ENVIRONMENTS = ['development', 'test', 'production'];

/** Settings read from `env`; throws an Error naming the variable when one is unusable. */
export function readSettings(env = process.env) {
  const environment = env.GATEWAY_ENVIRONMENT || 'development';
  if (!ENVIRONMENTS.includes(environment)) {
    throw new Error(`GATEWAY_ENVIRONMENT must be one of ${ENVIRONMENTS.join(', ')}, not ${JSON.stringify(environment)}`);
  }
  const development = environment === 'development';

  const jwksUrl = env.GATEWAY_JWKS_URL || null;
  const jwtSecret = env.GATEWAY_JWT_SECRET || DEV_JWT_SECRET;
  if (environment === 'production' && !jwksUrl && jwtSecret === DEV_JWT_SECRET) {
    // A production gateway accepting tokens signed with a published secret would let
    // anyone in: refuse to start instead.
    throw new Error('in production set GATEWAY_JWKS_URL or GATEWAY_JWT_SECRET (the development secret is public)');
  }
  // With a JWKS the keys are public keys (RS256 by default), otherwise the shared secret
  // (HS256). The two are never mixed: accepting HS256 next to a public key would let a
  // token be "signed" with the public key itself.
  const algorithms = list(env.GATEWAY_JWT_ALGORITHMS) ?? [jwksUrl ? 'RS256' : 'HS256'];
  const symmetric = algorithms.filter((algorithm) => algorithm.startsWith('HS'));
  if (jwksUrl && symmetric.length > 0) {
    throw new Error(`GATEWAY_JWT_ALGORITHMS: ${symmetric.join(', ')} cannot be used with GATEWAY_JWKS_URL`);
  }
  if (!jwksUrl && symmetric.length !== algorithms.length) {
    throw new Error('GATEWAY_JWT_ALGORITHMS: asymmetric algorithms need GATEWAY_JWKS_URL');
  }

  return {
    environment,
    development,
    jwt: {
      secret: jwksUrl ? null : jwtSecret,
      jwksUrl,
      algorithms,
      audience: env.GATEWAY_JWT_AUDIENCE || 'clientcard',
      issuer: env.GATEWAY_JWT_ISSUER || null,
    },
    // Refused before execution: deeper than this many levels of selection sets...
    maxDepth: integer(env, 'GATEWAY_MAX_DEPTH', 12),
    // ... or longer than this many tokens (a full card query is a few hundred).
    maxTokens: integer(env, 'GATEWAY_MAX_TOKENS', 2000),
    // Estimated cost (lib/operation-cost.mjs): each object in the answer costs 1, a field
    // with `first` yields that many, any other list is assumed to hold this many items.
    maxCost: integer(env, 'GATEWAY_MAX_COST', 5000),
    assumedListSize: integer(env, 'GATEWAY_ASSUMED_LIST_SIZE', 10),
    // Adds `extensions.cost` (estimated, max) to every answer: for writing queries.
    reportCost: boolean(env, 'GATEWAY_REPORT_COST', false),
    upstreamTimeoutMs: integer(env, 'GATEWAY_UPSTREAM_TIMEOUT_MS', 10_000),
    // The largest request body taken, as the services' MAX_BODY_BYTES; larger ones get 413.
    maxBodyBytes: integer(env, 'GATEWAY_MAX_BODY_BYTES', 1024 * 1024),
    corsOrigins: list(env.GATEWAY_CORS_ORIGINS),
    logLevel: env.GATEWAY_LOG_LEVEL || 'info',
    // Subgraph URLs replacing those composed into the supergraph, for deployments whose
    // subgraphs are not on this machine; the supergraph itself keeps the local defaults.
    subgraphUrls: Object.fromEntries(
      [
        ['customers', env.CUSTOMERS_URL],
        ['bonuses', env.BONUSES_URL],
        ['messaging', env.MESSAGING_URL],
        ['receipts', env.RECEIPTS_URL],
      ].filter(([, url]) => url),
    ),
  };
}

function integer(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  }
  return value;
}

function boolean(env, name, fallback) {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, not ${JSON.stringify(env[name])}`);
}

function list(raw) {
  if (!raw) return null;
  const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
  return items.length > 0 ? items : null;
}
