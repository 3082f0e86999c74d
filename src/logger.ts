// One pino logger for the process. Secrets and personal data never go into log lines.
import { pino } from 'pino';

export function createLogger(level: string) {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', '*.authorization', '*.email', '*.name', '*.key'],
      censor: '[redacted]',
    },
  });
}

export type Logger = ReturnType<typeof createLogger>;
