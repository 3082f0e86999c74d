/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CustomerInput = {
  email?: string | null | undefined;
  externalId: string;
  name?: string | null | undefined;
  optOut?: boolean | null | undefined;
};

export type CustomerStatus =
  | 'ACQUIRED'
  | 'PROSPECT'
  | 'REPEAT';

export type OrderItemInput = {
  category?: string | null | undefined;
  deliveryDate?: string | null | undefined;
  familyId?: string | null | undefined;
  imageUrl?: string | null | undefined;
  name?: string | null | undefined;
  properties?: Record<string, unknown> | null | undefined;
  reviewable?: boolean | null | undefined;
  sku: string;
  url?: string | null | undefined;
};

export type UpsertOrderInput = {
  customer: CustomerInput;
  externalId: string;
  items?: Array<OrderItemInput> | null | undefined;
};

export type SmokeUpsertOrderMutationVariables = Exact<{
  input: UpsertOrderInput;
}>;


export type SmokeUpsertOrderMutation = { upsertOrder:
    | { __typename: 'NotFoundError', message: string, code: string }
    | { __typename: 'UpsertOrderSuccess', created: boolean, order: { id: string, externalId: string, customer: { email: string | null, status: CustomerStatus }, items: Array<{ sku: string, name: string | null, reviewable: boolean, reviewInvitationEligible: boolean, deliveryDate: string | null }> } }
    | { __typename: 'ValidationError', message: string, code: string }
   };

export type SmokeOrderByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type SmokeOrderByIdQuery = { node:
    | { externalId: string }
    | Record<PropertyKey, never>
   | null };

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

export const SmokeUpsertOrderDocument = new TypedDocumentString(`
    mutation SmokeUpsertOrder($input: UpsertOrderInput!) {
  upsertOrder(input: $input) {
    __typename
    ... on UpsertOrderSuccess {
      created
      order {
        id
        externalId
        customer {
          email
          status
        }
        items {
          sku
          name
          reviewable
          reviewInvitationEligible
          deliveryDate
        }
      }
    }
    ... on Error {
      message
      code
    }
  }
}
    `) as unknown as TypedDocumentString<SmokeUpsertOrderMutation, SmokeUpsertOrderMutationVariables>;
export const SmokeOrderByIdDocument = new TypedDocumentString(`
    query SmokeOrderById($id: ID!) {
  node(id: $id) {
    ... on Order {
      externalId
    }
  }
}
    `) as unknown as TypedDocumentString<SmokeOrderByIdQuery, SmokeOrderByIdQueryVariables>;