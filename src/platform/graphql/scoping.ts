// Tenant scoping for global ids: a node of another client, or a malformed id, resolves to null.
import type { Context } from './context.ts';
import { NO_ROW_ID } from './builder.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `findUnique` for prismaNode types that carry a clientId. */
export function ownedById(id: string, ctx: Context) {
  return { id: UUID.test(id) ? id : NO_ROW_ID, clientId: ctx.viewer.clientId };
}
