// Shutdown hooks: background work (e.g. the erasure worker) registers here to be stopped
// between jobs. server.ts runs them on SIGTERM/SIGINT after the HTTP server stopped taking
// requests and before the database closes, so a hook may still finish a job's writes.

export type ShutdownHook = () => Promise<void> | void;

export interface Lifecycle {
  /** Registers a hook; returns a function that unregisters it. Hooks run in reverse order. */
  onShutdown(name: string, hook: ShutdownHook): () => void;
  /** Runs every hook once, each bounded by `timeoutMs`; reports failures, never throws. */
  shutdown(timeoutMs: number, report?: (name: string, error: unknown) => void): Promise<void>;
}

export function createLifecycle(): Lifecycle {
  const hooks: { name: string; hook: ShutdownHook }[] = [];
  let done: Promise<void> | undefined;
  return {
    onShutdown(name, hook) {
      const entry = { name, hook };
      hooks.push(entry);
      return () => {
        const i = hooks.indexOf(entry);
        if (i !== -1) hooks.splice(i, 1);
      };
    },
    shutdown(timeoutMs, report) {
      done ??= (async () => {
        for (const { name, hook } of [...hooks].reverse()) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`shutdown hook "${name}" took over ${timeoutMs} ms`)), timeoutMs);
          });
          try {
            await Promise.race([Promise.resolve().then(hook), timeout]);
          } catch (error) {
            report?.(name, error);
          } finally {
            clearTimeout(timer);
          }
        }
      })();
      return done;
    },
  };
}

/** The process-wide registry used by server.ts. */
export const lifecycle = createLifecycle();
