// End to end: the real gateway configured for production, with a shared secret and
// with keys from a JWKS, in front of the toy subgraphs.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { startGateway } from '../test-support/gateway-process.mjs';
import { signToken, signTokenRs256 } from '../test-support/tokens.mjs';
import { post, startToys } from '../test-support/toy-gateway.mjs';

describe('the gateway in production', () => {
  let toys;
  let gateway;
  const secret = 'a-production-secret-for-the-test';

  before(async () => {
    toys = await startToys();
    gateway = await startGateway({
      supergraphPath: toys.supergraphPath,
      env: { GATEWAY_ENVIRONMENT: 'production', GATEWAY_JWT_SECRET: secret },
    });
  });

  after(async () => {
    await gateway?.stop();
    await toys?.stop();
  });

  test('verifies tokens with the configured secret only', async () => {
    const good = await post(gateway.url, { query: '{ customer(id: "c1") { firstName balance } }', token: signToken({}, secret) });
    assert.deepEqual(good.body.data, { customer: { firstName: 'Anna', balance: '150.00' } });
    // No cost figures unless asked for.
    assert.equal(good.body.extensions, undefined);
    const devToken = await post(gateway.url, { query: '{ customer(id: "c1") { firstName } }', token: signToken() });
    assert.equal(devToken.status, 401);
  });

  test('serves no GraphiQL and no anonymous introspection', async () => {
    const introspection = await post(gateway.url, { query: '{ __schema { queryType { name } } }' });
    assert.equal(introspection.status, 401);
    const graphiql = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    assert.doesNotMatch(await graphiql.text(), /graphiql/i);
  });

  test('suggests no field names to a caller', async () => {
    const { body } = await post(gateway.url, { query: '{ customer(id: "c1") { firstNam } }', token: signToken({}, secret) });
    assert.match(body.errors[0].message, /Cannot query field "firstNam"/);
    assert.doesNotMatch(body.errors[0].message, /Did you mean/);
  });

  test('refuses to start with the public development secret', async () => {
    await assert.rejects(
      startGateway({ supergraphPath: toys.supergraphPath, env: { GATEWAY_ENVIRONMENT: 'production' } }),
      /the development secret is public/,
    );
  });
});

describe('the gateway with keys from a JWKS', () => {
  let toys;
  let gateway;
  let jwks;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

  before(async () => {
    toys = await startToys();
    // The identity provider's key set, served on a loopback port.
    const keys = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(keys));
    });
    await new Promise((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    gateway = await startGateway({
      supergraphPath: toys.supergraphPath,
      env: {
        GATEWAY_ENVIRONMENT: 'production',
        GATEWAY_JWKS_URL: `http://127.0.0.1:${jwks.address().port}/.well-known/jwks.json`,
        GATEWAY_JWT_ISSUER: 'clientcard-idp',
      },
    });
  });

  after(async () => {
    await gateway?.stop();
    await toys?.stop();
    await new Promise((resolve) => (jwks ? jwks.close(resolve) : resolve()));
  });

  test('accepts RS256 tokens of the key set and the configured issuer only', async () => {
    const query = '{ customer(id: "c1") { firstName } }';
    const good = await post(gateway.url, { query, token: signTokenRs256({ iss: 'clientcard-idp' }, privateKey, 'key-1') });
    assert.deepEqual(good.body.data, { customer: { firstName: 'Anna' } });

    const refused = {
      'another key': signTokenRs256({ iss: 'clientcard-idp' }, other.privateKey, 'key-1'),
      'an unknown key id': signTokenRs256({ iss: 'clientcard-idp' }, privateKey, 'key-2'),
      'another issuer': signTokenRs256({ iss: 'clientcard-dev' }, privateKey, 'key-1'),
      'the development secret': signToken({ iss: 'clientcard-idp' }),
    };
    for (const [what, token] of Object.entries(refused)) {
      const { status } = await post(gateway.url, { query, token });
      assert.equal(status, 401, what);
    }
  });
});
