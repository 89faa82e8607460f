// What the gateway's end-to-end tests share: two toy subgraphs composed into a
// supergraph in a temporary directory, the card query they answer, and a POST helper.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { composeSubgraphs, supergraphFileContent } from '../lib/composition.mjs';
import { startToySubgraph } from './toy-subgraphs.mjs';

export const CARD = /* GraphQL */ `
  query Card($id: ID!) {
    customer(id: $id) {
      firstName
      phone
      balance
      referrer { firstName balance }
      operations(first: 2) { totalCount edges { node { amount customer { firstName } } } }
    }
  }
`;

export async function post(url, { query, variables, token, headers = {} }) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

/** Two toy subgraphs and a supergraph composed from them, in a temporary directory. */
export async function startToys() {
  const profiles = await startToySubgraph('profiles');
  const ledger = await startToySubgraph('ledger');
  const composed = composeSubgraphs([
    { name: 'profiles', url: profiles.url, sdl: profiles.sdl },
    { name: 'ledger', url: ledger.url, sdl: ledger.sdl },
  ]);
  assert.equal(composed.errors, undefined, String(composed.errors));
  const directory = mkdtempSync(join(tmpdir(), 'clientcard-gateway-'));
  const supergraphPath = join(directory, 'supergraph.graphql');
  writeFileSync(supergraphPath, supergraphFileContent(composed.supergraphSdl));
  return {
    profiles,
    ledger,
    supergraphPath,
    requestCount: () => profiles.requests.length + ledger.requests.length,
    stop: async () => {
      await profiles.stop();
      await ledger.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
