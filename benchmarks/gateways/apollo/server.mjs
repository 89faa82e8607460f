// Apollo Gateway over a clientcard supergraph: the comparison gateway of
// benchmarks/card_gateway.py, set up to do the same work per request as Hive Gateway.
//
//   SUPERGRAPH=path/to/supergraph.graphql GATEWAY_PORT=4100 node server.mjs
//
// Like Hive Gateway it verifies the caller's JWT (HS256 with GATEWAY_JWT_SECRET, the
// development secret by default; audience `clientcard`) and forwards the Authorization
// header to every subgraph, which checks it again. CUSTOMERS_URL, BONUSES_URL,
// MESSAGING_URL and RECEIPTS_URL replace the subgraph URLs of the supergraph.
// It prints "ready <url>" once it serves.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError } from 'graphql';

const DEV_JWT_SECRET = 'clientcard-development-secret-not-for-production';
const AUDIENCE = 'clientcard';

const supergraphPath = process.env.SUPERGRAPH;
if (!supergraphPath) {
  console.error('server.mjs: set SUPERGRAPH to the supergraph file');
  process.exit(2);
}
const secret = process.env.GATEWAY_JWT_SECRET || DEV_JWT_SECRET;
const overrides = {
  customers: process.env.CUSTOMERS_URL,
  bonuses: process.env.BONUSES_URL,
  messaging: process.env.MESSAGING_URL,
  receipts: process.env.RECEIPTS_URL,
};

class ForwardingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context.authorization) request.http.headers.set('authorization', context.authorization);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(supergraphPath, 'utf8'),
  buildService: ({ name, url }) => new ForwardingDataSource({ url: overrides[name] || url }),
});

const server = new ApolloServer({
  gateway,
  plugins: [ApolloServerPluginLandingPageDisabled()],
  includeStacktraceInErrorResponses: false,
});

const { url } = await startStandaloneServer(server, {
  listen: { host: process.env.GATEWAY_HOST || '127.0.0.1', port: Number(process.env.GATEWAY_PORT || 4100) },
  context: async ({ req }) => {
    const authorization = req.headers.authorization;
    verify(authorization);
    return { authorization };
  },
});
console.log(`ready ${url}`);

/** Throws a 401 GraphQL error unless `authorization` is "Bearer <valid HS256 token>". */
function verify(authorization) {
  const [scheme, token] = (authorization || '').split(' ');
  const parts = scheme === 'Bearer' && token ? token.split('.') : [];
  if (parts.length !== 3) refuse('a Bearer token is required');
  const [header, payload, signature] = parts;
  if (decode(header).alg !== 'HS256') refuse('the token must be signed with HS256');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) refuse('bad signature');
  const claims = decode(payload);
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) refuse('the token has expired');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(AUDIENCE)) refuse('the token is not for clientcard');
}

function decode(part) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return refuse('the token is not a JWT');
  }
}

function refuse(message) {
  throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
