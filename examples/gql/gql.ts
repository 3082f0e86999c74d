/* eslint-disable */
import * as types from './graphql.js';



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
    "\n  query OrderSyncPage($first: Int!, $after: String, $createdAfter: DateTime) {\n    orders(first: $first, after: $after, filter: { createdAfter: $createdAfter }) {\n      totalCount\n      nodes {\n        externalId\n        createdAt\n        customer {\n          externalId\n          email\n        }\n        itemCount\n        items(first: 20) {\n          ...SyncedItem\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.OrderSyncPageDocument,
    "\n  fragment SyncedItem on OrderItem {\n    sku\n    name\n    cancelled\n    reviewInvitationEligible\n  }\n": typeof types.SyncedItemFragmentDoc,
    "\n  query OrderItems($externalId: String!) {\n    order(externalId: $externalId) {\n      items {\n        ...SyncedItem\n      }\n    }\n  }\n": typeof types.OrderItemsDocument,
    "\n  query PersonalDataLookup($subject: PersonalDataSubject!) {\n    personalData(subject: $subject) {\n      customers {\n        externalId\n        name\n        email\n        orders(first: 1) {\n          totalCount\n        }\n      }\n      reviews {\n        productSku\n        title\n        status\n      }\n      questions {\n        productSku\n        title\n        status\n      }\n      sellerReviews {\n        title\n        status\n      }\n    }\n  }\n": typeof types.PersonalDataLookupDocument,
    "\n  fragment ErasureAudit on ErasureRequest {\n    id\n    status\n    statusDescription\n    subjectType\n    dryRun\n    remaining\n    createdAt\n    initiator {\n      keyPrefix\n      name\n      role\n    }\n    counts {\n      customers\n      orders\n      orderItems\n      reviews\n      questions\n      sellerReviews\n    }\n  }\n": typeof types.ErasureAuditFragmentDoc,
    "\n  mutation ErasePersonalData($subject: PersonalDataSubject!, $dryRun: Boolean!) {\n    erasePersonalData(input: { subject: $subject, dryRun: $dryRun }) {\n      __typename\n      ... on ErasePersonalDataSuccess {\n        erasureRequest {\n          ...ErasureAudit\n        }\n      }\n      ... on ErasureFailedError {\n        code\n        message\n      }\n      ... on ValidationError {\n        code\n        message\n        fieldErrors {\n          path\n          message\n        }\n      }\n    }\n  }\n": typeof types.ErasePersonalDataDocument,
    "\n  query ErasureAuditTrail($subject: PersonalDataSubject!) {\n    erasureRequests(first: 20, filter: { subject: $subject }) {\n      totalCount\n      nodes {\n        ...ErasureAudit\n      }\n    }\n  }\n": typeof types.ErasureAuditTrailDocument,
    "\n  query ProductPage($sku: String!, $reviews: Int!, $questions: Int!) {\n    product(sku: $sku) {\n      sku\n      name\n      url\n      familyId\n      ratingSummary {\n        average\n        count\n        histogram\n      }\n      familyRatingSummary {\n        average\n        count\n      }\n      reviews(first: $reviews, orderBy: NEWEST) {\n        totalCount\n        nodes {\n          authorNick\n          rating\n          title\n          content\n          verified\n          createdAt\n        }\n      }\n      questions(first: $questions, answered: true, orderBy: NEWEST) {\n        totalCount\n        nodes {\n          authorNick\n          title\n          content\n          answer\n        }\n      }\n    }\n  }\n": typeof types.ProductPageDocument,
};
const documents: Documents = {
    "\n  query OrderSyncPage($first: Int!, $after: String, $createdAfter: DateTime) {\n    orders(first: $first, after: $after, filter: { createdAfter: $createdAfter }) {\n      totalCount\n      nodes {\n        externalId\n        createdAt\n        customer {\n          externalId\n          email\n        }\n        itemCount\n        items(first: 20) {\n          ...SyncedItem\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.OrderSyncPageDocument,
    "\n  fragment SyncedItem on OrderItem {\n    sku\n    name\n    cancelled\n    reviewInvitationEligible\n  }\n": types.SyncedItemFragmentDoc,
    "\n  query OrderItems($externalId: String!) {\n    order(externalId: $externalId) {\n      items {\n        ...SyncedItem\n      }\n    }\n  }\n": types.OrderItemsDocument,
    "\n  query PersonalDataLookup($subject: PersonalDataSubject!) {\n    personalData(subject: $subject) {\n      customers {\n        externalId\n        name\n        email\n        orders(first: 1) {\n          totalCount\n        }\n      }\n      reviews {\n        productSku\n        title\n        status\n      }\n      questions {\n        productSku\n        title\n        status\n      }\n      sellerReviews {\n        title\n        status\n      }\n    }\n  }\n": types.PersonalDataLookupDocument,
    "\n  fragment ErasureAudit on ErasureRequest {\n    id\n    status\n    statusDescription\n    subjectType\n    dryRun\n    remaining\n    createdAt\n    initiator {\n      keyPrefix\n      name\n      role\n    }\n    counts {\n      customers\n      orders\n      orderItems\n      reviews\n      questions\n      sellerReviews\n    }\n  }\n": types.ErasureAuditFragmentDoc,
    "\n  mutation ErasePersonalData($subject: PersonalDataSubject!, $dryRun: Boolean!) {\n    erasePersonalData(input: { subject: $subject, dryRun: $dryRun }) {\n      __typename\n      ... on ErasePersonalDataSuccess {\n        erasureRequest {\n          ...ErasureAudit\n        }\n      }\n      ... on ErasureFailedError {\n        code\n        message\n      }\n      ... on ValidationError {\n        code\n        message\n        fieldErrors {\n          path\n          message\n        }\n      }\n    }\n  }\n": types.ErasePersonalDataDocument,
    "\n  query ErasureAuditTrail($subject: PersonalDataSubject!) {\n    erasureRequests(first: 20, filter: { subject: $subject }) {\n      totalCount\n      nodes {\n        ...ErasureAudit\n      }\n    }\n  }\n": types.ErasureAuditTrailDocument,
    "\n  query ProductPage($sku: String!, $reviews: Int!, $questions: Int!) {\n    product(sku: $sku) {\n      sku\n      name\n      url\n      familyId\n      ratingSummary {\n        average\n        count\n        histogram\n      }\n      familyRatingSummary {\n        average\n        count\n      }\n      reviews(first: $reviews, orderBy: NEWEST) {\n        totalCount\n        nodes {\n          authorNick\n          rating\n          title\n          content\n          verified\n          createdAt\n        }\n      }\n      questions(first: $questions, answered: true, orderBy: NEWEST) {\n        totalCount\n        nodes {\n          authorNick\n          title\n          content\n          answer\n        }\n      }\n    }\n  }\n": types.ProductPageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderSyncPage($first: Int!, $after: String, $createdAfter: DateTime) {\n    orders(first: $first, after: $after, filter: { createdAfter: $createdAfter }) {\n      totalCount\n      nodes {\n        externalId\n        createdAt\n        customer {\n          externalId\n          email\n        }\n        itemCount\n        items(first: 20) {\n          ...SyncedItem\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').OrderSyncPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncedItem on OrderItem {\n    sku\n    name\n    cancelled\n    reviewInvitationEligible\n  }\n"): typeof import('./graphql.js').SyncedItemFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderItems($externalId: String!) {\n    order(externalId: $externalId) {\n      items {\n        ...SyncedItem\n      }\n    }\n  }\n"): typeof import('./graphql.js').OrderItemsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersonalDataLookup($subject: PersonalDataSubject!) {\n    personalData(subject: $subject) {\n      customers {\n        externalId\n        name\n        email\n        orders(first: 1) {\n          totalCount\n        }\n      }\n      reviews {\n        productSku\n        title\n        status\n      }\n      questions {\n        productSku\n        title\n        status\n      }\n      sellerReviews {\n        title\n        status\n      }\n    }\n  }\n"): typeof import('./graphql.js').PersonalDataLookupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ErasureAudit on ErasureRequest {\n    id\n    status\n    statusDescription\n    subjectType\n    dryRun\n    remaining\n    createdAt\n    initiator {\n      keyPrefix\n      name\n      role\n    }\n    counts {\n      customers\n      orders\n      orderItems\n      reviews\n      questions\n      sellerReviews\n    }\n  }\n"): typeof import('./graphql.js').ErasureAuditFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ErasePersonalData($subject: PersonalDataSubject!, $dryRun: Boolean!) {\n    erasePersonalData(input: { subject: $subject, dryRun: $dryRun }) {\n      __typename\n      ... on ErasePersonalDataSuccess {\n        erasureRequest {\n          ...ErasureAudit\n        }\n      }\n      ... on ErasureFailedError {\n        code\n        message\n      }\n      ... on ValidationError {\n        code\n        message\n        fieldErrors {\n          path\n          message\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ErasePersonalDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ErasureAuditTrail($subject: PersonalDataSubject!) {\n    erasureRequests(first: 20, filter: { subject: $subject }) {\n      totalCount\n      nodes {\n        ...ErasureAudit\n      }\n    }\n  }\n"): typeof import('./graphql.js').ErasureAuditTrailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductPage($sku: String!, $reviews: Int!, $questions: Int!) {\n    product(sku: $sku) {\n      sku\n      name\n      url\n      familyId\n      ratingSummary {\n        average\n        count\n        histogram\n      }\n      familyRatingSummary {\n        average\n        count\n      }\n      reviews(first: $reviews, orderBy: NEWEST) {\n        totalCount\n        nodes {\n          authorNick\n          rating\n          title\n          content\n          verified\n          createdAt\n        }\n      }\n      questions(first: $questions, answered: true, orderBy: NEWEST) {\n        totalCount\n        nodes {\n          authorNick\n          title\n          content\n          answer\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ProductPageDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
