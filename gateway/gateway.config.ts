// Hive Gateway configuration of the clientcard supergraph.
//
// Run through bin/clientcard-gateway, which passes the supergraph file, host and port.
// Everything here comes from environment variables with development defaults; see
// lib/settings.mjs and the README for the list.

import { defineConfig } from '@graphql-hive/gateway';
import { openTelemetrySetup } from '@graphql-hive/gateway/opentelemetry/setup';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

import { useBodyLimit } from './lib/body-limit.mjs';
import { useOperationCost } from './lib/operation-cost.mjs';
import { useRequireAuthentication } from './lib/require-authentication.mjs';
import { readSettings } from './lib/settings.mjs';
import { signingKeyProvider } from './lib/signing-keys.mjs';
import { maskError, useNameFailingSubgraph } from './lib/subgraph-errors.mjs';
import { tracingSettings } from './lib/tracing.mjs';

const settings = readSettings(process.env);
const TRACED_SPANS = {
  graphqlContextBuilding: false,
  graphqlParse: false,
  graphqlValidate: false,
  upstreamFetch: false,
};
const tracing = tracingSettings(process.env);
if (tracing) {
  openTelemetrySetup({
    // No AsyncLocalStorage: the plugin parents its spans through the request's own
    // context (`useContextManager: false` below), and a context store entered around
    // every asynchronous step cost the gateway CPU on every request, traced or not.
    contextManager: null,
    resource: { serviceName: process.env.OTEL_SERVICE_NAME || 'gateway' },
    traces: { exporter: new OTLPTraceExporter({ url: tracing.endpoint }) },
    samplingRate: tracing.samplingRate,
  });
}

export const gatewayConfig = defineConfig({
  logging: settings.logLevel,

  // --- Authentication -------------------------------------------------------------
  // This plugin verifies the token (signature, expiry, audience, issuer when set) and
  // puts its claims on the context; useRequireAuthentication (in `plugins`) then refuses,
  // with 401 and a message saying why, an operation whose token is missing or did not
  // verify, except anonymous introspection in development.
  jwt: {
    signingKeyProviders: [signingKeyProvider(settings.jwt)],
    tokenVerification: {
      algorithms: settings.jwt.algorithms,
      audience: settings.jwt.audience,
      ...(settings.jwt.issuer ? { issuer: settings.jwt.issuer } : {}),
    },
    reject: { missingToken: false, invalidToken: false },
    // The subgraphs read the token from the Authorization header (below), not from the
    // verified claims the plugin would otherwise add to each subgraph request.
    forward: { payload: false, token: false },
  },

  // The subgraphs verify the same token themselves (a subgraph reached directly is as
  // closed as the gateway), so the client's Authorization header goes to each of them.
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      return { authorization: request.headers.get('authorization') };
    },
  },

  // --- Limits -----------------------------------------------------------------------
  // Refused at validation, before any subgraph is called; the cost limit is in `plugins`
  // (useOperationCost). The size of `first` is bounded by the subgraphs themselves (200).
  maxDepth: settings.maxDepth,
  maxTokens: settings.maxTokens,
  // In production a typo in a field name gets no "did you mean" with the schema's names.
  blockFieldSuggestions: !settings.development,
  // A subgraph slower than this fails its part of the answer; the rest still comes back.
  upstreamTimeout: settings.upstreamTimeoutMs,

  // A failed or late subgraph gives the other subgraphs' data and an error naming it.
  maskedErrors: { maskError },

  // Subgraph URLs from the environment override those composed into the supergraph.
  transportEntries: Object.fromEntries(
    Object.entries(settings.subgraphUrls).map(([subgraph, location]) => [subgraph, { location }]),
  ),

  // --- Operations -------------------------------------------------------------------
  // /healthcheck and /readiness are served by the gateway itself; /metrics by this.
  prometheus: { metrics: true, endpoint: '/metrics' },
  // Spans of the request, the operation, its execution and each subgraph call; the trace
  // context goes to the subgraphs in `traceparent`. Off unless OTEL_* ask for it. Context
  // building, parsing and validation take microseconds once the operation is cached, and
  // the fetch under each subgraph call repeats it, so those spans are left out: every
  // request pays for them, recorded or not (docs/benchmarks.md, "What tracing costs").
  ...(tracing ? { openTelemetry: { useContextManager: false, traces: { spans: TRACED_SPANS } } } : {}),
  graphiql: settings.development ? { title: 'clientcard' } : false,
  landingPage: settings.development,
  ...(settings.corsOrigins ? { cors: { origin: settings.corsOrigins, credentials: false } } : {}),

  plugins: () => [
    useBodyLimit({ maxBytes: settings.maxBodyBytes }),
    useRequireAuthentication({ allowAnonymousIntrospection: settings.development }),
    useOperationCost({
      maxCost: settings.maxCost,
      assumedListSize: settings.assumedListSize,
      reportCost: settings.reportCost,
    }),
    useNameFailingSubgraph(),
  ],
});
