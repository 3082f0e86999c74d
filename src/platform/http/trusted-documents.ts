// Persisted operations: a request may name its document by hash instead of sending it.
//
//   { "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "<hex>" } } }   (APQ, POST or GET)
//   { "documentId": "sha256:<hex>" }                                                    (POST body or GET ?documentId=)
//
// The hashes come from a manifest (`npm run codegen` writes examples/gql/persisted-documents.json:
// "sha256:<hex>" → document) and, with TRUSTED_DOCUMENTS=off, from automatic persisted queries:
// an authenticated request that sends a valid document together with its hash registers it
// (the hash is checked, so nobody can register another document under a known hash) for its
// client only: each client has its own store of PERSISTED_QUERIES_PER_CLIENT documents
// (registered-documents.ts), and a hash another client registered is not found.
//
// TRUSTED_DOCUMENTS=storefront: STOREFRONT keys (`pk_`, public by nature: they ship in web
// pages) may only run documents of the manifest; anything else is PERSISTED_QUERY_ONLY. ADMIN
// and SUPPORT keys keep arbitrary documents. Nothing is registered at run time in this mode.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { keyFromHeader, ROLE_PREFIX } from '../auth/keys.ts';
import { RegisteredDocuments } from './registered-documents.ts';
import { requestStateOf } from './request-state.ts';

export type TrustedDocumentsMode = 'off' | 'storefront';

export interface TrustedDocumentsSettings {
  /** `storefront`: STOREFRONT keys may only send documents of the manifest. */
  mode: TrustedDocumentsMode;
  /** codegen's persisted-documents.json; required for `storefront`, optional (preloaded) for `off`. */
  manifestPath: string | undefined;
  /** Documents registered by APQ kept per client and process (least recently used dropped first). */
  registeredPerClient: number;
}

const HEX = /^[0-9a-f]{64}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function error(message: string, code: string, status: number) {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** Bare lower-case hex from "sha256:<hex>" or "<hex>"; null for anything else. */
export function normalizeHash(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  const hex = id
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  return HEX.test(hex) ? hex : null;
}

/**
 * Reads a codegen manifest ("sha256:<hex>" → document). Every entry's hash is checked against
 * its document, so a stale or edited manifest fails at start-up, not on a customer's page.
 */
export function loadManifest(path: string): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`TRUSTED_DOCUMENTS_MANIFEST ${path}: cannot read it as JSON (${(e as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`TRUSTED_DOCUMENTS_MANIFEST ${path}: expected an object of "sha256:<hex>": "<document>"`);
  }
  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(raw)) {
    const hash = normalizeHash(id);
    if (!hash || typeof document !== 'string') {
      throw new Error(
        `TRUSTED_DOCUMENTS_MANIFEST ${path}: entry ${JSON.stringify(id)} is not "sha256:<hex>": "<document>"`,
      );
    }
    if (sha256(document) !== hash) {
      throw new Error(
        `TRUSTED_DOCUMENTS_MANIFEST ${path}: entry ${id} is not the sha256 of its document; regenerate it (npm run codegen)`,
      );
    }
    documents.set(hash, document);
  }
  return documents;
}

/**
 * The hash a request names: APQ's extensions.persistedQuery, or documentId (body or GET query
 * string). undefined: it names none; null: it names one in a form we do not accept.
 */
function requestedHash(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null | undefined {
  const apq = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)
    ?.persistedQuery;
  if (apq !== undefined && apq !== null)
    return typeof apq === 'object' && apq.version === 1 ? normalizeHash(apq.sha256Hash) : null;
  const documentId =
    params.documentId ?? (request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') : null);
  return documentId === undefined || documentId === null ? undefined : normalizeHash(documentId);
}

/** The client of a request, as authentication (which runs before these plugins) verified it. */
const clientOf = (serverContext: unknown) => requestStateOf(serverContext)?.viewer?.clientId;

/**
 * APQ registration (mode off): a document sent with its hash is remembered for the caller's
 * client once the hash checks out and the request reached execution, i.e. it came with a valid
 * key and the document parsed and validated. So callers without a key cannot fill the store.
 */
function useAutomaticRegistration(registered: RegisteredDocuments): Plugin {
  // By operation (its context: each operation of a batched request has its own), not request.
  const pending = new WeakMap<object, { hash: string; query: string }>();
  return {
    onParams({ params, request, context }) {
      if (typeof params.query !== 'string') return;
      const named = requestedHash(params, request);
      if (named === undefined) return;
      if (named === null || sha256(params.query) !== named) {
        throw error(
          'The persisted query hash is not the sha256 (hex) of the query sent with it. Send extensions.persistedQuery { version: 1, sha256Hash }.',
          'PERSISTED_QUERY_HASH_MISMATCH',
          400,
        );
      }
      const clientId = clientOf(context);
      if (clientId && !registered.has(clientId, named)) pending.set(context, { hash: named, query: params.query });
    },
    onExecute({ args }) {
      const document = pending.get(args.contextValue);
      const clientId = clientOf(args.contextValue);
      if (!document || !clientId || registered.has(clientId, document.hash)) return;
      registered.set(clientId, document.hash, document.query);
    },
  };
}

function isStorefrontRequest(request: Request): boolean {
  return keyFromHeader(request.headers.get('authorization'))?.startsWith(ROLE_PREFIX.STOREFRONT) ?? false;
}

/** The yoga plugins for the mode; add them before anything that reads `params.query`. */
export function useTrustedDocuments(settings: TrustedDocumentsSettings): Plugin[] {
  if (settings.mode === 'storefront' && !settings.manifestPath) {
    throw new Error(
      'TRUSTED_DOCUMENTS=storefront needs TRUSTED_DOCUMENTS_MANIFEST (the path of persisted-documents.json)',
    );
  }
  const manifest = settings.manifestPath ? loadManifest(settings.manifestPath) : new Map<string, string>();
  const registered = new RegisteredDocuments(settings.registeredPerClient);
  const trusted = settings.mode === 'storefront';
  const persisted = usePersistedOperations({
    allowArbitraryOperations: trusted ? (request) => !isStorefrontRequest(request) : true,
    extractPersistedOperationId: (params, request) =>
      requestedHash(params as GraphQLParams & { documentId?: unknown }, request) ?? null,
    getPersistedOperation: (hash, _request, context) => {
      const clientId = clientOf(context);
      return manifest.get(hash) ?? (clientId ? registered.get(clientId, hash) : undefined) ?? null;
    },
    customErrors: {
      notFound: {
        message: trusted
          ? 'PersistedQueryNotFound: no trusted document has this hash. Send a hash from the manifest that `npm run codegen` generates.'
          : 'PersistedQueryNotFound: send the query together with its hash once to register it.',
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
      },
      keyNotFound: {
        message:
          'Send a GraphQL document in "query", or the hash of a persisted one in extensions.persistedQuery.sha256Hash or "documentId".',
        extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      },
      persistedQueryOnly: {
        message:
          'PersistedQueryOnly: storefront keys may only run trusted documents. Send extensions.persistedQuery { version: 1, sha256Hash } or documentId with a hash from the manifest.',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 403 } },
      },
    },
  }) as Plugin;
  return trusted ? [persisted] : [useAutomaticRegistration(registered), persisted];
}
