// The gateway's own rules, without a running gateway: settings, authentication, cost and
// the errors given for failing subgraphs.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildSchema, getIntrospectionQuery, GraphQLError, parse } from 'graphql';

import { estimateCost } from '../lib/operation-cost.mjs';
import { claimsProblem, isIntrospectionOnly } from '../lib/require-authentication.mjs';
import { DEV_JWT_SECRET, readSettings } from '../lib/settings.mjs';
import { maskError } from '../lib/subgraph-errors.mjs';

describe('settings', () => {
  test('development defaults match the services', () => {
    const settings = readSettings({});
    assert.equal(settings.environment, 'development');
    assert.deepEqual(settings.jwt, {
      secret: DEV_JWT_SECRET,
      jwksUrl: null,
      algorithms: ['HS256'],
      audience: 'clientcard',
      issuer: null,
    });
    assert.equal(settings.maxDepth, 12);
    assert.equal(settings.upstreamTimeoutMs, 10_000);
    assert.equal(settings.reportCost, false);
    assert.deepEqual(settings.subgraphUrls, {});
  });

  test('a JWKS URL means public keys, RS256 by default, and never the shared secret', () => {
    const settings = readSettings({ GATEWAY_JWKS_URL: 'http://127.0.0.1:9/jwks.json', GATEWAY_JWT_ISSUER: 'idp' });
    assert.deepEqual(settings.jwt.algorithms, ['RS256']);
    assert.equal(settings.jwt.secret, null);
    assert.equal(settings.jwt.issuer, 'idp');
    assert.throws(
      () => readSettings({ GATEWAY_JWKS_URL: 'http://127.0.0.1:9/jwks.json', GATEWAY_JWT_ALGORITHMS: 'RS256,HS256' }),
      /HS256 cannot be used with GATEWAY_JWKS_URL/,
    );
    assert.throws(() => readSettings({ GATEWAY_JWT_ALGORITHMS: 'RS256' }), /need GATEWAY_JWKS_URL/);
  });

  test('production refuses the public development secret', () => {
    assert.throws(() => readSettings({ GATEWAY_ENVIRONMENT: 'production' }), /development secret is public/);
    assert.equal(readSettings({ GATEWAY_ENVIRONMENT: 'production', GATEWAY_JWT_SECRET: 's3cret' }).development, false);
  });

  test('bad values name their variable', () => {
    assert.throws(() => readSettings({ GATEWAY_ENVIRONMENT: 'staging' }), /GATEWAY_ENVIRONMENT must be one of/);
    assert.throws(() => readSettings({ GATEWAY_MAX_DEPTH: 'deep' }), /GATEWAY_MAX_DEPTH must be a positive integer/);
    assert.throws(() => readSettings({ GATEWAY_REPORT_COST: 'maybe' }), /GATEWAY_REPORT_COST must be true or false/);
    assert.equal(readSettings({ GATEWAY_REPORT_COST: 'TRUE' }).reportCost, true);
  });

  test('subgraph URLs can be replaced', () => {
    assert.deepEqual(readSettings({ RECEIPTS_URL: 'http://receipts:8000/graphql' }).subgraphUrls, {
      receipts: 'http://receipts:8000/graphql',
    });
  });
});

describe('authentication rules', () => {
  const claims = { sub: 'staff-1', tenant: 'demo', role: 'MANAGER', exp: 1, aud: 'clientcard' };

  test('a token needs the claims the services rely on', () => {
    assert.equal(claimsProblem(claims), null);
    assert.equal(claimsProblem({ ...claims, exp: undefined }), "it lacks the claim 'exp'");
    assert.match(claimsProblem({ ...claims, tenant: '' }), /tenant claim must be a non-empty string/);
    assert.match(claimsProblem({ ...claims, tenant: 'x'.repeat(65) }), /at most 64 characters/);
    assert.match(claimsProblem({ ...claims, role: 'owner' }), /role "owner" is not one of OWNER, MANAGER, VIEWER/);
  });

  test('introspection-only operations are recognised, following fragments', () => {
    assert.ok(isIntrospectionOnly(getIntrospectionQuery()));
    assert.ok(isIntrospectionOnly('{ __typename }'));
    assert.ok(isIntrospectionOnly('query A { x } query B { __type(name: "Customer") { name } }', 'B'));
    assert.ok(isIntrospectionOnly('{ ...F } fragment F on Query { __schema { types { name } } }'));
  });

  test('anything else is not introspection', () => {
    assert.ok(!isIntrospectionOnly('{ __typename customer(id: "1") { id } }'));
    assert.ok(!isIntrospectionOnly('{ ...F } fragment F on Query { customers { totalCount } }'));
    assert.ok(!isIntrospectionOnly('query A { __typename } query B { customer(id: "1") { id } }', 'B'));
    assert.ok(!isIntrospectionOnly('query A { __typename } query B { __typename }')); // which one?
    assert.ok(!isIntrospectionOnly('mutation { __typename }'));
    assert.ok(!isIntrospectionOnly('{ __schema '));
    assert.ok(!isIntrospectionOnly(undefined));
  });
});

describe('operation cost', () => {
  const schema = buildSchema(`
    type Query {
      customers(first: Int = 50, after: String): CustomerConnection!
      customer(id: ID!): Customer
      tags: [String!]!
    }
    type CustomerConnection { edges: [CustomerEdge!]! pageInfo: PageInfo! totalCount: Int! }
    type CustomerEdge { cursor: String! node: Customer! }
    type PageInfo { hasNextPage: Boolean! endCursor: String }
    type Customer {
      id: ID!
      segments: [Segment!]!
      grid: [[Segment!]!]!
      recent(first: Int = 5): [Segment!]!
      receipts(first: Int = 20): CustomerConnection!
    }
    type Segment { id: ID! }
  `);
  const cost = (query, variableValues) =>
    estimateCost({ schema, document: parse(query), variableValues, assumedListSize: 10 });

  test('a connection counts itself once and `first` edges and nodes', () => {
    // customers 1 + pageInfo 1 + 2 edges + 2 nodes
    assert.equal(cost('{ customers(first: 2) { totalCount pageInfo { hasNextPage } edges { node { id } } } }'), 6);
    // the argument's default when it is not given, or given as a variable left out
    assert.equal(cost('{ customers { edges { node { id } } } }'), 101);
    assert.equal(cost('query ($n: Int) { customers(first: $n) { edges { node { id } } } }', {}), 101);
    assert.equal(cost('query ($n: Int) { customers(first: $n) { edges { node { id } } } }', { n: 3 }), 7);
  });

  test('other lists are assumed to hold a fixed number of items per level', () => {
    assert.equal(cost('{ tags customer(id: "1") { segments { id } } }'), 1 + 10);
    assert.equal(cost('{ customer(id: "1") { grid { id } } }'), 1 + 100);
    assert.equal(cost('{ customer(id: "1") { recent(first: 3) { id } } }'), 1 + 3);
  });

  test('nested lists multiply', () => {
    // 1 + 4 edges + 4 nodes + 4 receipts connections + 4×20 edges + 4×20 nodes + 4×20×10 segments
    assert.equal(
      cost('{ customers(first: 4) { edges { node { receipts { edges { node { segments { id } } } } } } } }'),
      1 + 4 + 4 + 4 + 80 + 80 + 800,
    );
  });

  test('fragments count where they are spread; introspection is free', () => {
    assert.equal(cost('{ customer(id: "1") { ...S } } fragment S on Customer { segments { id } }'), 11);
    assert.equal(cost('{ customer(id: "1") { ... on Customer { segments { id } } } }'), 11);
    assert.equal(cost(getIntrospectionQuery()), 0);
  });

  test('an operation that cannot be estimated is left to execution', () => {
    assert.equal(cost('query A { tags } query B { tags }'), null);
    assert.equal(cost('query ($n: Int) { customers(first: $n) { totalCount } }', { n: 'many' }), null);
  });
});

describe('errors of failing subgraphs', () => {
  const path = ['customer', 'balance'];

  test('a subgraph that cannot be reached is named, without internal details', () => {
    const error = new GraphQLError('connect ECONNREFUSED 10.1.2.3:8002', {
      path,
      originalError: new Error('connect ECONNREFUSED 10.1.2.3:8002'),
      extensions: { code: 'SUBREQUEST_HTTP_ERROR', serviceName: 'bonuses', request: { body: '…' } },
    });
    const masked = maskError(error, 'Unexpected error.');
    assert.equal(masked.message, 'the bonuses service is unavailable');
    assert.deepEqual(masked.path, path);
    assert.deepEqual(masked.extensions, { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'bonuses' });
  });

  test('a timeout is named and is not an HTTP error for the whole answer', () => {
    const error = new GraphQLError('The operation was aborted due to timeout', {
      path,
      extensions: { code: 'GATEWAY_TIMEOUT', http: { status: 504 }, serviceName: 'receipts' },
    });
    const masked = maskError(error, 'Unexpected error.');
    assert.equal(masked.message, 'the receipts service did not answer in time');
    assert.deepEqual(masked.extensions, { code: 'SUBGRAPH_TIMEOUT', serviceName: 'receipts' });
  });

  test("a subgraph's own GraphQL errors pass through unchanged", () => {
    const error = new GraphQLError('customer not found', { path, extensions: { code: 'NOT_FOUND', serviceName: 'customers' } });
    assert.equal(maskError(error, 'Unexpected error.'), error);
  });

  test('any other unexpected error is masked', () => {
    const masked = maskError(new TypeError('x is undefined'), 'Unexpected error.');
    assert.equal(masked.message, 'Unexpected error.');
    assert.deepEqual(masked.extensions, { code: 'INTERNAL_SERVER_ERROR' });
    const wrapped = new GraphQLError('x is undefined', { path, originalError: new TypeError('x is undefined') });
    assert.equal(maskError(wrapped, 'Unexpected error.').message, 'Unexpected error.');
  });
});
