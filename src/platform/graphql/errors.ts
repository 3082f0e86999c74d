// The Error interface and the error types that mutation result unions carry.
import { type DomainError, type FieldError, NotFoundError, ValidationError } from '../rules/errors.ts';
import { builder } from './builder.ts';

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'Common shape of every error a mutation can return as its result.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'Human-readable explanation, safe to show to an operator.' }),
    code: t.exposeString('code', { description: 'Stable machine-readable code, e.g. VALIDATION_FAILED or NOT_FOUND.' }),
  }),
});

const FieldErrorRef = builder.objectRef<FieldError>('FieldError').implement({
  description: 'One problem with one input field.',
  fields: (t) => ({
    path: t.exposeStringList('path', {
      description: 'Path to the field from the mutation argument, e.g. ["input", "items", "3", "sku"].',
    }),
    message: t.exposeString('message', { description: 'What is wrong with the value.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input broke a rule. Nothing was written.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ValidationError,
  fields: (t) => ({
    fieldErrors: t.field({
      type: [FieldErrorRef],
      description: 'Every problem found, one per field.',
      resolve: (e) => e.fieldErrors,
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The object the mutation targets does not exist for this client. Nothing was written.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof NotFoundError,
  fields: () => ({}),
});

/** The errors every write can meet. */
export const WRITE_ERRORS = [ValidationError, NotFoundError];

/**
 * `errors` options of a write mutation: the result is the union `<Name>Result` of
 * `<Name>Success` and the WRITE_ERRORS, e.g. `writeResult('UpsertOrder')`.
 */
export function writeResult(name: string) {
  return {
    types: WRITE_ERRORS,
    directResult: true,
    union: { name: `${name}Result`, description: `${name}Success, or why nothing was written.` },
  } as const;
}
