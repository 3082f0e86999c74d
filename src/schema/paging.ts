// Page sizes shared by every connection: `first`/`last` default to 100 and may not exceed 1000.
// Asking for more is an error, never a silent cut.
import { GraphQLError } from 'graphql';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

function maxSize(args: { first?: number | null; last?: number | null }): number {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && value > MAX_PAGE_SIZE) {
      throw new GraphQLError(`\`${name}\` may be at most ${MAX_PAGE_SIZE}; it was ${value}. Page with cursors instead.`, {
        extensions: { code: 'BAD_USER_INPUT', argument: name, max: MAX_PAGE_SIZE },
      });
    }
  }
  return MAX_PAGE_SIZE;
}

/** Spread into every prismaConnection / relatedConnection. */
export const paging = { defaultSize: DEFAULT_PAGE_SIZE, maxSize } as const;
