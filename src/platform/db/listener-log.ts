// A cache's LISTEN subscription with its state in the log: "cache on" (info) when it first
// listens; "cache off" (warn) when the listener is lost or cannot connect, once per outage and
// with the error; "cache back on" (warn, the same level as "off") when it listens again.
import type { Logger } from '../logger.ts';
import { outageLog } from '../outage-log.ts';
import type { Subscriber } from './notifications.ts';

export interface LoggedSubscriber {
  subscriber: Subscriber;
  onError(error: Error): void;
}

/** `stopping()`: true once the process shuts down (the listener closing then is not an outage). */
export function loggedSubscriber(
  log: Logger,
  channel: string,
  cache: Subscriber,
  stopping: () => boolean = () => false,
): LoggedSubscriber {
  const outage = outageLog(
    log,
    'warn',
    { channel },
    {
      off: 'cache off: not listening for changes, every request reads the database until it reconnects',
      on: 'cache back on: listening for changes again',
    },
  );
  let started = false;
  return {
    subscriber: {
      onNotify: (payload) => cache.onNotify(payload),
      onState(listening) {
        cache.onState(listening);
        if (!listening) {
          if (!stopping()) outage.failed();
          return;
        }
        if (!started) log.info({ channel }, 'cache on: listening for changes');
        started = true;
        outage.recovered();
      },
    },
    onError(error) {
      if (!stopping()) outage.failed(error);
    },
  };
}
