// The comparison of the composed public API with the contract (lib/contract.mjs) and the
// contract-check.mjs command.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { composeSubgraphs, supergraphFileContent } from '../lib/composition.mjs';
import { compareWithContract, publicSdlOfSupergraph } from '../lib/contract.mjs';
import { FIXTURES, fixture, toySubgraphs } from '../test-support/fixtures.mjs';

const CHECK = join(import.meta.dirname, '..', 'contract-check.mjs');

const composed = composeSubgraphs(toySubgraphs('profiles', 'ledger'));
const publicSdl = publicSdlOfSupergraph(composed.supergraphSdl);
const contract = fixture('contract.graphql');

// The toy contract with one piece of it replaced.
const changed = (from, to) => {
  assert.ok(contract.includes(from), `the toy contract has no ${from}`);
  return contract.replace(from, to);
};

describe('compareWithContract', () => {
  test('the public API of the supergraph is what composition reports', () => {
    // Compared both ways: each offers exactly what the other does.
    assert.deepEqual(compareWithContract(composed.publicSdl, publicSdl), []);
    assert.deepEqual(compareWithContract(publicSdl, composed.publicSdl), []);
    assert.doesNotMatch(publicSdl, /join__|link__|_entities/);
  });

  test('a supergraph offering all of the contract, and more, passes', () => {
    // The toy contract declares Customer and Query twice, like the real one.
    assert.deepEqual(compareWithContract(contract, publicSdl), []);
  });

  test('a missing field is reported with its signature', () => {
    const problems = compareWithContract(
      changed('  balance: Decimal\n', '  balance: Decimal\n  expiresAt(days: Int = 30): DateTime\n'),
      publicSdl,
    );
    assert.deepEqual(problems, ['missing field Customer.expiresAt(days: Int = 30): DateTime']);
  });

  test('a changed nullability is reported, both ways', () => {
    assert.deepEqual(compareWithContract(changed('balance: Decimal\n', 'balance: Decimal!\n'), publicSdl), [
      'Customer.balance: type differs: contract Decimal!, supergraph Decimal',
    ]);
    assert.deepEqual(compareWithContract(changed('firstName: String\n', 'firstName: String!\n'), publicSdl), [
      'Customer.firstName: type differs: contract String!, supergraph String',
    ]);
    assert.deepEqual(compareWithContract(changed('customers(first: Int = 50', 'customers(first: Int! = 50'), publicSdl), [
      'Query.customers(first:): type differs: contract Int!, supergraph Int',
    ]);
  });

  test('missing types, arguments, enum values and input fields, and changed defaults, are reported', () => {
    const problems = compareWithContract(
      [
        changed('operations(first: Int = 20, after: String)', 'operations(first: Int = 10, after: String, type: OperationType)')
          .replace('enum Gender { FEMALE MALE UNKNOWN }', 'enum Gender { FEMALE MALE UNKNOWN OTHER }')
          .replace('input RenameInput { firstName: String! }', 'input RenameInput { firstName: String! lastName: String }'),
        'type Broadcast { id: ID! }',
        'scalar Date',
      ].join('\n'),
      publicSdl,
    );
    assert.deepEqual(problems, [
      'Customer.operations(first:): default differs: contract default 10, supergraph default 20',
      'missing argument Customer.operations(type:): OperationType',
      'missing enum value Gender.OTHER',
      'missing input field RenameInput.lastName: String',
      'missing type Broadcast (an object type)',
      'missing type Date (a scalar)',
    ]);
  });

  test('a type of another kind is reported', () => {
    assert.deepEqual(compareWithContract(changed('scalar Decimal', 'enum Decimal { ZERO }'), publicSdl), [
      'Decimal is an enum in the contract but a scalar in the supergraph',
    ]);
  });

  test('an extra argument or input field that clients would have to send is reported', () => {
    const required = publicSdl
      .replace('customer(id: ID!): Customer', 'customer(id: ID!, tenant: String!): Customer')
      .replace('input RenameInput {\n  firstName: String!', 'input RenameInput {\n  firstName: String!\n  reason: String!');
    assert.deepEqual(compareWithContract(contract, required), [
      'RenameInput.reason: input field not in the contract is required (String! without a default): inputs written to the contract are rejected',
      'Query.customer(tenant:): argument not in the contract is required (String! without a default): clients of the contract cannot call Query.customer',
    ]);
    // With a default, the same additions are harmless.
    const optional = publicSdl.replace('customer(id: ID!): Customer', 'customer(id: ID!, tenant: String! = "x"): Customer');
    assert.deepEqual(compareWithContract(contract, optional), []);
  });

  test('an explicit null default is the same as no default', () => {
    const withNull = publicSdl.replace('after: String)', 'after: String = null)');
    assert.notEqual(withNull, publicSdl);
    assert.deepEqual(compareWithContract(contract, withNull), []);
  });
});

describe('contract-check.mjs', () => {
  let directory;
  let supergraph;
  const check = (...args) => spawnSync(process.execPath, [CHECK, '--supergraph', supergraph, ...args], { encoding: 'utf8' });

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'clientcard-contract-'));
    supergraph = join(directory, 'supergraph.graphql');
    writeFileSync(supergraph, supergraphFileContent(composed.supergraphSdl));
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  test('passes when everything is there', () => {
    const run = check('--contract', join(FIXTURES, 'contract.graphql'));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /offers all of/);
  });

  test('lists what is missing or different and fails', () => {
    const contractPath = join(directory, 'contract.graphql');
    writeFileSync(contractPath, changed('balance: Decimal\n', 'balance: Decimal!\n  tier: String\n'));
    const run = check('--contract', contractPath);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /lacks or changes 2 things of .*contract\.graphql:/);
    assert.match(run.stderr, /  - Customer\.balance: type differs: contract Decimal!, supergraph Decimal\n/);
    assert.match(run.stderr, /  - missing field Customer\.tier: String\n/);
  });

  test('is skipped, with a message, when there is no contract', () => {
    const run = check('--contract', join(directory, 'absent.graphql'));
    assert.equal(run.status, 0);
    assert.match(run.stdout, /skipped: no contract at .*absent\.graphql/);
  });

  test('fails when there is no supergraph', () => {
    const run = spawnSync(process.execPath, [CHECK, '--supergraph', join(directory, 'none.graphql'), '--contract', join(FIXTURES, 'contract.graphql')], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no supergraph at .*none\.graphql/);
  });
});
