// Page sizes shared by every connection: `first`/`last` default to 100 and may not exceed 1000.
// Asking for more is an error, never a silent cut.
import { GraphQLError } from 'graphql';
import type { builder } from './builder.ts';

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

function maxSize(args: { first?: number | null; last?: number | null }): number {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && value > MAX_PAGE_SIZE) {
      throw new GraphQLError(
        `\`${name}\` may be at most ${MAX_PAGE_SIZE}; it was ${value}. Page with cursors instead.`,
        {
          extensions: { code: 'BAD_USER_INPUT', argument: name, max: MAX_PAGE_SIZE },
        },
      );
    }
  }
  return MAX_PAGE_SIZE;
}

/** Spread into every prismaConnection / relatedConnection. */
export const paging = { defaultSize: DEFAULT_PAGE_SIZE, maxSize } as const;

/**
 * Options for the connection object of a prismaConnection / relatedConnection with `totalCount`:
 * a description for the type and for the `totalCount` field (plugin-prisma adds it undocumented,
 * so it is redefined here with the same marker extension and resolver).
 */
export function countedConnection(description: string, name?: string) {
  return {
    ...(name ? { name } : {}),
    description,
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, object>) => ({
      totalCount: t.int({
        nullable: false,
        description: 'How many items match, over all pages (ignores first/last/after/before).',
        extensions: { pothosPrismaTotalCount: true },
        // prismaConnection hands a function, relatedConnection the number.
        resolve: (parent) => {
          const { totalCount } = parent as { totalCount: number | (() => Promise<number>) };
          return typeof totalCount === 'function' ? totalCount() : totalCount;
        },
      }),
    }),
  };
}
