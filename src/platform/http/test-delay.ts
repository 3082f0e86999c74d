// Test-only delay hook (TEST_DELAY_HEADER), used by the shutdown test to hold a request in flight.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';

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
