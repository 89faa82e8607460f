import type { ClientCardQuery } from '../gql/graphql';

export type Card = NonNullable<ClientCardQuery['customer']>;
