import { graphql } from '../gql';

export const PAGE_SIZE = 50;

export const ClientListQuery = graphql(`
  query ClientList($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $after: String) {
    customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          firstName
          lastName
          phone
          summary {
            purchases
            revenue
            averageCheck
            lastPurchaseAt
            bonusBalance
            messengerStatus
            lastNpsScore
          }
          segments {
            id
            name
          }
        }
      }
    }
  }
`);

export const SegmentsQuery = graphql(`
  query Segments {
    segments {
      id
      name
      kind
      customersCount
    }
  }
`);

export const TiersQuery = graphql(`
  query Tiers {
    loyaltyProgram {
      tiers {
        id
        name
      }
    }
  }
`);
