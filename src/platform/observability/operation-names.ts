// Operation names as metric labels, with a bounded number of values. A name is its own label
// when it belongs to a trusted document (TRUSTED_DOCUMENTS_MANIFEST) or when an ADMIN or SUPPORT
// key ran it while fewer than `max` such names were seen (first come, for the life of the
// process); anything else — no name, a STOREFRONT key's own document (those keys are public,
// anyone could invent names), names past the bound — is "anonymous".
import { Kind, parse } from 'graphql';
import { loadManifest } from '../http/trusted-documents.ts';

export const ANONYMOUS = 'anonymous';
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** The operation names defined in a trusted-documents manifest. */
export function manifestOperationNames(manifestPath: string | undefined): string[] {
  if (!manifestPath) return [];
  return [...loadManifest(manifestPath).values()].flatMap((text) =>
    parse(text).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [])),
  );
}

export class OperationNames {
  private readonly trusted: Set<string>;
  private readonly seen = new Set<string>();

  constructor(
    trusted: Iterable<string>,
    private readonly max: number,
  ) {
    this.trusted = new Set(trusted);
  }

  /** The label of an operation run with a key of `role` (undefined: not authenticated). */
  label(name: string | undefined, role: string | undefined): string {
    if (!name || !NAME.test(name)) return ANONYMOUS;
    if (this.trusted.has(name) || this.seen.has(name)) return name;
    if ((role === 'ADMIN' || role === 'SUPPORT') && this.seen.size < this.max) {
      this.seen.add(name);
      return name;
    }
    return ANONYMOUS;
  }
}
