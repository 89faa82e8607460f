// Runs the real gateway (bin/clientcard-gateway) for a test, on a free loopback port.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const launcher = join(import.meta.dirname, '..', 'bin', 'clientcard-gateway');

// Every gateway a test started, so that none outlives the test process even when a test
// fails before its cleanup.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the gateway on `supergraphPath` with `env` added to the environment and waits
 * until GET /readiness answers 200. Returns { url, origin, startupMs, output(), stop() }.
 */
export async function startGateway({ supergraphPath, env = {}, timeoutMs = 30_000 }) {
  const port = await freePort();
  const started = Date.now();
  // The test decides every gateway setting: none is inherited from the shell.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('GATEWAY_') && !/^(CUSTOMERS|BONUSES|MESSAGING|RECEIPTS)_URL$/.test(name),
    ),
  );
  const child = spawn(launcher, [], {
    env: {
      ...inherited,
      GATEWAY_SUPERGRAPH: supergraphPath,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      GATEWAY_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
  };

  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) {
      running.delete(child);
      throw new Error(`the gateway exited with ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(`${origin}/readiness`);
      if (response.status === 200) {
        return { url: `${origin}/graphql`, origin, startupMs: Date.now() - started, output: () => output, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`the gateway was not ready within ${timeoutMs} ms:\n${output}`);
}
