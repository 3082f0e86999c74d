// Log lines an operator can act on for something that goes away and comes back (a cache's
// listener, the shared rate-limit store, a background worker): one line when it goes off and one
// when it is back on, at the same level, however many failures come in between. So a log read
// at LOG_LEVEL=warn shows both ends of every outage, and an outage does not flood it.
import { safeError, type Logger } from './logger.ts';

export interface OutageLog {
  /** Whether the last report was a failure. */
  readonly down: boolean;
  /** A failure: logged only when it starts an outage (with its error). */
  failed(error?: unknown): void;
  /** Working: logged only when it ends an outage (with its length and the failures seen). */
  recovered(): void;
}

export function outageLog(
  logger: Pick<Logger, 'warn' | 'error'>,
  level: 'warn' | 'error',
  fields: Record<string, unknown>,
  messages: { off: string; on: string },
  now: () => number = Date.now,
): OutageLog {
  let since: number | undefined;
  let failures = 0;
  return {
    get down() {
      return since !== undefined;
    },
    failed(error) {
      failures++;
      if (since !== undefined) return;
      since = now();
      logger[level]({ ...fields, ...(error === undefined ? {} : { err: safeError(error) }) }, messages.off);
    },
    recovered() {
      if (since === undefined) return;
      logger[level]({ ...fields, downMs: now() - since, failures }, messages.on);
      since = undefined;
      failures = 0;
    },
  };
}
