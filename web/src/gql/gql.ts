/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Tenant {\n    loyaltyProgram {\n      timeZone\n    }\n  }\n": typeof types.TenantDocument,
    "\n  fragment ProfileFields on Customer {\n    id\n    firstName\n    lastName\n    phone\n    email\n    birthDate\n    gender\n  }\n": typeof types.ProfileFieldsFragmentDoc,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n  }\n": typeof types.SegmentFieldsFragmentDoc,
    "\n  fragment MessageFields on Message {\n    id\n    sentAt\n    direction\n    channel\n    kind\n    text\n    status\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  fragment MessengerFields on MessengerSubscription {\n    channel\n    isDefault\n    status\n    subscribedAt\n    lastContactAt\n    messagesDelivered\n  }\n": typeof types.MessengerFieldsFragmentDoc,
    "\n  fragment NoteFields on Note {\n    id\n    text\n    author\n    createdAt\n    updatedAt\n  }\n": typeof types.NoteFieldsFragmentDoc,
    "\n  query ClientCard($id: ID!) {\n    customer(id: $id) {\n      ...ProfileFields\n      summary {\n        purchases\n        revenue\n        averageCheck\n        lastPurchaseAt\n        bonusBalance\n        messengerStatus\n        defaultChannel\n        lastNpsScore\n      }\n      purchaseStats {\n        purchases\n        returns\n        revenue\n        averageCheck\n        firstPurchaseAt\n        lastPurchaseAt\n      }\n      segments {\n        ...SegmentFields\n      }\n      questionnaire {\n        question\n        answer\n      }\n      bonuses {\n        balance\n        accrued\n        spent\n        expired\n        purchases\n        nextExpiration {\n          amount\n          expiresAt\n        }\n        operations(first: 20) {\n          totalCount\n          edges {\n            node {\n              id\n              occurredAt\n              type\n              event\n              amount\n              balanceAfter\n              comment\n              author\n            }\n          }\n        }\n      }\n      nps {\n        lastScore\n        averageScore\n        responses {\n          score\n          comment\n          respondedAt\n        }\n      }\n      registration {\n        registeredAt\n        source\n        channel\n        outletId\n      }\n      conversation(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...MessageFields\n          }\n        }\n      }\n      messengers {\n        ...MessengerFields\n      }\n      notes(first: 20) {\n        totalCount\n        edges {\n          node {\n            ...NoteFields\n          }\n        }\n      }\n      receipts(first: 20) {\n        totalCount\n        edges {\n          node {\n            id\n            number\n            type\n            purchasedAt\n            outletId\n            total\n            paid\n            bonusesSpent\n            bonusesAccrued\n          }\n        }\n      }\n    }\n  }\n": typeof types.ClientCardDocument,
    "\n  mutation AccrueBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    accrueBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n": typeof types.AccrueBonusesDocument,
    "\n  mutation WriteOffBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    writeOffBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n": typeof types.WriteOffBonusesDocument,
    "\n  mutation AddNote($customerId: ID!, $text: String!) {\n    addNote(customerId: $customerId, text: $text) {\n      ...NoteFields\n    }\n  }\n": typeof types.AddNoteDocument,
    "\n  mutation UpdateNote($id: ID!, $text: String!) {\n    updateNote(id: $id, text: $text) {\n      ...NoteFields\n    }\n  }\n": typeof types.UpdateNoteDocument,
    "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id)\n  }\n": typeof types.DeleteNoteDocument,
    "\n  mutation SendMessage($customerId: ID!, $text: String!, $channel: Channel) {\n    sendMessage(customerId: $customerId, text: $text, channel: $channel) {\n      ...MessageFields\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  mutation SetDefaultMessenger($customerId: ID!, $channel: Channel!) {\n    setDefaultMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n": typeof types.SetDefaultMessengerDocument,
    "\n  mutation UnsubscribeMessenger($customerId: ID!, $channel: Channel!) {\n    unsubscribeMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n": typeof types.UnsubscribeMessengerDocument,
    "\n  mutation AssignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    assignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n": typeof types.AssignSegmentsDocument,
    "\n  mutation UnassignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    unassignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n": typeof types.UnassignSegmentsDocument,
    "\n  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {\n    updateCustomer(id: $id, input: $input) {\n      ...ProfileFields\n    }\n  }\n": typeof types.UpdateCustomerDocument,
    "\n  fragment JobFields on Job {\n    id\n    kind\n    status\n    total\n    processed\n    failed\n    error\n    downloadUrl\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  query Job($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.JobDocument,
    "\n  mutation AssignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    assignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n": typeof types.AssignSegmentsByFilterDocument,
    "\n  mutation UnassignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    unassignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n": typeof types.UnassignSegmentsByFilterDocument,
    "\n  mutation AccrueBonusesByFilter($filter: CustomerFilter!, $amount: Decimal!, $comment: String, $expiresAt: DateTime) {\n    accrueBonusesByFilter(filter: $filter, amount: $amount, comment: $comment, expiresAt: $expiresAt) {\n      ...JobFields\n    }\n  }\n": typeof types.AccrueBonusesByFilterDocument,
    "\n  mutation ExportCustomers(\n    $filter: CustomerFilter\n    $orderBy: CustomerOrder\n    $columns: [CustomerColumn!]\n    $format: ExportFormat!\n  ) {\n    exportCustomers(filter: $filter, orderBy: $orderBy, columns: $columns, format: $format) {\n      ...JobFields\n    }\n  }\n": typeof types.ExportCustomersDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.CancelJobDocument,
    "\n  query ClientList($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $after: String) {\n    customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          phone\n          summary {\n            purchases\n            revenue\n            averageCheck\n            lastPurchaseAt\n            bonusBalance\n            messengerStatus\n            lastNpsScore\n          }\n          segments {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.ClientListDocument,
    "\n  query Segments {\n    segments {\n      id\n      name\n      kind\n      customersCount\n    }\n  }\n": typeof types.SegmentsDocument,
    "\n  query Tiers {\n    loyaltyProgram {\n      tiers {\n        id\n        name\n      }\n    }\n  }\n": typeof types.TiersDocument,
};
const documents: Documents = {
    "\n  query Tenant {\n    loyaltyProgram {\n      timeZone\n    }\n  }\n": types.TenantDocument,
    "\n  fragment ProfileFields on Customer {\n    id\n    firstName\n    lastName\n    phone\n    email\n    birthDate\n    gender\n  }\n": types.ProfileFieldsFragmentDoc,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n  }\n": types.SegmentFieldsFragmentDoc,
    "\n  fragment MessageFields on Message {\n    id\n    sentAt\n    direction\n    channel\n    kind\n    text\n    status\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  fragment MessengerFields on MessengerSubscription {\n    channel\n    isDefault\n    status\n    subscribedAt\n    lastContactAt\n    messagesDelivered\n  }\n": types.MessengerFieldsFragmentDoc,
    "\n  fragment NoteFields on Note {\n    id\n    text\n    author\n    createdAt\n    updatedAt\n  }\n": types.NoteFieldsFragmentDoc,
    "\n  query ClientCard($id: ID!) {\n    customer(id: $id) {\n      ...ProfileFields\n      summary {\n        purchases\n        revenue\n        averageCheck\n        lastPurchaseAt\n        bonusBalance\n        messengerStatus\n        defaultChannel\n        lastNpsScore\n      }\n      purchaseStats {\n        purchases\n        returns\n        revenue\n        averageCheck\n        firstPurchaseAt\n        lastPurchaseAt\n      }\n      segments {\n        ...SegmentFields\n      }\n      questionnaire {\n        question\n        answer\n      }\n      bonuses {\n        balance\n        accrued\n        spent\n        expired\n        purchases\n        nextExpiration {\n          amount\n          expiresAt\n        }\n        operations(first: 20) {\n          totalCount\n          edges {\n            node {\n              id\n              occurredAt\n              type\n              event\n              amount\n              balanceAfter\n              comment\n              author\n            }\n          }\n        }\n      }\n      nps {\n        lastScore\n        averageScore\n        responses {\n          score\n          comment\n          respondedAt\n        }\n      }\n      registration {\n        registeredAt\n        source\n        channel\n        outletId\n      }\n      conversation(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...MessageFields\n          }\n        }\n      }\n      messengers {\n        ...MessengerFields\n      }\n      notes(first: 20) {\n        totalCount\n        edges {\n          node {\n            ...NoteFields\n          }\n        }\n      }\n      receipts(first: 20) {\n        totalCount\n        edges {\n          node {\n            id\n            number\n            type\n            purchasedAt\n            outletId\n            total\n            paid\n            bonusesSpent\n            bonusesAccrued\n          }\n        }\n      }\n    }\n  }\n": types.ClientCardDocument,
    "\n  mutation AccrueBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    accrueBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n": types.AccrueBonusesDocument,
    "\n  mutation WriteOffBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    writeOffBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n": types.WriteOffBonusesDocument,
    "\n  mutation AddNote($customerId: ID!, $text: String!) {\n    addNote(customerId: $customerId, text: $text) {\n      ...NoteFields\n    }\n  }\n": types.AddNoteDocument,
    "\n  mutation UpdateNote($id: ID!, $text: String!) {\n    updateNote(id: $id, text: $text) {\n      ...NoteFields\n    }\n  }\n": types.UpdateNoteDocument,
    "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id)\n  }\n": types.DeleteNoteDocument,
    "\n  mutation SendMessage($customerId: ID!, $text: String!, $channel: Channel) {\n    sendMessage(customerId: $customerId, text: $text, channel: $channel) {\n      ...MessageFields\n    }\n  }\n": types.SendMessageDocument,
    "\n  mutation SetDefaultMessenger($customerId: ID!, $channel: Channel!) {\n    setDefaultMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n": types.SetDefaultMessengerDocument,
    "\n  mutation UnsubscribeMessenger($customerId: ID!, $channel: Channel!) {\n    unsubscribeMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n": types.UnsubscribeMessengerDocument,
    "\n  mutation AssignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    assignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n": types.AssignSegmentsDocument,
    "\n  mutation UnassignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    unassignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n": types.UnassignSegmentsDocument,
    "\n  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {\n    updateCustomer(id: $id, input: $input) {\n      ...ProfileFields\n    }\n  }\n": types.UpdateCustomerDocument,
    "\n  fragment JobFields on Job {\n    id\n    kind\n    status\n    total\n    processed\n    failed\n    error\n    downloadUrl\n  }\n": types.JobFieldsFragmentDoc,
    "\n  query Job($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n": types.JobDocument,
    "\n  mutation AssignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    assignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n": types.AssignSegmentsByFilterDocument,
    "\n  mutation UnassignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    unassignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n": types.UnassignSegmentsByFilterDocument,
    "\n  mutation AccrueBonusesByFilter($filter: CustomerFilter!, $amount: Decimal!, $comment: String, $expiresAt: DateTime) {\n    accrueBonusesByFilter(filter: $filter, amount: $amount, comment: $comment, expiresAt: $expiresAt) {\n      ...JobFields\n    }\n  }\n": types.AccrueBonusesByFilterDocument,
    "\n  mutation ExportCustomers(\n    $filter: CustomerFilter\n    $orderBy: CustomerOrder\n    $columns: [CustomerColumn!]\n    $format: ExportFormat!\n  ) {\n    exportCustomers(filter: $filter, orderBy: $orderBy, columns: $columns, format: $format) {\n      ...JobFields\n    }\n  }\n": types.ExportCustomersDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobFields\n    }\n  }\n": types.CancelJobDocument,
    "\n  query ClientList($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $after: String) {\n    customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          phone\n          summary {\n            purchases\n            revenue\n            averageCheck\n            lastPurchaseAt\n            bonusBalance\n            messengerStatus\n            lastNpsScore\n          }\n          segments {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n": types.ClientListDocument,
    "\n  query Segments {\n    segments {\n      id\n      name\n      kind\n      customersCount\n    }\n  }\n": types.SegmentsDocument,
    "\n  query Tiers {\n    loyaltyProgram {\n      tiers {\n        id\n        name\n      }\n    }\n  }\n": types.TiersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tenant {\n    loyaltyProgram {\n      timeZone\n    }\n  }\n"): (typeof documents)["\n  query Tenant {\n    loyaltyProgram {\n      timeZone\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProfileFields on Customer {\n    id\n    firstName\n    lastName\n    phone\n    email\n    birthDate\n    gender\n  }\n"): (typeof documents)["\n  fragment ProfileFields on Customer {\n    id\n    firstName\n    lastName\n    phone\n    email\n    birthDate\n    gender\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentFields on Segment {\n    id\n    name\n  }\n"): (typeof documents)["\n  fragment SegmentFields on Segment {\n    id\n    name\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    sentAt\n    direction\n    channel\n    kind\n    text\n    status\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    sentAt\n    direction\n    channel\n    kind\n    text\n    status\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessengerFields on MessengerSubscription {\n    channel\n    isDefault\n    status\n    subscribedAt\n    lastContactAt\n    messagesDelivered\n  }\n"): (typeof documents)["\n  fragment MessengerFields on MessengerSubscription {\n    channel\n    isDefault\n    status\n    subscribedAt\n    lastContactAt\n    messagesDelivered\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NoteFields on Note {\n    id\n    text\n    author\n    createdAt\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment NoteFields on Note {\n    id\n    text\n    author\n    createdAt\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientCard($id: ID!) {\n    customer(id: $id) {\n      ...ProfileFields\n      summary {\n        purchases\n        revenue\n        averageCheck\n        lastPurchaseAt\n        bonusBalance\n        messengerStatus\n        defaultChannel\n        lastNpsScore\n      }\n      purchaseStats {\n        purchases\n        returns\n        revenue\n        averageCheck\n        firstPurchaseAt\n        lastPurchaseAt\n      }\n      segments {\n        ...SegmentFields\n      }\n      questionnaire {\n        question\n        answer\n      }\n      bonuses {\n        balance\n        accrued\n        spent\n        expired\n        purchases\n        nextExpiration {\n          amount\n          expiresAt\n        }\n        operations(first: 20) {\n          totalCount\n          edges {\n            node {\n              id\n              occurredAt\n              type\n              event\n              amount\n              balanceAfter\n              comment\n              author\n            }\n          }\n        }\n      }\n      nps {\n        lastScore\n        averageScore\n        responses {\n          score\n          comment\n          respondedAt\n        }\n      }\n      registration {\n        registeredAt\n        source\n        channel\n        outletId\n      }\n      conversation(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...MessageFields\n          }\n        }\n      }\n      messengers {\n        ...MessengerFields\n      }\n      notes(first: 20) {\n        totalCount\n        edges {\n          node {\n            ...NoteFields\n          }\n        }\n      }\n      receipts(first: 20) {\n        totalCount\n        edges {\n          node {\n            id\n            number\n            type\n            purchasedAt\n            outletId\n            total\n            paid\n            bonusesSpent\n            bonusesAccrued\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ClientCard($id: ID!) {\n    customer(id: $id) {\n      ...ProfileFields\n      summary {\n        purchases\n        revenue\n        averageCheck\n        lastPurchaseAt\n        bonusBalance\n        messengerStatus\n        defaultChannel\n        lastNpsScore\n      }\n      purchaseStats {\n        purchases\n        returns\n        revenue\n        averageCheck\n        firstPurchaseAt\n        lastPurchaseAt\n      }\n      segments {\n        ...SegmentFields\n      }\n      questionnaire {\n        question\n        answer\n      }\n      bonuses {\n        balance\n        accrued\n        spent\n        expired\n        purchases\n        nextExpiration {\n          amount\n          expiresAt\n        }\n        operations(first: 20) {\n          totalCount\n          edges {\n            node {\n              id\n              occurredAt\n              type\n              event\n              amount\n              balanceAfter\n              comment\n              author\n            }\n          }\n        }\n      }\n      nps {\n        lastScore\n        averageScore\n        responses {\n          score\n          comment\n          respondedAt\n        }\n      }\n      registration {\n        registeredAt\n        source\n        channel\n        outletId\n      }\n      conversation(first: 50) {\n        totalCount\n        edges {\n          node {\n            ...MessageFields\n          }\n        }\n      }\n      messengers {\n        ...MessengerFields\n      }\n      notes(first: 20) {\n        totalCount\n        edges {\n          node {\n            ...NoteFields\n          }\n        }\n      }\n      receipts(first: 20) {\n        totalCount\n        edges {\n          node {\n            id\n            number\n            type\n            purchasedAt\n            outletId\n            total\n            paid\n            bonusesSpent\n            bonusesAccrued\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccrueBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    accrueBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n"): (typeof documents)["\n  mutation AccrueBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    accrueBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WriteOffBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    writeOffBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n"): (typeof documents)["\n  mutation WriteOffBonuses($customerId: ID!, $amount: Decimal!, $comment: String, $requestId: ID) {\n    writeOffBonuses(customerId: $customerId, amount: $amount, comment: $comment, requestId: $requestId) {\n      id\n      balanceAfter\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddNote($customerId: ID!, $text: String!) {\n    addNote(customerId: $customerId, text: $text) {\n      ...NoteFields\n    }\n  }\n"): (typeof documents)["\n  mutation AddNote($customerId: ID!, $text: String!) {\n    addNote(customerId: $customerId, text: $text) {\n      ...NoteFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateNote($id: ID!, $text: String!) {\n    updateNote(id: $id, text: $text) {\n      ...NoteFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateNote($id: ID!, $text: String!) {\n    updateNote(id: $id, text: $text) {\n      ...NoteFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteNote($id: ID!) {\n    deleteNote(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($customerId: ID!, $text: String!, $channel: Channel) {\n    sendMessage(customerId: $customerId, text: $text, channel: $channel) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($customerId: ID!, $text: String!, $channel: Channel) {\n    sendMessage(customerId: $customerId, text: $text, channel: $channel) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDefaultMessenger($customerId: ID!, $channel: Channel!) {\n    setDefaultMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n"): (typeof documents)["\n  mutation SetDefaultMessenger($customerId: ID!, $channel: Channel!) {\n    setDefaultMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnsubscribeMessenger($customerId: ID!, $channel: Channel!) {\n    unsubscribeMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n"): (typeof documents)["\n  mutation UnsubscribeMessenger($customerId: ID!, $channel: Channel!) {\n    unsubscribeMessenger(customerId: $customerId, channel: $channel) {\n      ...MessengerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    assignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AssignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    assignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnassignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    unassignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UnassignSegments($customerId: ID!, $segmentIds: [ID!]!) {\n    unassignSegments(customerId: $customerId, segmentIds: $segmentIds) {\n      id\n      segments {\n        ...SegmentFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {\n    updateCustomer(id: $id, input: $input) {\n      ...ProfileFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {\n    updateCustomer(id: $id, input: $input) {\n      ...ProfileFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    id\n    kind\n    status\n    total\n    processed\n    failed\n    error\n    downloadUrl\n  }\n"): (typeof documents)["\n  fragment JobFields on Job {\n    id\n    kind\n    status\n    total\n    processed\n    failed\n    error\n    downloadUrl\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Job($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  query Job($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    assignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  mutation AssignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    assignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnassignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    unassignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  mutation UnassignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {\n    unassignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {\n      ...JobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AccrueBonusesByFilter($filter: CustomerFilter!, $amount: Decimal!, $comment: String, $expiresAt: DateTime) {\n    accrueBonusesByFilter(filter: $filter, amount: $amount, comment: $comment, expiresAt: $expiresAt) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  mutation AccrueBonusesByFilter($filter: CustomerFilter!, $amount: Decimal!, $comment: String, $expiresAt: DateTime) {\n    accrueBonusesByFilter(filter: $filter, amount: $amount, comment: $comment, expiresAt: $expiresAt) {\n      ...JobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExportCustomers(\n    $filter: CustomerFilter\n    $orderBy: CustomerOrder\n    $columns: [CustomerColumn!]\n    $format: ExportFormat!\n  ) {\n    exportCustomers(filter: $filter, orderBy: $orderBy, columns: $columns, format: $format) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  mutation ExportCustomers(\n    $filter: CustomerFilter\n    $orderBy: CustomerOrder\n    $columns: [CustomerColumn!]\n    $format: ExportFormat!\n  ) {\n    exportCustomers(filter: $filter, orderBy: $orderBy, columns: $columns, format: $format) {\n      ...JobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      ...JobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClientList($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $after: String) {\n    customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          phone\n          summary {\n            purchases\n            revenue\n            averageCheck\n            lastPurchaseAt\n            bonusBalance\n            messengerStatus\n            lastNpsScore\n          }\n          segments {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ClientList($filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int, $after: String) {\n    customers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          firstName\n          lastName\n          phone\n          summary {\n            purchases\n            revenue\n            averageCheck\n            lastPurchaseAt\n            bonusBalance\n            messengerStatus\n            lastNpsScore\n          }\n          segments {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Segments {\n    segments {\n      id\n      name\n      kind\n      customersCount\n    }\n  }\n"): (typeof documents)["\n  query Segments {\n    segments {\n      id\n      name\n      kind\n      customersCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tiers {\n    loyaltyProgram {\n      tiers {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Tiers {\n    loyaltyProgram {\n      tiers {\n        id\n        name\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;