// A gateway plugin that refuses GraphQL operations without a verified token.
//
// The JWT plugin verifies the token when one is sent and puts its claims on the context;
// this plugin refuses operations whose token is missing or did not verify, and checks
// that a verified token carries the claims the services rely on, so that a token the
// subgraphs would refuse stops here. In development an operation that only introspects
// the schema (GraphiQL loading its documentation) needs no token.

import { GraphQLError, Kind, parse } from 'graphql';

const ROLES = new Set(['OWNER', 'MANAGER', 'VIEWER']);
const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);

/**
 * @param {{ allowAnonymousIntrospection: boolean, contextField?: string }} options
 */
export function useRequireAuthentication({ allowAnonymousIntrospection, contextField = 'jwt' }) {
  return {
    // onParams runs once per GraphQL request, after the JWT plugin has put the verified
    // token on the server context and before parsing, validation and any subgraph call,
    // so an anonymous caller learns nothing about the schema from validation errors.
    onParams({ params, request, context }) {
      const verified = context?.[contextField];
      if (verified) {
        const problem = claimsProblem(verified.payload);
        if (problem) throw unauthenticated(`the token is not acceptable: ${problem}`);
        return;
      }
      if (request.headers.has('authorization')) {
        throw unauthenticated(
          "the token is not valid: it must be 'Bearer <JWT>' with a good signature, " +
            'not expired, for the right audience (and issuer)',
        );
      }
      if (allowAnonymousIntrospection && isIntrospectionOnly(params.query, params.operationName)) {
        return;
      }
      throw unauthenticated("authentication required: send 'Authorization: Bearer <token>'");
    },
  };
}

/** Why the claims of a verified token are not acceptable, or null when they are. */
export function claimsProblem(payload) {
  if (!payload || typeof payload !== 'object') return 'it has no claims';
  for (const claim of ['sub', 'tenant', 'role', 'exp', 'aud']) {
    if (payload[claim] === undefined || payload[claim] === null) return `it lacks the claim '${claim}'`;
  }
  if (typeof payload.tenant !== 'string' || payload.tenant.length === 0 || payload.tenant.length > 64) {
    return 'its tenant claim must be a non-empty string of at most 64 characters';
  }
  if (!ROLES.has(payload.role)) {
    return `its role ${JSON.stringify(payload.role)} is not one of OWNER, MANAGER, VIEWER`;
  }
  return null;
}

/**
 * Whether the document's selected operation asks for nothing but introspection
 * (`__schema`, `__type`, `__typename`), following fragments at the root.
 */
export function isIntrospectionOnly(query, operationName) {
  if (typeof query !== 'string') return false;
  let document;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return false; // not even GraphQL: an anonymous caller gets no syntax help either
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation || operation.operation !== 'query') return false;

  const fragments = new Map(
    document.definitions
      .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const seen = new Set();
  const onlyIntrospection = (selectionSet) =>
    selectionSet.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return INTROSPECTION_FIELDS.has(selection.name.value);
        case Kind.INLINE_FRAGMENT:
          return onlyIntrospection(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (seen.has(name)) return true; // a cycle is invalid anyway; validation says so
          seen.add(name);
          const fragment = fragments.get(name);
          return fragment !== undefined && onlyIntrospection(fragment.selectionSet);
        }
        default:
          return false;
      }
    });
  return onlyIntrospection(operation.selectionSet);
}

function unauthenticated(message) {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}
