import { graphql } from '../gql';

// The whole card in one query: the eight sections of the back office's card.
export const ClientCardQuery = graphql(`
  query ClientCard($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      phone
      email
      birthDate
      gender
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
        id
        name
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
            id
            sentAt
            direction
            channel
            kind
            text
            status
          }
        }
      }
      messengers {
        channel
        isDefault
        status
        subscribedAt
        lastContactAt
        messagesDelivered
      }
      notes(first: 20) {
        totalCount
        edges {
          node {
            id
            text
            author
            createdAt
            updatedAt
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
      id
      text
      author
      createdAt
      updatedAt
    }
  }
`);

export const UpdateNoteMutation = graphql(`
  mutation UpdateNote($id: ID!, $text: String!) {
    updateNote(id: $id, text: $text) {
      id
      text
      updatedAt
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
      id
      sentAt
      channel
      text
      status
    }
  }
`);

export const SetDefaultMessengerMutation = graphql(`
  mutation SetDefaultMessenger($customerId: ID!, $channel: Channel!) {
    setDefaultMessenger(customerId: $customerId, channel: $channel) {
      channel
      isDefault
      status
    }
  }
`);

export const UnsubscribeMessengerMutation = graphql(`
  mutation UnsubscribeMessenger($customerId: ID!, $channel: Channel!) {
    unsubscribeMessenger(customerId: $customerId, channel: $channel) {
      channel
      isDefault
      status
    }
  }
`);

export const AssignSegmentsMutation = graphql(`
  mutation AssignSegments($customerId: ID!, $segmentIds: [ID!]!) {
    assignSegments(customerId: $customerId, segmentIds: $segmentIds) {
      id
      segments {
        id
        name
      }
    }
  }
`);

export const UnassignSegmentsMutation = graphql(`
  mutation UnassignSegments($customerId: ID!, $segmentIds: [ID!]!) {
    unassignSegments(customerId: $customerId, segmentIds: $segmentIds) {
      id
      segments {
        id
        name
      }
    }
  }
`);

export const UpdateCustomerMutation = graphql(`
  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {
    updateCustomer(id: $id, input: $input) {
      id
      firstName
      lastName
      phone
      email
      birthDate
      gender
    }
  }
`);
