// Question: a shopper's question about a product, answered by the merchant. Lists:
// Query.questions, Product.questions, Customer.questions. STOREFRONT keys see PUBLISHED only.
import { builder } from '../../platform/graphql/builder.ts';
import { contentNode, SORTS, staffCustomer } from './content.graphql.ts';
import { contentFilter, contentFilterArgs, contentListQuery, relatedContent } from './content-lists.graphql.ts';
import { CustomerNode } from '../orders/customer.graphql.ts';
import { ProductNode } from '../catalog/product.graphql.ts';

export const QuestionNode = builder.prismaNode('Question', {
  ...contentNode(
    "A question about a product of the feed, with the merchant's answer once given. New questions are PENDING until published; STOREFRONT keys see PUBLISHED questions only.",
  ),
  fields: (t) => ({
    productSku: t.exposeString('productSku', { description: 'Sku of the product asked about.' }),
    product: t.relation('product', { description: 'The product asked about.' }),
    answer: t.exposeString('answer', { nullable: true, description: "The merchant's answer; null until answered." }),
    answeredAt: t.expose('answeredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the answer was last set; null until answered.',
    }),
    customer: staffCustomer(t, "The customer who asked, when the question came with an order of the author's e-mail."),
  }),
});

contentListQuery('questions', 'Question', {
  description:
    'Product questions of the client, NEWEST first by default. STOREFRONT keys get PUBLISHED questions only.',
  what: 'questions',
  filter: contentFilter('QuestionFilter', 'questions', ['productSku', 'familyId', 'status', 'answered']),
  sort: SORTS.time,
});

builder.prismaObjectFields(ProductNode, (t) => ({
  questions: relatedContent(t, 'Product', 'questions', {
    description:
      'Questions about this product (this sku only), NEWEST first by default. STOREFRONT keys get PUBLISHED questions only.',
    args: contentFilterArgs('questions', ['answered']),
    sort: SORTS.time,
  }),
}));

builder.prismaObjectFields(CustomerNode, (t) => ({
  questions: relatedContent(t, 'Customer', 'questions', {
    description: 'Questions linked to this customer, every status, NEWEST first by default.',
    sort: SORTS.time,
  }),
}));
