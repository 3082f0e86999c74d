// Who is calling, as every resolver sees it in its context (Context.viewer): the API key's client,
// role and key. Made by authenticate(), kept by the KeyCache.
import type { Role } from '../../generated/prisma/enums.ts';

export interface Viewer {
  clientId: string;
  client: { id: string; slug: string; name: string };
  role: Role;
  key: { id: string; name: string; prefix: string };
}
