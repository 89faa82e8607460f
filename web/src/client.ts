// The GraphQL client: urql with a normalized cache, so that a change made on the card shows
// in the list without asking again for everything.
import { cacheExchange, type Cache, type Data } from '@urql/exchange-graphcache';
import { Client, fetchExchange } from 'urql';

// Types without an id live inside their parent in the cache.
const EMBEDDED = [
  'CustomerSummary',
  'BonusAccount',
  'BonusExpiration',
  'PurchaseStats',
  'Registration',
  'QuestionnaireAnswer',
  'NpsSummary',
  'NpsResponse',
  'MessengerSubscription',
  'PageInfo',
  'CustomerConnection',
  'CustomerEdge',
  'BonusOperationConnection',
  'BonusOperationEdge',
  'MessageConnection',
  'MessageEdge',
  'NoteConnection',
  'NoteEdge',
  'ReceiptConnection',
  'ReceiptEdge',
  'ReceiptItem',
  'BonusRedemption',
];

/** Everything the cache holds about one customer is stale after a change to it. */
function customerChanged(customerId: unknown, cache: Cache): void {
  if (typeof customerId === 'string') cache.invalidate({ __typename: 'Customer', id: customerId });
}

function byCustomer(_result: Data, args: Record<string, unknown>, cache: Cache): void {
  customerChanged(args.customerId, cache);
  // The list's figures (balance, messenger status) come from the same customer.
  cache.invalidate('Query', 'customers');
}

export function createClient(token: string | null, onUnauthenticated: () => void): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: (): RequestInit => ({
      headers: token ? { authorization: `Bearer ${token}` } : ({} as Record<string, string>),
    }),
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) onUnauthenticated();
      return response;
    },
    exchanges: [
      cacheExchange({
        keys: Object.fromEntries(EMBEDDED.map((name) => [name, () => null])),
        updates: {
          Mutation: {
            accrueBonuses: byCustomer,
            writeOffBonuses: byCustomer,
            setDefaultMessenger: byCustomer,
            sendMessage: byCustomer,
            unsubscribeMessenger: byCustomer,
            assignSegments: byCustomer,
            unassignSegments: byCustomer,
            addNote: byCustomer,
            updateCustomer: (result, args, cache) => {
              customerChanged(args.id, cache);
              cache.invalidate('Query', 'customers');
              void result;
            },
            deleteNote: (_result, args, cache) => {
              if (typeof args.id === 'string') cache.invalidate({ __typename: 'Note', id: args.id });
            },
          },
        },
      }),
      fetchExchange,
    ],
  });
}
