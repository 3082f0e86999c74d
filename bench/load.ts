// One load run with autocannon (in the bench process, separate from the servers): POST
// requests whose bodies come from `makeBody`, bounded by time and connections, optionally at a
// fixed overall rate. A response counts as OK only when it is 2xx and `ok(body)` holds.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  key: string;
  makeBody: () => string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number;
  /** Whether an answer is a success (e.g. no GraphQL `errors`); default: no "errors" key. */
  ok?: (body: string) => boolean;
  /** Headers added to each request (e.g. the `X-Forwarded-For` of a simulated visitor). */
  makeHeaders?: () => Record<string, string>;
}

export interface LoadResult {
  /** OK responses per second. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  ok: number;
  /** 2xx answers that `ok` rejected (GraphQL errors, error results). */
  failed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** The first rejected body, to show what went wrong. */
  sample?: string;
}

const noErrors = (body: string) => !body.includes('"errors":');

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const ok = o.ok ?? noErrors;
  let good = 0;
  let failed = 0;
  let sample: string | undefined;
  const result = await autocannon({
    url: o.url,
    method: 'POST',
    connections: o.connections,
    duration: o.durationSeconds,
    overallRate: o.overallRate,
    timeout: 30,
    headers: {
      authorization: `Bearer ${o.key}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          body: o.makeBody(),
          ...(o.makeHeaders ? { headers: { ...req.headers, ...o.makeHeaders() } } : {}),
        }),
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && ok(body)) good++;
          else if (status >= 200 && status < 300) {
            failed++;
            sample ??= body.slice(0, 500);
          } else sample ??= `${status} ${body.slice(0, 500)}`;
        },
      },
    ],
  });
  const seconds = result.duration;
  return {
    rps: good / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: good,
    failed,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    sample,
  };
}

/** A warm-up run (not reported) and then the measured run. */
export async function warmAndRun(o: LoadOptions, warmupSeconds: number): Promise<LoadResult> {
  if (warmupSeconds > 0) await runLoad({ ...o, durationSeconds: warmupSeconds });
  return runLoad(o);
}
