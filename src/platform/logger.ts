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
      // pino's own `err` serializer would turn safeError's plain object into {"type":"Object", …}
      // with the driver's stack; an Error passed as is is made safe the same way.
      serializers: { err: (err: unknown) => (err instanceof Error ? safeError(err) : err) },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;

const SAFE_MESSAGE = /^[\w .,:;'"`()\-/[\]=<>]{0,200}$/;

/** The error's class: its name, or its constructor's when the name says nothing (pg's DatabaseError is named "error"). */
function typeOf(e: Error): string {
  return e.name && e.name !== 'error' ? e.name : (e.constructor?.name ?? 'Error');
}

/**
 * What of an error may be logged: `{ type, message, code }` (plus the database's own code and
 * kind, and the cause, when there are). Prisma's messages quote the call site and sometimes
 * argument values (e-mails, names), and driver messages can carry row values in "detail", so for
 * those only the codes are kept. Stack frames only on request (`stack: true`, for faults nobody
 * expected); a dropped connection's frames inside the driver tell an operator nothing.
 */
export function safeError(error: unknown, options: { stack?: boolean } = {}): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; meta?: { driverAdapterError?: { cause?: Record<string, unknown> } } };
  const adapter = e.meta?.driverAdapterError?.cause;
  const fromPrisma = e.name.startsWith('Prisma') || adapter !== undefined;
  const frames = options.stack
    ? (e.stack ?? '')
        .split('\n')
        .filter((l) => /^\s+at /.test(l))
        .slice(0, 8)
        .map((l) => l.trim())
    : undefined;
  return {
    type: typeOf(e),
    message: !fromPrisma && SAFE_MESSAGE.test(e.message) && !e.message.includes('@') ? e.message : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
    dbCode: adapter?.originalCode ?? adapter?.code,
    dbKind: adapter?.kind,
    stack: frames,
    cause: e.cause instanceof Error ? safeError(e.cause, options) : undefined,
  };
}
