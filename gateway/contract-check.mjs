#!/usr/bin/env node
// Checks that the composed supergraph offers everything of the public contract:
// every type, field, argument (type, nullability, default) and enum value.
//
//   node gateway/contract-check.mjs [--supergraph FILE] [--contract FILE]
//
// Defaults: gateway/supergraph.graphql and ../shared/design/contract.graphql beside the
// repository; contract-v2.graphql beside the contract, when there, is reported on only. When the contract file is absent (a checkout without it) the check is
// skipped with a message; when the supergraph is absent it fails.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { compareWithContract, publicSdlOfSupergraph } from './lib/contract.mjs';

const gatewayDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(gatewayDir, '..');

const { values: options } = parseArgs({
  options: {
    supergraph: { type: 'string', default: join(gatewayDir, 'supergraph.graphql') },
    contract: { type: 'string', default: join(repoDir, '..', 'shared', 'design', 'contract.graphql') },
  },
});

const shown = (path) => relative(process.cwd(), path) || '.';
const contractPath = resolve(options.contract);
const supergraphPath = resolve(options.supergraph);

if (!existsSync(contractPath)) {
  console.log(`contract-check: skipped: no contract at ${shown(contractPath)}`);
  process.exit(0);
}
if (!existsSync(supergraphPath)) {
  console.error(
    `contract-check: no supergraph at ${shown(supergraphPath)}: run \`node gateway/compose.mjs\` first`,
  );
  process.exit(1);
}

const problems = compareWithContract(
  readFileSync(contractPath, 'utf8'),
  publicSdlOfSupergraph(readFileSync(supergraphPath, 'utf8')),
);

if (problems.length > 0) {
  console.error(
    `contract-check: ${shown(supergraphPath)} lacks or changes ${problems.length} ` +
      `thing${problems.length === 1 ? '' : 's'} of ${shown(contractPath)}:`,
  );
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`contract-check: ${shown(supergraphPath)} offers all of ${shown(contractPath)}`);

// The second stage's additions: binding names for the work that builds them. What is not
// built yet is listed, never a failure; once built, a part moves into the contract above.
const additionsPath = join(dirname(contractPath), 'contract-v2.graphql');
if (existsSync(additionsPath)) {
  const pending = compareWithContract(
    readFileSync(additionsPath, 'utf8'),
    publicSdlOfSupergraph(readFileSync(supergraphPath, 'utf8')),
  ).filter((line) => !line.startsWith('contract itself:'));
  console.log(
    `contract-check: of ${shown(additionsPath)}, ${pending.length} thing` +
      `${pending.length === 1 ? ' is' : 's are'} not built yet (reported, not enforced)`,
  );
  for (const line of pending) console.log(`  - ${line}`);
}
