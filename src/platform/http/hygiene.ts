// Per-request execution time limit, a readable 415, and the test-only delay hook used by the
// shutdown test.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';

/**
 * Stops execution after `ms`: the caller gets TIMEOUT (HTTP 503) at the deadline, and the
 * execution is aborted so no further resolvers start (a running statement ends by the
 * database's own statement timeout).
 */
export function useRequestTimeout(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((plain) => {
        // graphql-tools' executor (yoga's) stops starting resolvers once `signal` aborts.
        const args = plain as typeof plain & { signal?: AbortSignal };
        const controller = new AbortController();
        const signal = args.signal ? AbortSignal.any([args.signal, controller.signal]) : controller.signal;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<{ errors: GraphQLError[] }>((resolve) => {
          timer = setTimeout(() => {
            controller.abort();
            resolve({
              errors: [
                new GraphQLError(`The request ran longer than ${ms} ms and was stopped. Ask for less, or retry.`, {
                  extensions: { code: 'TIMEOUT', http: { status: 503 } },
                }),
              ],
            });
          }, ms);
        });
        const run = Promise.resolve(executeFn({ ...args, signal } as typeof plain));
        run.catch(() => {}); // after the deadline nobody awaits it
        return Promise.race([run, deadline]).finally(() => clearTimeout(timer));
      });
    },
  };
}

const MAX_TEST_DELAY_MS = 60_000;

/**
 * TEST ONLY (TEST_DELAY_HEADER=true, refused in production): holds a request's execution for
 * `x-test-delay-ms` milliseconds after authentication, inside the execution (so the request
 * timeout counts it), so a test can have a request in flight that still needs the database
 * when it resumes. Not part of the schema. Register it before useRequestTimeout.
 */
export function useTestDelay(logger: Logger): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      const ms = Number(request?.headers.get('x-test-delay-ms'));
      if (!Number.isFinite(ms) || ms <= 0) return;
      setExecuteFn(async (a) => {
        logger.info({ ms }, 'test delay: holding the request');
        await new Promise((r) => setTimeout(r, Math.min(ms, MAX_TEST_DELAY_MS)));
        return executeFn(a);
      });
    },
  };
}

/** A body yoga cannot read (e.g. text/plain) gets an explanation, not an empty 415. */
export function useExplainedUnsupportedMediaType(): Plugin {
  return {
    onRequestParse({ requestParser, endResponse, fetchAPI }) {
      if (requestParser) return;
      const message = 'Unsupported Content-Type: send the GraphQL request as application/json.';
      const errors = [{ message, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }];
      endResponse(fetchAPI.Response.json({ errors }, { status: 415 }));
    },
  };
}
