import { graphql } from '../gql';

// One fragment per entity the card shows and its changes answer with: a change asks back
// exactly what the card holds of it, so the cache never keeps half an entity.
export const ProfileFields = graphql(`
  fragment ProfileFields on Customer {
    id
    firstName
    lastName
    phone
    email
    birthDate
    gender
  }
`);

export const SegmentFields = graphql(`
  fragment SegmentFields on Segment {
    id
    name
  }
`);

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    sentAt
    direction
    channel
    kind
    text
    status
  }
`);

export const MessengerFields = graphql(`
  fragment MessengerFields on MessengerSubscription {
    channel
    isDefault
    status
    subscribedAt
    lastContactAt
    messagesDelivered
  }
`);

export const NoteFields = graphql(`
  fragment NoteFields on Note {
    id
    text
    author
    createdAt
    updatedAt
  }
`);

// The whole card in one query: the eight sections of the back office's card.
export const ClientCardQuery = graphql(`
  query ClientCard($id: ID!) {
    customer(id: $id) {
      ...ProfileFields
      summary {
        purchases
        revenue
        averageCheck
        lastPurchaseAt
        bonusBalance
        messengerStatus
        defaultChannel
        lastNpsScore
      }
      purchaseStats {
        purchases
        returns
        revenue
        averageCheck
        firstPurchaseAt
        lastPurchaseAt
      }
      segments {
        ...SegmentFields
      }
      questionnaire {
        question
        answer
      }
      bonuses {
        balance
        accrued
        spent
        expired
        purchases
        nextExpiration {
          amount
          expiresAt
        }
        operations(first: 20) {
          totalCount
          edges {
            node {
              id
              occurredAt
              type
              event
              amount
              balanceAfter
              comment
              author
            }
          }
        }
      }
      nps {
        lastScore
        averageScore
        responses {
          score
          comment
          respondedAt
        }
      }
      registration {
        registeredAt
        source
        channel
        outletId
      }
      conversation(first: 50) {
        totalCount
        edges {
          node {
            ...MessageFields
          }
        }
      }
      messengers {
        ...MessengerFields
      }
      notes(first: 20) {
        totalCount
        edges {
          node {
            ...NoteFields
          }
        }
      }
      receipts(first: 20) {
        totalCount
        edges {
          node {
            id
            number
            type
            purchasedAt
            outletId
            total
            paid
            bonusesSpent
            bonusesAccrued
          }
        }
      }
    }
  }
`);

export const AccrueBonusesMutation = graphql(`
  mutation AccrueBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {
    accrueBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {
      id
      balanceAfter
    }
  }
`);

export const WriteOffBonusesMutation = graphql(`
  mutation WriteOffBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {
    writeOffBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {
      id
      balanceAfter
    }
  }
`);

export const AddNoteMutation = graphql(`
  mutation AddNote($customerId: ID!, $text: String!) {
    addNote(customerId: $customerId, text: $text) {
      ...NoteFields
    }
  }
`);

export const UpdateNoteMutation = graphql(`
  mutation UpdateNote($id: ID!, $text: String!) {
    updateNote(id: $id, text: $text) {
      ...NoteFields
    }
  }
`);

export const DeleteNoteMutation = graphql(`
  mutation DeleteNote($id: ID!) {
    deleteNote(id: $id)
  }
`);

export const SendMessageMutation = graphql(`
  mutation SendMessage($customerId: ID!, $text: String!, $channel: Channel) {
    sendMessage(customerId: $customerId, text: $text, channel: $channel) {
      ...MessageFields
    }
  }
`);

export const SetDefaultMessengerMutation = graphql(`
  mutation SetDefaultMessenger($customerId: ID!, $channel: Channel!) {
    setDefaultMessenger(customerId: $customerId, channel: $channel) {
      ...MessengerFields
    }
  }
`);

export const UnsubscribeMessengerMutation = graphql(`
  mutation UnsubscribeMessenger($customerId: ID!, $channel: Channel!) {
    unsubscribeMessenger(customerId: $customerId, channel: $channel) {
      ...MessengerFields
    }
  }
`);

export const AssignSegmentsMutation = graphql(`
  mutation AssignSegments($customerId: ID!, $segmentIds: [ID!]!) {
    assignSegments(customerId: $customerId, segmentIds: $segmentIds) {
      id
      segments {
        ...SegmentFields
      }
    }
  }
`);

export const UnassignSegmentsMutation = graphql(`
  mutation UnassignSegments($customerId: ID!, $segmentIds: [ID!]!) {
    unassignSegments(customerId: $customerId, segmentIds: $segmentIds) {
      id
      segments {
        ...SegmentFields
      }
    }
  }
`);

export const UpdateCustomerMutation = graphql(`
  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {
    updateCustomer(id: $id, input: $input) {
      ...ProfileFields
    }
  }
`);
