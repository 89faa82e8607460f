// Request bodies over a size are answered 413 before they are read: a GraphQL operation
// is a few kilobytes, ten megabytes is a mistake or an attack. The declared length is
// checked here; a body sent in chunks without one is bounded by Yoga's own reading limit.

/** A gateway plugin answering 413 to a request declaring a body over `maxBytes`. */
export function useBodyLimit({ maxBytes }) {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (Number.isFinite(declared) && declared > maxBytes) {
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({ detail: `the request body is larger than the ${maxBytes} bytes accepted` }),
            { status: 413, headers: { 'content-type': 'application/json' } },
          ),
        );
      }
    },
  };
}
