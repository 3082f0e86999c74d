// Errors the domain raises on purpose. The GraphQL layer turns each into a member of a
// mutation's result union; anything else is an internal fault and is masked.
import type { z } from 'zod';

export interface FieldError {
  /** Path of the offending input field, e.g. ["input", "items", "2", "sku"]. */
  path: string[];
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fieldErrors: FieldError[]) {
    super(
      fieldErrors.length === 1
        ? `Invalid input at ${fieldErrors[0].path.join('.')}: ${fieldErrors[0].message}`
        : `Invalid input: ${fieldErrors.length} problems, see fieldErrors`,
    );
    this.name = 'ValidationError';
  }

  static fromZod(error: z.ZodError, root: string[] = ['input']): ValidationError {
    return new ValidationError(
      error.issues.map((issue) => ({
        path: [...root, ...issue.path.map(String)],
        message: issue.message,
      })),
    );
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Parses with a zod schema or throws a ValidationError whose paths start at `root`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, root: string[] = ['input']): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error, root);
  return result.data;
}
