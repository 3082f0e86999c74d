// Who is calling: the key's client and role.
import { builder, NO_ROW_ID } from '../../platform/graphql/builder.ts';

export const RoleEnum = builder.enumType('Role', {
  description: 'What an API key may do. The key prefix shows it: sk_ ADMIN, rk_ SUPPORT, pk_ STOREFRONT.',
  values: {
    ADMIN: { description: 'Everything of its client: read, write, erase personal data.' },
    SUPPORT: { description: 'Read everything of its client, personal data included; write nothing.' },
    STOREFRONT: {
      description:
        'Published content, products and rating summaries; may submit reviews and questions. The key is public (it ships in web pages), so it learns nothing else: no customers, orders, e-mails or erasure requests (`node(id)` of those is null, as if they did not exist), no unpublished content, and a submission answers the same whether or not its order verifies the author.',
    },
  } as const,
});

builder.prismaNode('Client', {
  description: 'A merchant: the tenant every other object belongs to.',
  id: { field: 'id' },
  nullable: true,
  // A key sees only its own client.
  findUnique: (id, ctx) => ({ id: id === ctx.viewer.clientId ? id : NO_ROW_ID }),
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Short unique name of the client, e.g. "acme".' }),
    name: t.exposeString('name', { description: 'Display name of the client.' }),
  }),
});

const Viewer = builder.objectRef<{ role: 'ADMIN' | 'SUPPORT' | 'STOREFRONT'; keyPrefix: string }>('Viewer').implement({
  description: 'The caller, as identified by its API key.',
  fields: (t) => ({
    role: t.expose('role', { type: RoleEnum, description: 'Role of the key.' }),
    keyPrefix: t.exposeString('keyPrefix', {
      description: 'The visible start of the key (e.g. "sk_AbCdEfGh"), as listed by the CLI.',
    }),
  }),
});

builder.objectField(Viewer, 'client', (t) =>
  t.prismaField({
    type: 'Client',
    description: 'The client the key belongs to.',
    resolve: (query, _parent, _args, ctx) =>
      ctx.db.client.findUniqueOrThrow({ ...query, where: { id: ctx.viewer.clientId } }),
  }),
);

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    description: 'The caller: which client the key belongs to and its role. Every key may read it.',
    resolve: (_root, _args, ctx) => ({ role: ctx.viewer.role, keyPrefix: ctx.viewer.key.prefix }),
  }),
);
