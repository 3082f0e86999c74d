// What every resolver receives. Built per request by app.ts after the API key is verified.
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db/client.ts';
import type { Loaders } from './loaders.ts';

export interface Context {
  db: Db;
  viewer: Viewer;
  loaders: Loaders;
  /** Settings resolvers read: config.ts's, passed to createApp (its defaults when not given). */
  settings: ResolverSettings;
}

export interface ResolverSettings {
  /** Default grace period of requestErasure, in days (ERASURE_GRACE_DAYS). */
  erasureGraceDays: number;
  /** Hosts webhook endpoints may reach over plain http and on non-public addresses (WEBHOOK_ALLOWED_HTTP_HOSTS). */
  webhookAllowedHttpHosts: string[];
}
