import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest directory above this module holding prisma/schema.prisma. Found
 * by looking, not by a fixed number of `..`, because this module runs from src/platform/db/ in
 * development and from dist/server/ in the production bundle.
 */
function projectRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No prisma/schema.prisma in ${start} or any directory above it`);
  }
}

/** Absolute paths, so commands work from any working directory. */
export const ROOT = projectRoot();
export const MIGRATIONS_DIR = join(ROOT, 'prisma', 'migrations');
export const SCHEMA_PATH = join(ROOT, 'prisma', 'schema.prisma');
