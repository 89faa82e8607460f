// Composition of subgraph SDLs (lib/composition.mjs) and the compose.mjs command.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { composeSubgraphs, firstDifference, GENERATED_HEADER } from '../lib/composition.mjs';
import { FIXTURES, toySubgraphs } from '../test-support/fixtures.mjs';

const COMPOSE = join(import.meta.dirname, '..', 'compose.mjs');

describe('composeSubgraphs', () => {
  test('composes the toy subgraphs with both composers', () => {
    const result = composeSubgraphs(toySubgraphs('profiles', 'ledger'));
    assert.equal(result.errors, undefined, String(result.errors));
    // Both subgraphs, with their URLs, and the entity both contribute to.
    assert.match(result.supergraphSdl, /PROFILES @join__graph\(name: "profiles", url: "http:\/\/127\.0\.0\.1:9100\/graphql"\)/);
    assert.match(result.supergraphSdl, /LEDGER @join__graph\(name: "ledger", url: "http:\/\/127\.0\.0\.1:9101\/graphql"\)/);
    assert.match(result.supergraphSdl, /type Customer @join__type\(graph: LEDGER, key: "id"\) @join__type\(graph: PROFILES, key: "id"\)/);
    // The public API has the merged entity and the shared type once, without federation.
    assert.match(result.publicSdl, /type Customer \{[^}]*balance: Decimal[^}]*firstName: String/s);
    assert.equal(result.publicSdl.match(/type PageInfo/g).length, 1);
    assert.doesNotMatch(result.publicSdl, /join__|_entities|_service/);
  });

  test('the output does not depend on the order of the subgraphs', () => {
    const [profiles, ledger] = toySubgraphs('profiles', 'ledger');
    assert.equal(
      composeSubgraphs([profiles, ledger]).supergraphSdl,
      composeSubgraphs([ledger, profiles]).supergraphSdl,
    );
  });

  test('conflicting subgraphs fail, with each composer saying what conflicts', () => {
    const result = composeSubgraphs(toySubgraphs('profiles', 'ledger', 'conflicting'));
    assert.equal(result.supergraphSdl, undefined);
    const text = result.errors.join('\n');
    for (const composer of ['@theguild/federation-composition', '@apollo/composition']) {
      assert.match(text, new RegExp(`${composer}: Type of field "PageInfo.endCursor" is incompatible across subgraphs`));
      assert.match(text, new RegExp(`${composer}: Non-shareable field "Customer.firstName" is resolved from multiple subgraphs`));
    }
  });

  test('an SDL that is not GraphQL is reported with its file', () => {
    const result = composeSubgraphs([{ name: 'broken', url: 'http://127.0.0.1:1/graphql', sdl: 'type {', path: 'services/broken/schema.graphql' }]);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0], /^services\/broken\/schema\.graphql: not valid GraphQL SDL: Syntax Error/);
  });

  test('no subgraph at all is an error', () => {
    assert.deepEqual(composeSubgraphs([]).errors, ['there is no subgraph SDL to compose']);
  });

  test('firstDifference names the first differing line', () => {
    assert.equal(firstDifference('a\nb\nc', 'a\nx\nc'), 'line 2: expected `b`, found `x`');
    assert.equal(firstDifference('a', 'a\nb'), 'line 2: expected (end of file), found `b`');
  });
});

describe('compose.mjs', () => {
  let directory;
  let services;
  let output;
  // The command with the fixtures standing in for two services' SDL files.
  const compose = (args = [], env = {}) =>
    spawnSync(process.execPath, [COMPOSE, '--services-dir', services, '--output', output, ...args], {
      encoding: 'utf8',
      env: { ...process.env, CUSTOMERS_URL: '', BONUSES_URL: '', ...env },
    });

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'clientcard-compose-'));
    services = join(directory, 'services');
    output = join(directory, 'supergraph.graphql');
    for (const [service, fixture] of [['customers', 'profiles'], ['bonuses', 'ledger']]) {
      mkdirSync(join(services, service), { recursive: true });
      cpSync(join(FIXTURES, `${fixture}.graphql`), join(services, service, 'schema.graphql'));
    }
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  test('writes the supergraph of the services that have an SDL, and says which lack one', () => {
    const run = compose();
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /wrote .*supergraph\.graphql \(customers, bonuses\)/);
    assert.match(run.stderr, /no schema\.graphql yet for messaging, receipts/);
    const written = readFileSync(output, 'utf8');
    assert.ok(written.startsWith(GENERATED_HEADER));
    assert.match(written, /CUSTOMERS @join__graph\(name: "customers", url: "http:\/\/127\.0\.0\.1:8001\/graphql"\)/);
    assert.match(written, /BONUSES @join__graph\(name: "bonuses", url: "http:\/\/127\.0\.0\.1:8002\/graphql"\)/);
  });

  test('--check passes on an up-to-date supergraph', () => {
    const run = compose(['--check']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /is up to date/);
  });

  test('--check fails on a stale supergraph and says where it differs', () => {
    const sdl = join(services, 'bonuses', 'schema.graphql');
    const original = readFileSync(sdl, 'utf8');
    try {
      writeFileSync(sdl, original.replace('type Query {', 'type Query {\n  programName: String'));
      const run = compose(['--check']);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /is stale \(line \d+: composed `programName: String @join__field\(graph: BONUSES\)`/);
      assert.match(run.stderr, /run `node gateway\/compose\.mjs`/);
    } finally {
      writeFileSync(sdl, original);
    }
  });

  test('a subgraph URL comes from its environment variable', () => {
    const run = compose(['--check'], { BONUSES_URL: 'http://bonuses.internal:8080/graphql' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /composed `BONUSES @join__graph\(name: "bonuses", url: "http:\/\/bonuses\.internal:8080\/graphql"\)`/);
  });

  test('--check fails when the subgraphs do not compose', () => {
    mkdirSync(join(services, 'messaging'), { recursive: true });
    cpSync(join(FIXTURES, 'conflicting.graphql'), join(services, 'messaging', 'schema.graphql'));
    try {
      const run = compose(['--check']);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /the subgraphs \(customers, bonuses, messaging\) do not compose:/);
      assert.match(run.stderr, /Type of field "PageInfo\.endCursor" is incompatible/);
    } finally {
      rmSync(join(services, 'messaging'), { recursive: true });
    }
  });

  test('--check fails when the supergraph was never written', () => {
    const run = spawnSync(process.execPath, [COMPOSE, '--check', '--services-dir', services, '--output', join(directory, 'none.graphql')], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /none\.graphql does not exist/);
  });

  test('without any subgraph SDL it says so and fails', () => {
    const run = spawnSync(process.execPath, [COMPOSE, '--services-dir', join(directory, 'empty'), '--output', output], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no subgraph SDL found: none of customers\/schema\.graphql, bonuses\/schema\.graphql, messaging\/schema\.graphql, receipts\/schema\.graphql exists/);
  });
});
