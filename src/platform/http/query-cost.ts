// Cost limit and rate limits, both before execution (variables known, resolvers not yet run).
// Every executed response reports `extensions.cost`:
//   { requested, charged, remaining, capacity, restoreRate, maxQueryCost, visitor? }
// `requested` is the query's cost; `charged` what this request took from the buckets: the cost,
// or RATE_LIMIT_CACHED_COST when the answer comes from the response cache (what it costs us).
// A query over QUERY_MAX_COST gets QUERY_TOO_COMPLEX, one over QUERY_MAX_FIELDS (fragments
// expanded) QUERY_LIMIT_EXCEEDED (both HTTP 400, query-limits.ts); a request whose buckets cannot
// pay gets RATE_LIMITED (HTTP 429, Retry-After in seconds) and nothing is executed.
//
// Buckets: one per API key, sized by its role. A STOREFRONT key is public (it ships in shop
// pages), so its requests pay first from the bucket of their visitor (key + client address,
// `visitor` in the report): one visitor who floods empties its own bucket, not the key's, and
// the shop's other visitors are served. The visitor pays first; when it cannot, the key's bucket
// is not touched.
import type { Plugin } from 'graphql-yoga';
import type { Bucket, BucketName } from '../../config.ts';
import type { Context } from '../graphql/context.ts';
import { UNKNOWN_ADDRESS } from './client-address.ts';
import { rateLimited, type CostLimiter, type Verdict } from './token-bucket.ts';
import { checkOperation } from './query-limits.ts';
import { requestStateOf } from './request-state.ts';

export interface CostOptions {
  maxCost: number;
  /** Fields selected, fragments expanded (query-limits.ts). */
  maxFields: number;
  /** Absent: costs are reported and capped, but no bucket is charged. */
  limiter?: CostLimiter;
  buckets: Record<BucketName, Bucket>;
  /** What an operation of cost `cost` takes from the buckets (default: its cost). */
  price?: (contextValue: unknown, cost: number) => number;
}

const refusal = (who: string, points: number, verdict: Verdict, bucket: Bucket) => (seconds: number) =>
  `${who}: this query costs ${points} points and ${verdict.remaining} are left. ` +
  `The bucket holds ${bucket.capacity} and refills ${bucket.restoreRate} per second; retry in ${seconds} s.`;

export function useQueryCost(options: CostOptions): Plugin {
  const { maxCost, maxFields, limiter, buckets, price } = options;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Partial<Context>;
      const state = requestStateOf(args.contextValue);
      const check = checkOperation(args, { maxCost, maxFields }, state?.requestId);
      const requested = check.cost;
      if (state) state.cost = requested;
      const report: Record<string, unknown> = { requested, maxQueryCost: maxCost };
      if (check.error) {
        setResultAndStopExecution({ errors: [check.error], extensions: { cost: report } });
        return;
      }
      const viewer = ctx.viewer;
      if (limiter && viewer) {
        const charged = price ? price(args.contextValue, requested) : requested;
        report.charged = charged;
        const refuse = (message: (seconds: number) => string, retryAfterMs: number) =>
          void setResultAndStopExecution({
            errors: [rateLimited(retryAfterMs, message)],
            extensions: { cost: { ...report, retryAfterMs } },
          });
        if (viewer.role === 'STOREFRONT') {
          const bucket = buckets.VISITOR;
          const visitor = `${viewer.key.prefix}:${state?.clientAddress ?? UNKNOWN_ADDRESS}`;
          const verdict = await limiter.consume('VISITOR', visitor, charged);
          report.visitor = { remaining: verdict.remaining, capacity: bucket.capacity, restoreRate: bucket.restoreRate };
          if (!verdict.allowed)
            return refuse(refusal('Rate limit of this visitor', charged, verdict, bucket), verdict.retryAfterMs);
        }
        const bucket = buckets[viewer.role];
        const verdict = await limiter.consume(viewer.role, viewer.key.prefix, charged);
        Object.assign(report, {
          remaining: verdict.remaining,
          capacity: bucket.capacity,
          restoreRate: bucket.restoreRate,
        });
        if (!verdict.allowed) return refuse(refusal('Rate limit', charged, verdict, bucket), verdict.retryAfterMs);
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!('data' in result) && !('errors' in result)) return; // streams: nothing to add
          setResult({ ...result, extensions: { ...result.extensions, cost: report } });
        },
      };
    },
  };
}
