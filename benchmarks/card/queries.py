"""The card's GraphQL: the whole card as a frontend asks the gateway for it, and the same
card as the gateway's query plan fetches it from the subgraphs, one request at a time."""

# The customer's own fields, which the customers subgraph answers.
_OWN_FIELDS = """
    id firstName lastName phone email birthDate gender
    registration { source outletId registeredAt }
    questionnaire { question answer }
    segments { name customersCount }
    notes(first: 20) { totalCount edges { node { text author createdAt } } }
    summary { purchases revenue bonusBalance messengerStatus defaultChannel lastNpsScore }"""

# The card a frontend shows: every section, with the pages the issue names (20 receipts,
# 20 bonus operations, 50 messages). The fields of tests/e2e/test_card.py's CARD, plus the
# dates and receipt lines that the card displays.
CARD = (
    """
query Card($id: ID!) {
  customer(id: $id) {"""
    + _OWN_FIELDS
    + """
    purchaseStats { purchases returns revenue averageCheck lastPurchaseAt }
    receipts(first: 20) {
      totalCount
      edges {
        node {
          number type purchasedAt total paid bonusesSpent bonusesAccrued
          items { name quantity price amount }
          originalReceipt { number }
        }
      }
    }
    bonuses {
      balance accrued spent expired purchases
      operations(first: 20) {
        totalCount
        edges { node { occurredAt type event amount balanceAfter comment author } }
      }
    }
    messengers { channel isDefault status messagesDelivered }
    conversation(first: 50) {
      totalCount edges { node { sentAt direction channel kind text status } }
    }
    nps { lastScore responses { score comment respondedAt receipt { number } } }
  }
}"""
)

# The same card as the gateway's query plan fetches it, one subgraph request at a time.
# Stage 1: the customer's own fields (customers).
CUSTOMERS_PART = (
    """
query Card($id: ID!) {
  customer(id: $id) {"""
    + _OWN_FIELDS
    + """
  }
}"""
)
# Stage 2: the other three subgraphs' fields of the Customer entity.
RECEIPTS_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer {
      purchaseStats { purchases returns revenue averageCheck lastPurchaseAt }
      receipts(first: 20) {
        totalCount
        edges {
          node {
            __typename id number type purchasedAt total paid bonusesSpent bonusesAccrued
            items { name quantity price amount }
            originalReceipt { number }
          }
        }
      }
    }
  }
}"""
BONUSES_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer {
      bonuses {
        balance accrued spent expired purchases
        operations(first: 20) {
          totalCount
          edges { node { occurredAt type event amount balanceAfter comment author } }
        }
      }
    }
  }
}"""
MESSAGING_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer {
      messengers { channel isDefault status messagesDelivered }
      conversation(first: 50) {
        totalCount edges { node { sentAt direction channel kind text status } }
      }
      nps { lastScore responses { score comment respondedAt receipt { __typename id } } }
    }
  }
}"""
# Stage 3, when NPS answers name receipts: their numbers (receipts). The receipts' bonuses
# come with the receipts in stage 2: the receipts service keeps the ledger's copy.
RECEIPT_NUMBERS_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Receipt { number } }
}"""
