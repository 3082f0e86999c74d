// Per-request execution time limit (REQUEST_TIMEOUT_MS).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

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
