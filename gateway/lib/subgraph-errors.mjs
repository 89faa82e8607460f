// What a client is told when a subgraph fails.
//
// The gateway answers with what the other subgraphs returned and an error at each path
// the failed subgraph should have filled. By default such an error would be masked as
// "Unexpected error." (a refused connection is not a GraphQL error) or, for a timeout,
// come without the subgraph's name and turn the whole response into an HTTP 504. Here
// both become an error naming the service, with a stable code, in a 200 response with
// the partial data. Errors a subgraph itself answered pass through unchanged; any other
// unexpected error is masked as before, so no internal detail (addresses, stack traces,
// the forwarded request) reaches the client.

import { GraphQLError } from 'graphql';

const FAILED = 'SUBGRAPH_UNAVAILABLE';
const TIMED_OUT = 'SUBGRAPH_TIMEOUT';

/**
 * A gateway plugin adding the subgraph's name to the errors raised while calling it
 * (the timeout's, notably), so that maskError below can name it.
 */
export function useNameFailingSubgraph() {
  return {
    onSubgraphExecute({ subgraphName, executor, setExecutor }) {
      setExecutor(async (executionRequest) => {
        try {
          return await executor(executionRequest);
        } catch (error) {
          if (error instanceof Error && error.name === 'GraphQLError' && !error.extensions?.serviceName) {
            throw new GraphQLError(error.message, {
              originalError: error.originalError ?? undefined,
              extensions: { ...error.extensions, serviceName: subgraphName },
            });
          }
          throw error;
        }
      });
    },
  };
}

/** For the gateway's `maskedErrors.maskError`. */
export function maskError(error, message) {
  if (!isGraphQLError(error)) return unexpected(message);

  const serviceName = error.extensions?.serviceName;
  const code = error.extensions?.code;
  if (typeof serviceName === 'string' && code === 'GATEWAY_TIMEOUT') {
    return subgraphError(error, `the ${serviceName} service did not answer in time`, TIMED_OUT, serviceName);
  }
  if (typeof serviceName === 'string' && (code === 'SUBREQUEST_HTTP_ERROR' || !isOriginal(error))) {
    return subgraphError(error, `the ${serviceName} service is unavailable`, FAILED, serviceName);
  }
  if (isOriginal(error)) return error;
  return unexpected(message, error);
}

function subgraphError(error, text, code, serviceName) {
  return new GraphQLError(text, {
    nodes: error.nodes,
    path: error.path,
    extensions: { code, serviceName },
  });
}

function unexpected(message, error) {
  return new GraphQLError(message, {
    nodes: error?.nodes,
    path: error?.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

// Checked by name, as the gateway's own packages do: more than one copy of graphql-js
// may be loaded, and instanceof would fail across them.
function isGraphQLError(error) {
  return error instanceof Error && error.name === 'GraphQLError';
}

// A GraphQL error raised as such (a subgraph's answer, a validation error, ...) rather than
// a wrapped JavaScript exception.
function isOriginal(error) {
  const original = error.originalError;
  return original == null || (isGraphQLError(original) && isOriginal(original));
}
