// End to end: the real gateway (bin/clientcard-gateway) in front of two toy subgraphs,
// once with each query planner. Checks authentication, header forwarding, merged data,
// the limits, the operational endpoints and partial answers when a subgraph fails.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { getIntrospectionQuery } from 'graphql';

import { startGateway } from '../test-support/gateway-process.mjs';
import { signToken } from '../test-support/tokens.mjs';
import { CARD, post, startToys } from '../test-support/toy-gateway.mjs';

for (const planner of ['rust', 'js']) {
  describe(`the gateway in development, ${planner} query planner`, () => {
    let toys;
    let gateway;

    before(async () => {
      toys = await startToys();
      gateway = await startGateway({
        supergraphPath: toys.supergraphPath,
        env: {
          GATEWAY_QUERY_PLANNER: planner,
          GATEWAY_ENVIRONMENT: 'development',
          GATEWAY_UPSTREAM_TIMEOUT_MS: '1000',
          GATEWAY_REPORT_COST: 'true',
        },
      });
      // How long the real gateway takes to be ready, for the record in the test output.
      console.log(`gateway with the ${planner} query planner ready in ${gateway.startupMs} ms`);
    });

    after(async () => {
      await gateway?.stop();
      await toys?.stop();
    });

    test('a valid token gets data merged from both subgraphs, which receive the token', async () => {
      const token = signToken({ role: 'VIEWER' });
      const { status, body } = await post(gateway.url, { query: CARD, variables: { id: 'c2' }, token });
      assert.equal(status, 200);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.deepEqual(body.data.customer, {
        firstName: 'Boris',
        phone: '+79990000002',
        balance: '0.00',
        referrer: { firstName: 'Anna', balance: '150.00' },
        operations: {
          totalCount: 2,
          edges: [
            { node: { amount: '100.00', customer: { firstName: 'Boris' } } },
            { node: { amount: '50.00', customer: { firstName: 'Boris' } } },
          ],
        },
      });
      // customer 1 + referrer 1 + operations 1 + 2 edges + 2 nodes + 2 customers
      assert.deepEqual(body.extensions.cost, { estimated: 9, max: 5000 });
      for (const subgraph of [toys.profiles, toys.ledger]) {
        assert.ok(subgraph.requests.length > 0, `${subgraph.name} was not called`);
        for (const request of subgraph.requests) assert.equal(request.authorization, `Bearer ${token}`);
      }
    });

    test('an operation without a token is refused before any subgraph is called', async () => {
      const before = toys.requestCount();
      const { status, body } = await post(gateway.url, { query: CARD, variables: { id: 'c1' } });
      assert.equal(status, 401);
      assert.equal(body.data, undefined);
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
      assert.match(body.errors[0].message, /authentication required/);
      assert.equal(toys.requestCount(), before);
    });

    test('tokens that do not verify are refused', async () => {
      const before = toys.requestCount();
      const refused = {
        'a bad signature': signToken({}, 'not-the-secret'),
        'an expired token': signToken({ exp: Math.floor(Date.now() / 1000) - 60 }),
        'another audience': signToken({ aud: 'someone-else' }),
        'not a JWT at all': 'garbage',
      };
      for (const [what, token] of Object.entries(refused)) {
        const { status, body } = await post(gateway.url, { query: CARD, variables: { id: 'c1' }, token });
        assert.equal(status, 401, what);
        assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED', what);
        assert.match(body.errors[0].message, /token is not valid/, what);
      }
      const wrongRole = await post(gateway.url, { query: CARD, variables: { id: 'c1' }, token: signToken({ role: 'ADMIN' }) });
      assert.equal(wrongRole.status, 401);
      assert.match(wrongRole.body.errors[0].message, /role "ADMIN" is not one of/);
      const noTenant = await post(gateway.url, { query: CARD, variables: { id: 'c1' }, token: signToken({ tenant: undefined }) });
      assert.equal(noTenant.status, 401);
      assert.match(noTenant.body.errors[0].message, /lacks the claim 'tenant'/);
      assert.equal(toys.requestCount(), before);
    });

    test('in development, introspection needs no token (GraphiQL loads its docs)', async () => {
      const { status, body } = await post(gateway.url, { query: getIntrospectionQuery() });
      assert.equal(status, 200);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.ok(body.data.__schema.types.some((type) => type.name === 'Customer'));
      // ... but anything beyond introspection still does.
      const mixed = await post(gateway.url, { query: '{ __typename accrualPercent }' });
      assert.equal(mixed.status, 401);
      const graphiql = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      assert.equal(graphiql.status, 200);
      assert.match(await graphiql.text(), /<html/i);
    });

    test('a query deeper than the limit is refused with a clear error', async () => {
      const before = toys.requestCount();
      const deep = `{ customer(id: "c2") { ${'referrer { '.repeat(12)}firstName${' }'.repeat(12)} } }`;
      const { body } = await post(gateway.url, { query: deep, token: signToken() });
      assert.equal(body.data, undefined);
      assert.match(body.errors[0].message, /depth limit of 12 exceeded/);
      assert.equal(toys.requestCount(), before);
    });

    test('an operation over the cost limit is refused before any subgraph is called', async () => {
      const before = toys.requestCount();
      const expensive = /* GraphQL */ `{
        customers(first: 200) { edges { node { operations(first: 200) { edges { node { amount } } } } } }
      }`;
      const { body } = await post(gateway.url, { query: expensive, token: signToken() });
      assert.equal(body.data, undefined);
      assert.equal(body.errors[0].extensions.code, 'COST_LIMIT_EXCEEDED');
      assert.match(body.errors[0].message, /estimated cost is 80601, the limit is 5000/);
      assert.equal(toys.requestCount(), before);
    });

    test('a body over the limit is refused with 413 before it is read', async () => {
      const huge = JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(2 * 1024 * 1024) });
      const response = await fetch(gateway.url, {
        method: 'POST',
        body: huge,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${signToken()}` },
      });
      assert.equal(response.status, 413);
      assert.match((await response.json()).detail, /1048576 bytes/);
    });

    test('health, readiness and Prometheus metrics are served', async () => {
      assert.equal((await fetch(`${gateway.origin}/healthcheck`)).status, 200);
      assert.equal((await fetch(`${gateway.origin}/readiness`)).status, 200);
      const metrics = await fetch(`${gateway.origin}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /^graphql_\w+/m);
    });

    test('a slow subgraph times out: the rest of the answer comes with an error naming it', async () => {
      toys.ledger.delayMs = 3000;
      try {
        const started = Date.now();
        const { status, body } = await post(gateway.url, {
          query: '{ customer(id: "c1") { firstName balance } }',
          token: signToken(),
        });
        assert.ok(Date.now() - started < 2500, 'the gateway waited past its timeout');
        assert.equal(status, 200);
        assert.deepEqual(body.data, { customer: { firstName: 'Anna', balance: null } });
        assert.equal(body.errors[0].extensions.code, 'SUBGRAPH_TIMEOUT');
        assert.equal(body.errors[0].extensions.serviceName, 'ledger');
      } finally {
        toys.ledger.delayMs = 0;
      }
    });

    test('a stopped subgraph gives a partial answer with an error naming it', async () => {
      await toys.ledger.stop();
      const token = signToken();

      // A nullable field of the stopped subgraph is null, the rest is there.
      const partial = await post(gateway.url, { query: '{ customer(id: "c2") { firstName phone balance } }', token });
      assert.equal(partial.status, 200);
      assert.deepEqual(partial.body.data, { customer: { firstName: 'Boris', phone: '+79990000002', balance: null } });
      assert.equal(partial.body.errors.length, 1);
      assert.equal(partial.body.errors[0].message, 'the ledger service is unavailable');
      assert.deepEqual(partial.body.errors[0].extensions, { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'ledger' });

      // A non-null field of the stopped subgraph nulls its nearest nullable parent, as
      // GraphQL requires: here the customer.
      const bubbled = await post(gateway.url, { query: '{ customer(id: "c2") { firstName operations { totalCount } } }', token });
      assert.equal(bubbled.status, 200);
      assert.deepEqual(bubbled.body.data, { customer: null });
      assert.equal(bubbled.body.errors[0].extensions.serviceName, 'ledger');

      // The other subgraph's own queries are not affected.
      const other = await post(gateway.url, { query: '{ customers(first: 1) { totalCount } }', token });
      assert.equal(other.status, 200);
      assert.equal(other.body.errors, undefined);
      assert.deepEqual(other.body.data, { customers: { totalCount: 2 } });
    });
  });
}
