// A background loop: runs `run` at once, then every `intervalMs` (at once again when `run`
// says there is more); `stop()` ends the loop after the run in progress. The workers use it.
import type { Logger } from './logger.ts';
import { outageLog } from './outage-log.ts';

export interface Poller {
  /** Stops polling; resolves once the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

export function startPoller(options: {
  intervalMs: number;
  /** One run; resolves true when it should run again at once. `stopping()` turns true on stop(). */
  run: (stopping: () => boolean) => Promise<boolean>;
  log?: Pick<Logger, 'warn' | 'error'>;
  /** Log messages: when runs start failing (once), and when they run again. */
  messages: { off: string; on: string };
}): Poller {
  // A worker that cannot run (database down) says so once, and once again when it runs again.
  const runs = options.log && outageLog(options.log, 'error', {}, options.messages);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    timer = undefined;
    running = options
      .run(() => stopped)
      .then(
        (more) => {
          runs?.recovered();
          return more;
        },
        (error) => {
          runs?.failed(error);
          return false;
        },
      )
      .then((more) => {
        running = undefined;
        if (!stopped) schedule(more ? 0 : options.intervalMs);
      });
  };
  const schedule = (ms: number) => {
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
