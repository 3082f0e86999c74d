// One pino logger for the process. Secrets and personal data never go into log lines: request
// logs carry ids, names of operations and numbers only (never variables or query text), and
// faults are logged through safeError, which drops messages that may quote input values.
import { pino, type DestinationStream } from 'pino';

/** Paths censored wherever they appear, as a second line of defence. */
export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'email',
  '*.email',
  'name',
  '*.name',
  'key',
  '*.key',
  'variables',
  '*.variables',
  'query',
  '*.query',
];

export function createLogger(level: string, destination?: DestinationStream) {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;

const SAFE_MESSAGE = /^[\w .,:;'"`()\-/[\]=<>]{0,200}$/;

/**
 * What of an error may be logged: its class, codes and stack frames. Prisma's messages quote the
 * call site and sometimes argument values (e-mails, names), and driver messages can carry row
 * values in "detail", so for those only the codes are kept.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; meta?: { driverAdapterError?: { cause?: Record<string, unknown> } } };
  const adapter = e.meta?.driverAdapterError?.cause;
  const fromPrisma = e.name.startsWith('Prisma') || adapter !== undefined;
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 8)
    .map((l) => l.trim());
  return {
    type: e.name,
    code: typeof e.code === 'string' ? e.code : undefined,
    dbCode: adapter?.originalCode ?? adapter?.code,
    dbKind: adapter?.kind,
    message: !fromPrisma && SAFE_MESSAGE.test(e.message) && !e.message.includes('@') ? e.message : undefined,
    stack: frames,
    cause: e.cause instanceof Error ? safeError(e.cause) : undefined,
  };
}
