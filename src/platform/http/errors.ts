// What callers see of faults. Errors raised on purpose (GraphQLError, DomainError) pass as they
// are. Database failures we understand map to stable codes; anything else becomes a bare
// INTERNAL_SERVER_ERROR. Either way the response carries the request id, never a stack, SQL or
// Prisma text, and the fault is logged (safely) under the same request id.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DomainError } from '../rules/errors.ts';
import { safeError, type Logger } from '../logger.ts';
import { currentRequestState, requestStateOf } from './request-state.ts';

export type FaultCode = 'SERVICE_UNAVAILABLE' | 'CONFLICT' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'INTERNAL_SERVER_ERROR';

const PUBLIC: Record<FaultCode, { message: string; status?: number; headers?: Record<string, string> }> = {
  SERVICE_UNAVAILABLE: {
    message: 'The database is unavailable or too slow right now. Retry in a few seconds.',
    status: 503,
    headers: { 'Retry-After': '5' },
  },
  CONFLICT: { message: 'A concurrent write touched the same record. Retry the request.' },
  NOT_FOUND: { message: 'The record was not found; it may have been removed meanwhile.' },
  BAD_USER_INPUT: {
    message:
      'The input holds a value the database cannot store (for example a NUL character or an out-of-range number).',
  },
  INTERNAL_SERVER_ERROR: { message: 'Unexpected error.' },
};

// Prisma codes: P1001 unreachable, P1002 timed out reaching, P1008 operation timeout, P1017
// server closed the connection, P2024 pool timeout, P2028 transaction API (start/expiry timeouts).
const UNAVAILABLE_PRISMA = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
// Driver adapter error kinds with the same meaning.
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// SQLSTATE classes 08 connection exception, 28 invalid authorization (the server refuses our
// login), 53 insufficient resources (53300 too many connections), 57 operator intervention
// (57014 statement timeout, 57P01 terminated by an administrator, 57P03 cannot connect now);
// 3D000 the database does not exist, 55000 it is not accepting connections (ALLOW_CONNECTIONS
// false; Prisma reports it as P2039 with that SQLSTATE).
const UNAVAILABLE_SQLSTATE = /^(08|28|53|57|3D000$|55000$)/;
// node-postgres raises plain Errors for connect/read timeouts and dropped sockets.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|the database system is (starting up|shutting down)/;

interface Facts {
  prismaCodes: string[];
  kinds: string[];
  sqlStates: string[];
  messages: string[];
}

/** Collects codes along the error, its causes and Prisma's driver adapter error. */
function facts(
  error: unknown,
  into: Facts = { prismaCodes: [], kinds: [], sqlStates: [], messages: [] },
  depth = 0,
): Facts {
  if (!error || typeof error !== 'object' || depth > 5) return into;
  const e = error as Record<string, any>;
  if (typeof e.code === 'string') (/^P\d{4}$/.test(e.code) ? into.prismaCodes : into.sqlStates).push(e.code);
  if (typeof e.kind === 'string') into.kinds.push(e.kind);
  if (typeof e.originalCode === 'string') into.sqlStates.push(e.originalCode);
  if (typeof e.message === 'string') into.messages.push(e.message);
  facts(e.cause, into, depth + 1);
  facts(e.meta?.driverAdapterError, into, depth + 1);
  return into;
}

export function classifyFault(error: unknown): FaultCode {
  const f = facts(error);
  const has = (list: string[], test: (v: string) => boolean) => list.some(test);
  if (
    has(f.prismaCodes, (c) => UNAVAILABLE_PRISMA.has(c)) ||
    has(f.kinds, (k) => UNAVAILABLE_KINDS.has(k)) ||
    has(f.sqlStates, (s) => UNAVAILABLE_SQLSTATE.test(s) || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|PIPE)$/.test(s)) ||
    has(f.messages, (m) => UNAVAILABLE_MESSAGE.test(m))
  ) {
    return 'SERVICE_UNAVAILABLE';
  }
  if (
    has(f.prismaCodes, (c) => c === 'P2002' || c === 'P2034') ||
    f.kinds.includes('UniqueConstraintViolation') ||
    f.sqlStates.includes('23505')
  ) {
    return 'CONFLICT';
  }
  if (has(f.prismaCodes, (c) => c === 'P2025' || c === 'P2001' || c === 'P2015' || c === 'P2018')) return 'NOT_FOUND';
  // SQLSTATE class 22 (data exception: NUL in text, numeric out of range, bad encoding), Prisma
  // P2000 value too long / P2020 out of range: the caller's data, not our fault. Inputs should
  // be validated before they get here; this keeps a missed rule from looking like a crash.
  if (has(f.sqlStates, (s) => s.startsWith('22')) || has(f.prismaCodes, (c) => c === 'P2000' || c === 'P2020'))
    return 'BAD_USER_INPUT';
  return 'INTERNAL_SERVER_ERROR';
}

/** Duck-typed: graphql may be loaded twice (ESM and CJS), so instanceof is not reliable. */
export function isGraphQLError(e: unknown): e is GraphQLError {
  return e instanceof Error && e.name === 'GraphQLError';
}

/** True for errors whose message is meant for the caller. */
function isIntended(error: unknown): boolean {
  if (error instanceof DomainError) return true;
  return isGraphQLError(error) && (!error.originalError || isIntended(error.originalError));
}

export interface FaultReport {
  requestId?: string;
  logger?: Logger;
  /** Outside execution (building the context) a fault has no data beside it: use 500/503. */
  wholeRequest?: boolean;
}

/** Returns the error to send for `error` (itself when intended) and logs faults. */
export function publicError(error: unknown, report: FaultReport): GraphQLError {
  if (isIntended(error)) {
    if (isGraphQLError(error)) return error;
    const d = error as DomainError;
    return new GraphQLError(d.message, { extensions: { code: d.code } });
  }
  const gql = isGraphQLError(error) ? error : undefined;
  const original = gql?.originalError ?? error;
  const code = classifyFault(original);
  const { message, status, headers } = PUBLIC[code];
  const httpStatus = status ?? (report.wholeRequest && code === 'INTERNAL_SERVER_ERROR' ? 500 : undefined);
  report.logger?.[code === 'INTERNAL_SERVER_ERROR' ? 'error' : 'warn'](
    {
      requestId: report.requestId,
      code,
      path: gql?.path?.join('.'),
      err: safeError(original, { stack: code === 'INTERNAL_SERVER_ERROR' }),
    },
    code === 'INTERNAL_SERVER_ERROR' ? 'unexpected fault' : 'database fault',
  );
  return new GraphQLError(message, {
    nodes: gql?.nodes,
    path: gql?.path,
    extensions: {
      code,
      ...(report.requestId ? { requestId: report.requestId } : {}),
      ...(httpStatus ? { http: { status: httpStatus, headers } } : {}),
    },
  });
}

/** Maps execution errors (resolver faults) with the request's id. */
export function useErrorMapping(logger: Logger): Plugin {
  return {
    onExecute({ args }) {
      const state = requestStateOf(args.contextValue);
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const errors = result.errors.map((e) => publicError(e, { requestId: state?.requestId, logger }));
          setResult({ ...result, errors });
        },
      };
    },
  };
}

/**
 * graphql-js's parse and validation errors (and variable coercion) follow the GraphQL-over-HTTP
 * rule for legacy clients: HTTP 200 when the caller accepts only `application/json`, 400 with
 * `application/graphql-response+json`. Every other error that sets a status (a malformed body,
 * the query limits, the cost limit, the rate limit…) keeps it whatever `Accept` says, so a
 * proxy or client can act on the status alone.
 */
const STATUS_BY_ACCEPT = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/**
 * graphql-js's own request errors (variables, operation kind) have no code; give them one.
 * yoga's JSON parse error echoes the body in `extensions.originalError`: drop it (the body may
 * hold personal data, and the message says enough). yoga marks some errors `http.spec` (status
 * by Accept): only those of STATUS_BY_ACCEPT keep the mark.
 */
function withCode(error: GraphQLError): GraphQLError {
  const { originalError, ...extensions } = error.extensions ?? {};
  const code = String(extensions.code ?? (/^Variable "\$/.test(error.message) ? 'BAD_USER_INPUT' : 'BAD_REQUEST'));
  const http = extensions.http as { spec?: boolean } | undefined;
  const fixStatus = http?.spec === true && !STATUS_BY_ACCEPT.has(code);
  if (extensions.code && originalError === undefined && !fixStatus) return error;
  if (fixStatus) {
    const { spec: _spec, ...rest } = http;
    extensions.http = rest;
  }
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...extensions, code },
  });
}

/** Every error in a response has `extensions.code`. */
export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      const fix = (r: unknown) => {
        const res = r as { errors?: readonly unknown[] };
        if (!res || typeof res !== 'object' || !Array.isArray(res.errors)) return r;
        return { ...res, errors: res.errors.map((e) => (isGraphQLError(e) ? withCode(e) : e)) };
      };
      if (Array.isArray(result)) setResult(result.map(fix) as typeof result);
      else if (!(Symbol.asyncIterator in result)) setResult(fix(result) as typeof result);
    },
  };
}

/**
 * yoga's last line of defence (faults outside execution and context building, e.g. thrown inside
 * a plugin): masks all but intended errors, with the request's id (request-state.ts).
 */
export function maskError(logger: Logger) {
  return (error: unknown): Error =>
    publicError(error, { logger, wholeRequest: true, requestId: currentRequestState()?.requestId });
}
