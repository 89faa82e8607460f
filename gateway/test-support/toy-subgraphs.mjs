// Two tiny federation subgraphs for the gateway's end-to-end test, each a plain node HTTP
// server executing its fixture SDL with graphql-js: "profiles" owns customers' names and
// phones, "ledger" adds a balance and bonus operations to the same Customer entity.
// Each server remembers the Authorization header of every request it received.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

import { buildSchema, graphql } from 'graphql';

const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures');

// What every federation subgraph answers besides its own fields; the profiles fixture
// already declares it, as Strawberry prints it.
const ENTITY_SUPPORT = `
  extend type Query { _entities(representations: [_Any!]!): [_Entity]! _service: _Service! }
  scalar _Any
  union _Entity = Customer
  type _Service { sdl: String! }
`;

const PEOPLE = {
  c1: { id: 'c1', firstName: 'Anna', phone: '+79990000001', gender: 'FEMALE', registeredAt: '2024-03-01T10:00:00+00:00', referrerId: null },
  c2: { id: 'c2', firstName: 'Boris', phone: '+79990000002', gender: 'MALE', registeredAt: '2024-04-02T11:30:00+00:00', referrerId: 'c1' },
};

const BALANCES = { c1: '150.00', c2: '0.00' };

function profileOf(id) {
  const person = PEOPLE[id];
  if (!person) return null;
  return { __typename: 'Customer', ...person, referrer: () => profileOf(person.referrerId) };
}

function ledgerOf(id) {
  const operation = (n, amount) => ({
    cursor: `op-${id}-${n}`,
    node: {
      id: `op-${id}-${n}`,
      occurredAt: '2024-05-01T12:00:00+00:00',
      type: 'ACCRUAL',
      amount,
      customer: () => ledgerOf(id), // resolved lazily: operations nest customers
    },
  });
  return {
    __typename: 'Customer',
    id,
    balance: BALANCES[id] ?? '0.00',
    operations: ({ first }) => {
      const edges = [operation(1, '100.00'), operation(2, '50.00')].slice(0, first ?? 20);
      return { edges, totalCount: 2, pageInfo: { hasNextPage: false, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  };
}

const SUBGRAPHS = {
  profiles: {
    sdl: () => readFileSync(join(fixtures, 'profiles.graphql'), 'utf8'),
    root: {
      customer: ({ id }) => profileOf(id),
      customers: ({ first }) => {
        const edges = Object.keys(PEOPLE)
          .slice(0, first ?? 50)
          .map((id) => ({ cursor: id, node: profileOf(id) }));
        const hasNextPage = edges.length < Object.keys(PEOPLE).length;
        return { edges, totalCount: Object.keys(PEOPLE).length, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
      },
      renameCustomer: ({ id, input }) => ({ ...profileOf(id), firstName: input.firstName }),
      _entities: ({ representations }) => representations.map((r) => profileOf(r.id)),
    },
  },
  ledger: {
    sdl: () => readFileSync(join(fixtures, 'ledger.graphql'), 'utf8') + ENTITY_SUPPORT,
    root: {
      accrualPercent: () => '5.00',
      _entities: ({ representations }) => representations.map((r) => ledgerOf(r.id)),
    },
  },
};

/**
 * Starts the named toy subgraph on a free loopback port.
 * Returns { name, url, sdl, requests, delayMs, stop() }; `requests` lists
 * { authorization, query } of each request received.
 */
export async function startToySubgraph(name) {
  const definition = SUBGRAPHS[name];
  const sdl = definition.sdl();
  // The federation directives (@key, @link, ...) are not defined for graphql-js; they only
  // matter to composition, so the SDL is taken as valid and they are ignored.
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  const rootValue = { ...definition.root, _service: () => ({ sdl }) };
  const requests = [];
  // Set `subgraph.delayMs` to make every answer late, e.g. to exceed the gateway's timeout.
  const control = { delayMs: 0 };

  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'the body is not JSON' }] }));
      return;
    }
    requests.push({ authorization: request.headers.authorization ?? null, query: body.query });
    if (control.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, control.delayMs));
    const result = await graphql({
      schema,
      source: body.query,
      rootValue,
      variableValues: body.variables,
      operationName: body.operationName,
      // Root fields get (args) like rootValue functions; nested values may be functions of
      // their arguments too (referrer, operations).
      fieldResolver: (source, args, _context, info) => {
        const value = source?.[info.fieldName];
        return typeof value === 'function' ? value(args) : value;
      },
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(result));
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    set delayMs(value) {
      control.delayMs = value;
    },
    sdl,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
