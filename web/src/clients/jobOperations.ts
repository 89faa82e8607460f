import { graphql } from '../gql';

// What the list shows of a job while it runs and once it is over.
export const JobFields = graphql(`
  fragment JobFields on Job {
    id
    kind
    status
    total
    processed
    failed
    error
    downloadUrl
  }
`);

export const JobQuery = graphql(`
  query Job($id: ID!) {
    job(id: $id) {
      ...JobFields
    }
  }
`);

export const AssignSegmentsByFilterMutation = graphql(`
  mutation AssignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {
    assignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {
      ...JobFields
    }
  }
`);

export const UnassignSegmentsByFilterMutation = graphql(`
  mutation UnassignSegmentsByFilter($filter: CustomerFilter!, $segmentIds: [ID!]!) {
    unassignSegmentsByFilter(filter: $filter, segmentIds: $segmentIds) {
      ...JobFields
    }
  }
`);

export const AccrueBonusesByFilterMutation = graphql(`
  mutation AccrueBonusesByFilter($filter: CustomerFilter!, $amount: Decimal!, $comment: String, $expiresAt: DateTime) {
    accrueBonusesByFilter(filter: $filter, amount: $amount, comment: $comment, expiresAt: $expiresAt) {
      ...JobFields
    }
  }
`);

export const ExportCustomersMutation = graphql(`
  mutation ExportCustomers(
    $filter: CustomerFilter
    $orderBy: CustomerOrder
    $columns: [CustomerColumn!]
    $format: ExportFormat!
  ) {
    exportCustomers(filter: $filter, orderBy: $orderBy, columns: $columns, format: $format) {
      ...JobFields
    }
  }
`);

export const CancelJobMutation = graphql(`
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) {
      ...JobFields
    }
  }
`);
