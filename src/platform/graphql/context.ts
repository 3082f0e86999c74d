// What every resolver receives. Built per request by app.ts after the API key is verified.
import type { Db } from '../db/client.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import type { Loaders } from './loaders.ts';

export interface Viewer {
  clientId: string;
  client: { id: string; slug: string; name: string };
  role: Role;
  key: { id: string; name: string; prefix: string };
}

export interface Context {
  db: Db;
  viewer: Viewer;
  loaders: Loaders;
}
