// Generates the typed operations into a temporary folder and compares them with src/gql:
// a schema or an operation changed without `npm run codegen` fails here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fresh = mkdtempSync(join(tmpdir(), 'clientcard-gql-'));
try {
  execFileSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], {
    env: { ...process.env, CODEGEN_OUT: `${fresh}/` },
    stdio: 'inherit',
  });
  const names = new Set([...readdirSync('src/gql'), ...readdirSync(fresh)]);
  const stale = [...names].filter((name) => read('src/gql', name) !== read(fresh, name));
  if (stale.length > 0) {
    console.error(`web/src/gql is stale (${stale.join(', ')}): run npm run codegen --prefix web`);
    process.exit(1);
  }
  console.log('web/src/gql is up to date with the supergraph and the operations');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}

function read(folder, name) {
  try {
    return readFileSync(join(folder, name), 'utf8');
  } catch {
    return null;
  }
}
