// The toy subgraph SDLs of test/fixtures, as composeSubgraphs takes them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures');

export function fixture(name) {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Subgraph definitions { name, url, sdl, path } of the named fixture files. */
export function toySubgraphs(...names) {
  return names.map((name, index) => ({
    name,
    url: `http://127.0.0.1:${9100 + index}/graphql`,
    sdl: fixture(`${name}.graphql`),
    path: join(FIXTURES, `${name}.graphql`),
  }));
}
