// Rate-limit tests: token buckets small enough that a few requests empty them (an orders or
// products page of 30 costs 31 points), and the shape of a refusal.
import { expect } from 'vitest';
import type { Bucket, BucketName } from '../src/config.ts';
import type { GqlResponse } from './helpers.ts';

export const SMALL_BUCKETS: Record<BucketName, Bucket> = {
  ADMIN: { capacity: 100, restoreRate: 1 },
  SUPPORT: { capacity: 100, restoreRate: 1 },
  STOREFRONT: { capacity: 150, restoreRate: 1 },
  VISITOR: { capacity: 100, restoreRate: 1 },
  UNAUTHENTICATED: { capacity: 10, restoreRate: 1 },
};

/** HTTP 429 with Retry-After, no data, one RATE_LIMITED error with this message. */
export function expectRateLimited(res: Omit<GqlResponse, 'body'> & { body: GqlResponse['body'] }, message: string) {
  const seconds = Number(/retry in (\d+) s\.$/.exec(message)?.[1]);
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(String(seconds));
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toEqual([{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds } }]);
}
