// The limits the document analysis (query-analysis.ts) answers before execution: fields selected
// with fragments expanded (QUERY_MAX_FIELDS), selections nested past MAX_NESTING, and the cost
// (QUERY_MAX_COST). Each refusal is HTTP 400 and carries the request id like every fault does.
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { analyzeRequest } from './cost.ts';
import { type Analysis, NestingLimitError } from './query-analysis.ts';

export interface AnalysisLimits {
  maxCost: number;
  maxFields: number;
}

export interface Verdict {
  /** The operation's cost; 0 when refused before it was known. */
  cost: number;
  error?: GraphQLError;
}

function refusal(message: string, extensions: Record<string, unknown>, requestId: string | undefined) {
  return new GraphQLError(message, {
    extensions: { ...extensions, ...(requestId ? { requestId } : {}), http: { status: 400 } },
  });
}

export function checkOperation(
  request: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName?: string | null;
    variableValues?: Record<string, unknown> | null;
  },
  limits: AnalysisLimits,
  requestId: string | undefined,
): Verdict {
  let analysis: Analysis;
  try {
    analysis = analyzeRequest(request.schema, request.document, request.operationName, request.variableValues);
  } catch (error) {
    if (!(error instanceof NestingLimitError)) throw error;
    return {
      cost: 0,
      error: refusal(
        `${error.message} Flatten the query.`,
        { code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxNesting', max: error.max },
        requestId,
      ),
    };
  }
  const { cost, fields } = analysis;
  if (fields > limits.maxFields) {
    return {
      cost,
      error: refusal(
        `The query selects ${fields} fields with its fragments expanded; the limit is ${limits.maxFields}. Spread each fragment where it is needed once.`,
        { code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxFields', max: limits.maxFields, found: fields },
        requestId,
      ),
    };
  }
  if (cost > limits.maxCost) {
    return {
      cost,
      error: refusal(
        `Query cost ${cost} is over the limit of ${limits.maxCost}. Ask for smaller pages (first/last) or fewer nested connections.`,
        { code: 'QUERY_TOO_COMPLEX', cost, maxCost: limits.maxCost },
        requestId,
      ),
    };
  }
  return { cost };
}
