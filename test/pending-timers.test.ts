// A command-line run ends as soon as its work is done: migrating (what every CLI command does
// first) and closing the database leave no timer behind that would hold the process open (the
// migration engine arms a 10 s one per run; it must not keep the process alive).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestDatabase } from './helpers.ts';

interface Tracked {
  ms: number;
  timer: NodeJS.Timeout;
  done: boolean;
}

/** Records every timer of `minMs` or more armed while `work` runs, and whether it fired or was cleared. */
async function timersArmedDuring(minMs: number, work: () => Promise<void>): Promise<Tracked[]> {
  const tracked: Tracked[] = [];
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    fn: (...a: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const entry = { ms: ms ?? 0, done: false } as Tracked;
    entry.timer = realSet(
      (...a: unknown[]) => {
        entry.done = true;
        fn(...a);
      },
      ms,
      ...args,
    );
    if (entry.ms >= minMs) tracked.push(entry);
    return entry.timer;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((timer?: NodeJS.Timeout) => {
    for (const e of tracked) if (e.timer === timer) e.done = true;
    realClear(timer);
  }) as typeof clearTimeout);
  try {
    await work();
  } finally {
    vi.restoreAllMocks();
  }
  return tracked;
}

describe('after the work, nothing holds the process open', () => {
  afterEach(() => vi.restoreAllMocks());

  it('migrate + close leaves no pending timer that keeps the process alive', async () => {
    const { database, pgdb } = await openTestDatabase();
    const long = await timersArmedDuring(5_000, async () => {
      await database.migrate();
      await database.close();
    });
    await pgdb?.drop();
    // The engine did arm its long timers (else this test would prove nothing)…
    expect(long.length).toBeGreaterThan(0);
    // …and none that is still pending holds the event loop.
    const holding = long.filter((e) => !e.done && e.timer.hasRef()).map((e) => e.ms);
    expect(holding).toEqual([]);
  }, 120_000);
});
