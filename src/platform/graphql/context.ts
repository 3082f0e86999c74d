// What every resolver receives. Built per request by app.ts after the API key is verified.
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db/client.ts';
import type { CursorPositions } from './cursors.ts';
import type { Loaders } from './loaders.ts';

export interface Context {
  db: Db;
  viewer: Viewer;
  loaders: Loaders;
  /** The rows of this request's cursors, found by the cursor guard before execution (cursors.ts). */
  cursors: CursorPositions;
  /** Settings resolvers read: config.ts's, passed to createApp (its defaults when not given). */
  settings: ResolverSettings;
}

export interface ResolverSettings {
  /** Default grace period of requestErasure, in days (ERASURE_GRACE_DAYS). */
  erasureGraceDays: number;
  /** How long a mailer's claim of review invitations holds, in ms (REVIEW_INVITATION_LEASE_MS). */
  reviewInvitationLeaseMs: number;
}
