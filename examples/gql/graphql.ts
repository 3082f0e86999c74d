/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ErasureStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'PROCESSING'
  | 'SCHEDULED'
  | 'SUCCEEDED';

export type ErasureSubjectType =
  | 'CUSTOMER_EXTERNAL_ID'
  | 'EMAIL';

export type ModerationStatus =
  | 'PENDING'
  | 'PUBLISHED'
  | 'REJECTED';

export type PersonalDataSubject =
  {   customerExternalId: string; email?: never; }
  |  { customerExternalId?: never;   email: string; };

export type Role =
  | 'ADMIN'
  | 'STOREFRONT'
  | 'SUPPORT';

export type OrderSyncPageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  createdAfter?: string | null | undefined;
}>;


export type OrderSyncPageQuery = { orders: { totalCount: number, nodes: Array<{ externalId: string, createdAt: string, itemCount: number, customer: { externalId: string, email: string | null }, items: Array<{ sku: string, name: string | null, cancelled: boolean, reviewInvitationEligible: boolean }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type SyncedItemFragment = { sku: string, name: string | null, cancelled: boolean, reviewInvitationEligible: boolean };

export type OrderItemsQueryVariables = Exact<{
  externalId: string;
}>;


export type OrderItemsQuery = { order: { items: Array<{ sku: string, name: string | null, cancelled: boolean, reviewInvitationEligible: boolean }> } | null };

export type PersonalDataLookupQueryVariables = Exact<{
  subject: PersonalDataSubject;
}>;


export type PersonalDataLookupQuery = { personalData: { customers: Array<{ externalId: string, name: string | null, email: string | null, orders: { totalCount: number } }>, reviews: Array<{ productSku: string, title: string, status: ModerationStatus }>, questions: Array<{ productSku: string, title: string, status: ModerationStatus }>, sellerReviews: Array<{ title: string, status: ModerationStatus }> } };

export type ErasureAuditFragment = { id: string, status: ErasureStatus, statusDescription: string | null, subjectType: ErasureSubjectType, dryRun: boolean, remaining: number | null, createdAt: string, initiator: { keyPrefix: string, name: string, role: Role }, counts: { customers: number, orders: number, orderItems: number, reviews: number, questions: number, sellerReviews: number } | null };

export type ErasePersonalDataMutationVariables = Exact<{
  subject: PersonalDataSubject;
  dryRun: boolean;
}>;


export type ErasePersonalDataMutation = { erasePersonalData:
    | { __typename: 'ErasePersonalDataSuccess', erasureRequest: { id: string, status: ErasureStatus, statusDescription: string | null, subjectType: ErasureSubjectType, dryRun: boolean, remaining: number | null, createdAt: string, initiator: { keyPrefix: string, name: string, role: Role }, counts: { customers: number, orders: number, orderItems: number, reviews: number, questions: number, sellerReviews: number } | null } }
    | { __typename: 'ErasureFailedError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ErasureAuditTrailQueryVariables = Exact<{
  subject: PersonalDataSubject;
}>;


export type ErasureAuditTrailQuery = { erasureRequests: { totalCount: number, nodes: Array<{ id: string, status: ErasureStatus, statusDescription: string | null, subjectType: ErasureSubjectType, dryRun: boolean, remaining: number | null, createdAt: string, initiator: { keyPrefix: string, name: string, role: Role }, counts: { customers: number, orders: number, orderItems: number, reviews: number, questions: number, sellerReviews: number } | null }> } };

export type ProductPageQueryVariables = Exact<{
  sku: string;
  reviews: number;
  questions: number;
}>;


export type ProductPageQuery = { product: { sku: string, name: string, url: string | null, familyId: string | null, ratingSummary: { average: number | null, count: number, histogram: Array<number> }, familyRatingSummary: { average: number | null, count: number }, reviews: { totalCount: number, nodes: Array<{ authorNick: string, rating: number, title: string, content: string, verified: boolean, createdAt: string }> }, questions: { totalCount: number, nodes: Array<{ authorNick: string, title: string, content: string, answer: string | null }> } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const SyncedItemFragmentDoc = new TypedDocumentString(`
    fragment SyncedItem on OrderItem {
  sku
  name
  cancelled
  reviewInvitationEligible
}
    `, {"fragmentName":"SyncedItem"}) as unknown as TypedDocumentString<SyncedItemFragment, unknown>;
export const ErasureAuditFragmentDoc = new TypedDocumentString(`
    fragment ErasureAudit on ErasureRequest {
  id
  status
  statusDescription
  subjectType
  dryRun
  remaining
  createdAt
  initiator {
    keyPrefix
    name
    role
  }
  counts {
    customers
    orders
    orderItems
    reviews
    questions
    sellerReviews
  }
}
    `, {"fragmentName":"ErasureAudit"}) as unknown as TypedDocumentString<ErasureAuditFragment, unknown>;
export const OrderSyncPageDocument = new TypedDocumentString(`
    query OrderSyncPage($first: Int!, $after: String, $createdAfter: DateTime) {
  orders(first: $first, after: $after, filter: {createdAfter: $createdAfter}) {
    totalCount
    nodes {
      externalId
      createdAt
      customer {
        externalId
        email
      }
      itemCount
      items(first: 20) {
        ...SyncedItem
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment SyncedItem on OrderItem {
  sku
  name
  cancelled
  reviewInvitationEligible
}`, {"hash":"sha256:69b0b6c452fe33d6e1044340d2b202c081a3aca6e2a655955b1a265849e46ca4"}) as unknown as TypedDocumentString<OrderSyncPageQuery, OrderSyncPageQueryVariables>;
export const OrderItemsDocument = new TypedDocumentString(`
    query OrderItems($externalId: String!) {
  order(externalId: $externalId) {
    items {
      ...SyncedItem
    }
  }
}
    fragment SyncedItem on OrderItem {
  sku
  name
  cancelled
  reviewInvitationEligible
}`, {"hash":"sha256:c25cbd8d5ae36346d0984f3e7a0043efcfc21dc4054f4aa2afc9a9fd07a1c693"}) as unknown as TypedDocumentString<OrderItemsQuery, OrderItemsQueryVariables>;
export const PersonalDataLookupDocument = new TypedDocumentString(`
    query PersonalDataLookup($subject: PersonalDataSubject!) {
  personalData(subject: $subject) {
    customers {
      externalId
      name
      email
      orders(first: 1) {
        totalCount
      }
    }
    reviews {
      productSku
      title
      status
    }
    questions {
      productSku
      title
      status
    }
    sellerReviews {
      title
      status
    }
  }
}
    `, {"hash":"sha256:a073f2af757a1260274dff8e48187f5bbcff1d56c347a2b40a2147d907f4fdf8"}) as unknown as TypedDocumentString<PersonalDataLookupQuery, PersonalDataLookupQueryVariables>;
export const ErasePersonalDataDocument = new TypedDocumentString(`
    mutation ErasePersonalData($subject: PersonalDataSubject!, $dryRun: Boolean!) {
  erasePersonalData(input: {subject: $subject, dryRun: $dryRun}) {
    __typename
    ... on ErasePersonalDataSuccess {
      erasureRequest {
        ...ErasureAudit
      }
    }
    ... on ErasureFailedError {
      code
      message
    }
    ... on ValidationError {
      code
      message
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment ErasureAudit on ErasureRequest {
  id
  status
  statusDescription
  subjectType
  dryRun
  remaining
  createdAt
  initiator {
    keyPrefix
    name
    role
  }
  counts {
    customers
    orders
    orderItems
    reviews
    questions
    sellerReviews
  }
}`, {"hash":"sha256:66694c1757f65098b326544d92ea42245ab784607cc70d0841195a050d5a0c5d"}) as unknown as TypedDocumentString<ErasePersonalDataMutation, ErasePersonalDataMutationVariables>;
export const ErasureAuditTrailDocument = new TypedDocumentString(`
    query ErasureAuditTrail($subject: PersonalDataSubject!) {
  erasureRequests(first: 20, filter: {subject: $subject}) {
    totalCount
    nodes {
      ...ErasureAudit
    }
  }
}
    fragment ErasureAudit on ErasureRequest {
  id
  status
  statusDescription
  subjectType
  dryRun
  remaining
  createdAt
  initiator {
    keyPrefix
    name
    role
  }
  counts {
    customers
    orders
    orderItems
    reviews
    questions
    sellerReviews
  }
}`, {"hash":"sha256:ee297cec3543ccb4456e18d27fa3b93b6dd95154ae337b80e7fc0547ab25f565"}) as unknown as TypedDocumentString<ErasureAuditTrailQuery, ErasureAuditTrailQueryVariables>;
export const ProductPageDocument = new TypedDocumentString(`
    query ProductPage($sku: String!, $reviews: Int!, $questions: Int!) {
  product(sku: $sku) {
    sku
    name
    url
    familyId
    ratingSummary {
      average
      count
      histogram
    }
    familyRatingSummary {
      average
      count
    }
    reviews(first: $reviews, orderBy: NEWEST) {
      totalCount
      nodes {
        authorNick
        rating
        title
        content
        verified
        createdAt
      }
    }
    questions(first: $questions, answered: true, orderBy: NEWEST) {
      totalCount
      nodes {
        authorNick
        title
        content
        answer
      }
    }
  }
}
    `, {"hash":"sha256:5b16dbcab2933ac1648ce23e6cf4a1463a184f3efcdfbee5be0896b4a82c8921"}) as unknown as TypedDocumentString<ProductPageQuery, ProductPageQueryVariables>;