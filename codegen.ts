// Typed client code for examples/: `npm run codegen` reads schema.graphql (the printed public
// contract) and every graphql(`...`) document under examples/, and writes examples/gql/:
//   gql.ts, graphql.ts  typed documents (TypedDocumentString: the query text plus its result and
//                       variable types) and every schema type the documents use
//   persisted-documents.json  sha256 hash → document: the trusted-documents manifest the server
//                       loads with TRUSTED_DOCUMENTS=storefront (see src/platform/http/trusted-documents.ts)
// The output is committed; CI regenerates it and fails when it differs (so a schema change that
// breaks a document fails codegen, and one that changes a type fails `npm run examples:typecheck`).
// The same for the tests' graphql(`...`) documents: test/gql/ (typed results for `t.gql`), without
// a persisted-documents manifest (test documents are never trusted ones).
import { readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { parse, print, visit, type ASTNode } from 'graphql';

/**
 * schema.graphql without its descriptions: the committed output then changes only when a type
 * the documents use changes, not when a description is edited (which needs no regeneration).
 */
const contract = print(
  visit(parse(readFileSync('schema.graphql', 'utf8')), {
    enter: (node: ASTNode) =>
      'description' in node && node.description ? { ...node, description: undefined } : undefined,
  }),
);

const clientConfig = {
  // Plain strings (no graphql-js in the client bundle); sent as they are by examples/client.ts.
  documentMode: 'string',
  // ESM under NodeNext: relative imports need their extension.
  emitLegacyCommonJSImports: false,
  useTypeImports: true,
  // Custom scalars as they travel in JSON.
  scalars: {
    Date: 'string',
    DateTime: 'string',
    EmailAddress: 'string',
    URL: 'string',
    JSONObject: 'Record<string, unknown>',
  },
};

const config: CodegenConfig = {
  schema: contract,
  ignoreNoDocuments: false,
  generates: {
    'examples/gql/': {
      documents: ['examples/**/*.ts', '!examples/gql/**'],
      preset: 'client',
      presetConfig: {
        // Hash = sha256 of the printed document, the same hash the APQ protocol sends.
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
        fragmentMasking: false,
      },
      config: clientConfig,
    },
    'test/gql/': {
      documents: ['test/**/*.ts', '!test/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: clientConfig,
    },
  },
};

export default config;
