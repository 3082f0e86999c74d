// Token buckets, the model of Shopify's and GitHub's GraphQL limits: a bucket of `capacity`
// points refilled continuously at `restoreRate` points per second; a query takes its cost out
// or, if not enough is left, is refused without taking anything. Buckets are named by kind
// (config.ts BucketName: one per API key of each role, one per STOREFRONT visitor, one per
// address for requests without a valid key) and id (key prefix, visitor, address).
//
// Both stores run the same arithmetic (GCRA: the bucket is one number, the time at which it
// will be full again). In Redis it runs atomically in Lua through rate-limiter-flexible's
// RateLimiterRedis (its `customIncrTtlLuaScript` hook; the stock script is a fixed window,
// which refills all at once at the end of each window), so several instances share one budget.
// rate-limiter-flexible's RateLimiterMemory is a fixed window too, so the in-process store is
// the same GCRA in a Map: development and production behave alike.
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Bucket, BucketName } from '../../config.ts';

export interface Verdict {
  allowed: boolean;
  /** Points left after this request (or now, when refused). */
  remaining: number;
  /** When refused: milliseconds until the cost fits. */
  retryAfterMs: number;
}

export interface CostLimiter {
  readonly kind: 'redis' | 'memory';
  /** Takes `cost` points from bucket `id` of kind `bucket` (cost 0: only reports what is left). */
  consume(bucket: BucketName, id: string, cost: number): Promise<Verdict>;
  close(): Promise<void>;
}

// ARGV: cost, (window seconds, unused), capacity, seconds to refill from empty.
// Returns {consumed, ms}. Allowed: consumed is the bucket's debt in points after this request
// and ms the time until it is full. Refused: consumed is 2 × capacity + 1 + the current debt
// (over capacity, so rate-limiter-flexible rejects; verdictOf decodes the debt) and ms the wait.
const GCRA_LUA = `
local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[3])
local interval = tonumber(ARGV[4]) * 1000 / capacity
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local debt = tat + cost * interval - now
if debt > capacity * interval + 0.001 then
  return {2 * capacity + 1 + math.ceil((debt - cost * interval) / interval - 0.000001), math.ceil(debt - capacity * interval)}
end
redis.call('SET', KEYS[1], string.format('%.3f', now + debt), 'PX', math.ceil(debt) + 1)
return {math.ceil(debt / interval - 0.000001), math.ceil(debt)}
`;

/** RATE_LIMITED, HTTP 429 with Retry-After (whole seconds, at least 1); `message` gets those seconds. */
export function rateLimited(retryAfterMs: number, message: (seconds: number) => string): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(message(seconds), {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterSeconds: seconds,
      http: { status: 429, headers: { 'Retry-After': String(seconds) } },
    },
  });
}

function verdictOf(res: RateLimiterRes, allowed: boolean, capacity: number): Verdict {
  if (allowed) return { allowed, remaining: res.remainingPoints, retryAfterMs: 0 };
  const debt = res.consumedPoints - 2 * capacity - 1;
  return { allowed, remaining: Math.max(capacity - debt, 0), retryAfterMs: res.msBeforeNext };
}

/** The same GCRA in process memory. */
export function memoryLimiter(buckets: Record<BucketName, Bucket>, now: () => number = Date.now): CostLimiter {
  const full = new Map<string, number>(); // key → time (ms) at which the bucket is full again
  let sweep = now();
  return {
    kind: 'memory',
    async consume(bucket, key, cost) {
      const { capacity, restoreRate } = buckets[bucket];
      const interval = 1000 / restoreRate;
      const t = now();
      if (t - sweep > 60_000) {
        for (const [k, at] of full) if (at <= t) full.delete(k);
        sweep = t;
      }
      const id = `${bucket}:${key}`;
      const debt = Math.max(full.get(id) ?? t, t) + cost * interval - t;
      if (debt > capacity * interval + 0.001) {
        const remaining = capacity - Math.ceil((debt - cost * interval) / interval - 0.000001);
        return {
          allowed: false,
          remaining: Math.max(remaining, 0),
          retryAfterMs: Math.ceil(debt - capacity * interval),
        };
      }
      full.set(id, t + debt);
      return { allowed: true, remaining: capacity - Math.ceil(debt / interval - 0.000001), retryAfterMs: 0 };
    },
    async close() {},
  };
}

/** Told when the shared store fails and when it answers again (platform/outage-log.ts logs each outage once). */
export interface StoreHealth {
  failed(error: unknown): void;
  recovered(): void;
}

/**
 * Buckets in Redis, shared by every instance that uses the same Redis and prefix. When Redis
 * cannot answer, the request is limited by the in-process fallback instead (and reported).
 */
export function redisLimiter(
  url: string,
  prefix: string,
  buckets: Record<BucketName, Bucket>,
  health: StoreHealth,
): CostLimiter {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
  });
  redis.on('error', (error) => health.failed(error));
  redis.on('ready', () => health.recovered());
  const limiters = Object.fromEntries(
    (Object.keys(buckets) as BucketName[]).map((name) => {
      const { capacity, restoreRate } = buckets[name];
      const limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:${name}`,
        points: capacity,
        duration: capacity / restoreRate, // seconds to refill from empty
        customIncrTtlLuaScript: GCRA_LUA,
        rejectIfRedisNotReady: true,
      });
      return [name, limiter];
    }),
  ) as Record<BucketName, RateLimiterRedis>;
  const fallback = memoryLimiter(buckets);
  // Right after start, give the first connection attempt a moment instead of falling back;
  // once it has succeeded or failed, never wait (an outage must not slow every request).
  let settled = false;
  const firstAttempt = new Promise<void>((resolve) => {
    const done = () => {
      settled = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, 1_000);
    redis.once('ready', done);
    redis.once('error', done);
  });
  return {
    kind: 'redis',
    async consume(bucket, key, cost) {
      try {
        if (!settled) await firstAttempt;
        const allowed = await limiters[bucket].consume(key, cost);
        health.recovered();
        return verdictOf(allowed, true, buckets[bucket].capacity);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          health.recovered();
          return verdictOf(rejection, false, buckets[bucket].capacity);
        }
        health.failed(rejection);
        return fallback.consume(bucket, key, cost);
      }
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
