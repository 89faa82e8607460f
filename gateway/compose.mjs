#!/usr/bin/env node
// Composes services/<name>/schema.graphql into gateway/supergraph.graphql.
//
//   node gateway/compose.mjs            write the supergraph
//   node gateway/compose.mjs --check    exit 1 when the supergraph is stale or does not compose
//
// Options (for other layouts and for tests): --services-dir DIR, --output FILE.
// Subgraph URLs default to http://127.0.0.1:800N/graphql and can be replaced through
// CUSTOMERS_URL, BONUSES_URL, MESSAGING_URL and RECEIPTS_URL.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import {
  composeSubgraphs,
  firstDifference,
  loadServiceSubgraphs,
  supergraphFileContent,
} from './lib/composition.mjs';

const gatewayDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(gatewayDir, '..');

const { values: options } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    'services-dir': { type: 'string', default: join(repoDir, 'services') },
    output: { type: 'string', default: join(gatewayDir, 'supergraph.graphql') },
  },
});

// Paths are printed relative to the working directory, as a person would type them.
const shown = (path) => relative(process.cwd(), path) || '.';
const output = resolve(options.output);

const { found, missing } = loadServiceSubgraphs(resolve(options['services-dir']));
if (found.length === 0) {
  console.error(
    `compose: no subgraph SDL found: none of ${missing
      .map((name) => `${name}/schema.graphql`)
      .join(', ')} exists under ${shown(resolve(options['services-dir']))}.\n` +
      'Each service writes its own with `python -m clientcard_<name> sdl > services/<name>/schema.graphql`.',
  );
  process.exit(1);
}
if (missing.length > 0) {
  console.warn(`compose: no schema.graphql yet for ${missing.join(', ')}: composing without them`);
}

const result = composeSubgraphs(found);
if (result.errors) {
  console.error(`compose: the subgraphs (${found.map((s) => s.name).join(', ')}) do not compose:`);
  for (const message of result.errors) console.error(`  - ${message}`);
  process.exit(1);
}

const content = supergraphFileContent(result.supergraphSdl);
const current = existsSync(output) ? readFileSync(output, 'utf8') : null;

if (options.check) {
  if (current === null) {
    console.error(`compose: ${shown(output)} does not exist: run \`node gateway/compose.mjs\``);
    process.exit(1);
  }
  if (current !== content) {
    console.error(
      `compose: ${shown(output)} is stale (${firstDifference(content, current, 'composed', 'checked in')}): ` +
        'run `node gateway/compose.mjs` and commit the result',
    );
    process.exit(1);
  }
  console.log(`compose: ${shown(output)} is up to date (${found.map((s) => s.name).join(', ')})`);
  process.exit(0);
}

if (current === content) {
  console.log(`compose: ${shown(output)} unchanged (${found.map((s) => s.name).join(', ')})`);
} else {
  writeFileSync(output, content);
  console.log(`compose: wrote ${shown(output)} (${found.map((s) => s.name).join(', ')})`);
}
