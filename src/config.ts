// Environment → typed configuration, validated once at start-up.
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHIQL: bool.default(true),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  pgliteDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  graphiql: boolean;
  dbPoolSize: number;
};

/** Parses the environment; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    logLevel: e.LOG_LEVEL,
    graphiql: e.GRAPHIQL,
    dbPoolSize: e.DB_POOL_SIZE,
  };
}
