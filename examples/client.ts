// A small typed GraphQL client over plain fetch, shared by the three example programs.
// Documents come from `npm run codegen` (examples/gql/): each carries its result and variable
// types, and its sha256 hash for persisted queries.
//
//   const { data } = await execute(connection, ProductPageDocument, { sku: 'SHOE-42' }, { persisted: true });
//
// `persisted: true` sends only the hash, over GET (a CDN can cache the response); when the
// server does not know the hash yet (PERSISTED_QUERY_NOT_FOUND) it sends the document along
// once, which registers it (automatic persisted queries). A server with TRUSTED_DOCUMENTS=
// storefront knows every hash of examples/gql/persisted-documents.json and refuses other
// documents from storefront keys.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { TypedDocumentString } from './gql/graphql.ts';

export interface Connection {
  endpoint: string;
  key: string;
}

/** The error entries of a GraphQL response. */
export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A response with top-level errors (or an HTTP failure without a GraphQL body). */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLErrorEntry[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('\n') || `HTTP ${status}`);
    this.name = 'GraphQLRequestError';
  }

  get codes(): string[] {
    return this.errors.map((e) => e.extensions?.code ?? 'ERROR');
  }
}

/** How the answer came: useful to see what a CDN would do with it. */
export interface Transport {
  method: 'GET' | 'POST';
  /** True when only the hash was sent (the server knew the document). */
  hashOnly: boolean;
  cacheControl: string | null;
}

export interface ExecuteOptions {
  /** Send the hash over GET first (queries only). */
  persisted?: boolean;
}

type Document<R, V> = TypedDocumentString<R, V>;

/** codegen's manifest: "sha256:<hex>" → the document as codegen printed it (what the hash covers). */
let manifest: Record<string, string> | undefined;

/** The document's hash (bare hex, as APQ sends it) and the exact text it is the hash of. */
function persistedForm(document: { __meta__?: Record<string, unknown> }): { hash: string; text: string } {
  const id = document.__meta__?.hash;
  manifest ??= JSON.parse(readFileSync(new URL('./gql/persisted-documents.json', import.meta.url), 'utf8')) as Record<
    string,
    string
  >;
  const text = typeof id === 'string' ? manifest[id] : undefined;
  if (typeof id !== 'string' || text === undefined)
    throw new Error('The document has no persisted hash: run `npm run codegen`.');
  return { hash: id.replace(/^sha256:/, ''), text };
}

async function send(connection: Connection, init: { url: URL; method: 'GET' | 'POST'; body?: unknown }) {
  const res = await fetch(init.url, {
    method: init.method,
    headers: {
      authorization: `Bearer ${connection.key}`,
      accept: 'application/graphql-response+json, application/json',
      // A JSON POST says so; a GET carries the header the server asks of requests a form on another
      // web site could also send (its cross-site request check).
      ...(init.body ? { 'content-type': 'application/json' } : { 'x-graphql-yoga-csrf': '1' }),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  let body: { data?: unknown; errors?: GraphQLErrorEntry[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new GraphQLRequestError(res.status, [
      { message: `Not a GraphQL response (HTTP ${res.status}): ${text.slice(0, 200)}` },
    ]);
  }
  return { res, body };
}

function getUrl(endpoint: string, params: Record<string, unknown>): URL {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return url;
}

/**
 * Runs a typed document. Resolves with the data; rejects with GraphQLRequestError when the
 * response has errors (a partial result counts as an error here: examples should not print
 * half-answers).
 */
export async function execute<R, V>(
  connection: Connection,
  document: Document<R, V>,
  variables: V,
  options: ExecuteOptions = {},
): Promise<{ data: R; transport: Transport }> {
  let response: Awaited<ReturnType<typeof send>>;
  let hashOnly = false;
  if (options.persisted) {
    const { hash, text } = persistedForm(document);
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    response = await send(connection, { method: 'GET', url: getUrl(connection.endpoint, { variables, extensions }) });
    hashOnly = true;
    const codes = response.body.errors?.map((e) => e.extensions?.code) ?? [];
    if (codes.includes('PERSISTED_QUERY_NOT_FOUND')) {
      // First use of this document on the server: send it with its hash to register it. The
      // server checks that the hash is the sha256 of the text, so send the text it was made from.
      response = await send(connection, {
        method: 'GET',
        url: getUrl(connection.endpoint, { query: text, variables, extensions }),
      });
      hashOnly = false;
    }
  } else {
    response = await send(connection, {
      method: 'POST',
      url: new URL(connection.endpoint),
      body: { query: document.toString(), variables },
    });
  }
  const { res, body } = response;
  if (body.errors?.length || !body.data) throw new GraphQLRequestError(res.status, body.errors ?? []);
  return {
    data: body.data as R,
    transport: { method: options.persisted ? 'GET' : 'POST', hashOnly, cacheControl: res.headers.get('cache-control') },
  };
}

const COMMON_OPTIONS = {
  endpoint: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/**
 * Reads `--endpoint` (or GRAPHQL_ENDPOINT, default http://localhost:4000/graphql) and `--key`
 * (or API_KEY) plus the program's own options. Prints `usage` and exits on --help or without a key.
 */
export function cli<O extends NonNullable<ParseArgsConfig['options']>>(usage: string, options: O) {
  const parsed = parseArgs({ options: { ...COMMON_OPTIONS, ...options }, allowPositionals: false, strict: true });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const endpoint =
    (values.endpoint as string | undefined) ?? process.env.GRAPHQL_ENDPOINT ?? 'http://localhost:4000/graphql';
  const key = (values.key as string | undefined) ?? process.env.API_KEY;
  const help = `${usage}\n\nCommon options:\n  --endpoint URL   GraphQL endpoint (env GRAPHQL_ENDPOINT, default http://localhost:4000/graphql)\n  --key KEY        API key (env API_KEY); \`npm start\` prints the demo client's keys`;
  if (values.help) {
    console.log(help);
    process.exit(0);
  }
  if (!key) {
    console.error(`error: no API key: pass --key or set API_KEY\n\n${help}`);
    process.exit(2);
  }
  return { connection: { endpoint, key } satisfies Connection, values };
}

/** Runs an example's main: GraphQL errors are printed with their codes, exit code 1. */
export function run(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof GraphQLRequestError) console.error(`error (HTTP ${error.status}):\n${error.message}`);
    else console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
