/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Channel =
  | 'SMS'
  | 'TELEGRAM'
  | 'VIBER'
  | 'VK'
  | 'WHATSAPP';

export type CustomerFilter = {
  averageCheckMax?: string | null | undefined;
  averageCheckMin?: string | null | undefined;
  /** 1..12 */
  birthMonth?: number | null | undefined;
  birthdayWithinDays?: number | null | undefined;
  bonusBalanceMax?: string | null | undefined;
  bonusBalanceMin?: string | null | undefined;
  /** Some of the balance burns within N days. */
  bonusesExpiringWithinDays?: number | null | undefined;
  channel?: Channel | null | undefined;
  gender?: Gender | null | undefined;
  /** Has at least one ACTIVE messenger subscription. */
  hasMessenger?: boolean | null | undefined;
  lastPurchaseFrom?: string | null | undefined;
  lastPurchaseTo?: string | null | undefined;
  messengerStatus?: MessengerStatus | null | undefined;
  /** In none of these segments. */
  notInSegmentIds?: Array<string | number> | null | undefined;
  /** Of the last score; NONE = never answered. */
  npsCategory?: NpsCategory | null | undefined;
  npsMax?: number | null | undefined;
  npsMin?: number | null | undefined;
  /** Registered at any of these outlets. */
  outletIds?: Array<string | number> | null | undefined;
  /** Bought at least once at any of these outlets. */
  purchasedAtOutletIds?: Array<string | number> | null | undefined;
  purchasesMax?: number | null | undefined;
  purchasesMin?: number | null | undefined;
  registeredFrom?: string | null | undefined;
  registeredTo?: string | null | undefined;
  registrationSources?: Array<RegistrationSource> | null | undefined;
  revenueMax?: string | null | undefined;
  revenueMin?: string | null | undefined;
  search?: string | null | undefined;
  segmentIds?: Array<string | number> | null | undefined;
};

export type CustomerOrder = {
  direction?: OrderDirection;
  field: CustomerOrderField;
};

export type CustomerOrderField =
  | 'AVERAGE_CHECK'
  | 'BONUS_BALANCE'
  | 'LAST_NPS_SCORE'
  | 'LAST_PURCHASE_AT'
  | 'NAME'
  | 'NEXT_BIRTHDAY'
  | 'PURCHASES'
  | 'REGISTERED_AT'
  | 'REVENUE';

export type Gender =
  | 'FEMALE'
  | 'MALE'
  | 'UNKNOWN';

export type MessengerStatus =
  | 'ACTIVE'
  | 'INACTIVE';

export type NpsCategory =
  | 'DETRACTOR'
  | 'NONE'
  | 'PASSIVE'
  | 'PROMOTER';

export type OrderDirection =
  | 'ASC'
  | 'DESC';

export type RegistrationSource =
  | 'IMPORT'
  | 'MANUAL'
  | 'MESSENGER'
  | 'POS'
  | 'WEB';

export type SegmentKind =
  | 'DYNAMIC'
  | 'MANUAL';

export type ClientListQueryVariables = Exact<{
  filter?: CustomerFilter | null | undefined;
  orderBy?: CustomerOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ClientListQuery = { customers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, firstName: string | null, lastName: string | null, phone: string | null, summary: { purchases: number, revenue: string, averageCheck: string, lastPurchaseAt: string | null, bonusBalance: string, messengerStatus: MessengerStatus | null, lastNpsScore: number | null }, segments: Array<{ id: string, name: string }> } }> } };

export type SegmentsQueryVariables = Exact<{ [key: string]: never; }>;


export type SegmentsQuery = { segments: Array<{ id: string, name: string, kind: SegmentKind, customersCount: number }> };


export const ClientListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"summary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purchases"}},{"kind":"Field","name":{"kind":"Name","value":"revenue"}},{"kind":"Field","name":{"kind":"Name","value":"averageCheck"}},{"kind":"Field","name":{"kind":"Name","value":"lastPurchaseAt"}},{"kind":"Field","name":{"kind":"Name","value":"bonusBalance"}},{"kind":"Field","name":{"kind":"Name","value":"messengerStatus"}},{"kind":"Field","name":{"kind":"Name","value":"lastNpsScore"}}]}},{"kind":"Field","name":{"kind":"Name","value":"segments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ClientListQuery, ClientListQueryVariables>;
export const SegmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Segments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"customersCount"}}]}}]}}]} as unknown as DocumentNode<SegmentsQuery, SegmentsQueryVariables>;