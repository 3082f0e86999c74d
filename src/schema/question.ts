// Question: a shopper's question about a product, answered by the merchant. Lists:
// Query.questions, Product.questions, Customer.questions. STOREFRONT keys see PUBLISHED only.
import { timeOrderBy, visibleById } from '../domain/content.ts';
import { questionWhere } from '../domain/questions.ts';
import { builder } from './builder.ts';
import { AuthoredContent, ModerationStatusEnum, questionOrderArgs } from './content.ts';
import { CustomerNode } from './customer.ts';
import { countedConnection, paging } from './paging.ts';
import { ProductNode } from './product.ts';

export const QuestionNode = builder.prismaNode('Question', {
  description:
    'A question about a product of the feed, with the merchant\'s answer once given. New questions are PENDING until published; STOREFRONT keys see PUBLISHED questions only.',
  id: { field: 'id' },
  nullable: true,
  interfaces: [AuthoredContent],
  findUnique: (id, ctx) => visibleById(id, ctx.viewer.clientId, ctx.viewer.role),
  fields: (t) => ({
    productSku: t.exposeString('productSku', { description: 'Sku of the product asked about.' }),
    product: t.relation('product', { description: 'The product asked about.' }),
    answer: t.exposeString('answer', { nullable: true, description: "The merchant's answer; null until answered." }),
    answeredAt: t.expose('answeredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the answer was last set; null until answered.',
    }),
    customer: t.relation('customer', {
      nullable: true,
      authScopes: { staff: true },
      description:
        "The customer who asked, when the question came with an order of the author's e-mail. ADMIN and SUPPORT keys only.",
    }),
  }),
});

const QuestionFilter = builder.inputType('QuestionFilter', {
  description: 'Narrows a question list. Conditions combine with AND.',
  fields: (t) => ({
    productSku: t.string({ description: 'Only questions about this sku.' }),
    familyId: t.string({ description: 'Only questions about products of this family (all variants).' }),
    status: t.field({
      type: ModerationStatusEnum,
      description: 'Only this status. STOREFRONT keys only ever get PUBLISHED questions, whatever they ask.',
    }),
    answered: t.boolean({ description: 'Only answered (true) or only unanswered (false) questions.' }),
  }),
});

builder.queryField('questions', (t) =>
  t.prismaConnection(
    {
      type: 'Question',
      cursor: 'id',
      ...paging,
      description: 'Product questions of the client, NEWEST first by default. STOREFRONT keys get PUBLISHED questions only.',
      args: { filter: t.arg({ type: QuestionFilter, description: 'Conditions the questions must meet.' }), ...questionOrderArgs },
      resolve: (query, _root, { filter, orderBy }, ctx) =>
        ctx.db.question.findMany({
          ...query,
          where: questionWhere(ctx.viewer.clientId, ctx.viewer.role, filter),
          orderBy: timeOrderBy(orderBy),
          relationLoadStrategy: 'join',
        }),
      totalCount: (_conn, { filter }, ctx) =>
        ctx.db.question.count({ where: questionWhere(ctx.viewer.clientId, ctx.viewer.role, filter) }),
    },
    countedConnection('A page of questions.'),
    { description: 'A question in a page.' },
  ),
);

builder.prismaObjectFields(ProductNode, (t) => ({
  questions: t.relatedConnection(
    'questions',
    {
      cursor: 'id',
      ...paging,
      totalCount: true,
      description: 'Questions about this product (this sku only), NEWEST first by default. STOREFRONT keys get PUBLISHED questions only.',
      args: {
        answered: t.arg.boolean({ description: 'Only answered (true) or only unanswered (false) questions.' }),
        ...questionOrderArgs,
      },
      query: ({ answered, orderBy }, ctx) => ({
        where: questionWhere(ctx.viewer.clientId, ctx.viewer.role, { answered }),
        orderBy: timeOrderBy(orderBy),
      }),
    },
    countedConnection("A page of a product's questions.", 'ProductQuestionsConnection'),
    { name: 'ProductQuestionsEdge', description: "A question in a page of a product's questions." },
  ),
}));

builder.prismaObjectFields(CustomerNode, (t) => ({
  questions: t.relatedConnection(
    'questions',
    {
      cursor: 'id',
      ...paging,
      totalCount: true,
      description: 'Questions linked to this customer, every status, NEWEST first by default.',
      args: { ...questionOrderArgs },
      query: ({ orderBy }) => ({ orderBy: timeOrderBy(orderBy) }),
    },
    countedConnection("A page of a customer's questions.", 'CustomerQuestionsConnection'),
    { name: 'CustomerQuestionsEdge', description: "A question in a page of a customer's questions." },
  ),
}));
