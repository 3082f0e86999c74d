// Cost limit and per-key rate limit, both before execution (variables known, resolvers not yet
// run). Every executed response reports `extensions.cost`:
//   { requested, remaining, capacity, restoreRate, maxQueryCost }
// A query over QUERY_MAX_COST gets QUERY_TOO_COMPLEX, one over QUERY_MAX_FIELDS (fragments
// expanded) QUERY_LIMIT_EXCEEDED (both HTTP 400, query-limits.ts); a key whose bucket cannot pay
// gets RATE_LIMITED (HTTP 429, Retry-After in seconds) and nothing is executed.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Bucket } from '../../config.ts';
import type { Context } from '../graphql/context.ts';
import type { Role } from '../../generated/prisma/enums.ts';
import type { CostLimiter } from './token-bucket.ts';
import { checkOperation } from './query-limits.ts';
import { requestStateOf } from './request-state.ts';

export interface CostOptions {
  maxCost: number;
  /** Fields selected, fragments expanded (query-limits.ts). */
  maxFields: number;
  /** Absent: costs are reported and capped, but no bucket is charged. */
  limiter?: CostLimiter;
  buckets: Record<Role, Bucket>;
}

export function useQueryCost(options: CostOptions): Plugin {
  const { maxCost, maxFields, limiter, buckets } = options;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Partial<Context>;
      const state = requestStateOf(args.contextValue);
      const check = checkOperation(args, { maxCost, maxFields }, state?.requestId);
      const requested = check.cost;
      if (state) state.cost = requested;
      const report: Record<string, number> = { requested, maxQueryCost: maxCost };
      if (check.error) {
        setResultAndStopExecution({ errors: [check.error], extensions: { cost: report } });
        return;
      }
      const viewer = ctx.viewer;
      if (limiter && viewer) {
        const bucket = buckets[viewer.role];
        const verdict = await limiter.consume(viewer.role, viewer.key.prefix, requested);
        Object.assign(report, {
          remaining: verdict.remaining,
          capacity: bucket.capacity,
          restoreRate: bucket.restoreRate,
        });
        if (!verdict.allowed) {
          const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
          setResultAndStopExecution({
            errors: [
              new GraphQLError(
                `Rate limit: this query costs ${requested} points and ${verdict.remaining} are left. ` +
                  `The bucket holds ${bucket.capacity} and refills ${bucket.restoreRate} per second; retry in ${retryAfter} s.`,
                {
                  extensions: {
                    code: 'RATE_LIMITED',
                    retryAfterSeconds: retryAfter,
                    http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
                  },
                },
              ),
            ],
            extensions: { cost: { ...report, retryAfterMs: verdict.retryAfterMs } },
          });
          return;
        }
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
