// Cross-site safety. A browser sends some requests to another site without asking it first
// (no CORS preflight): GETs and POSTs whose body is a form (urlencoded, multipart) or text/plain
// and that carry no header a script set. Multipart and text/plain bodies are not read at all
// (415); yoga's CSRF prevention refuses to run GETs and form-urlencoded POSTs unless they carry
// CSRF_HEADER, which only a script can add and which makes the browser ask first; a JSON
// POST is always preflighted, so it needs nothing more. CORS then answers the preflight for the
// configured origins only (CORS_ORIGINS): an origin not on the list gets no CORS header at all, so
// the browser refuses to send the request or to show the answer to the page. Every answer says
// `Vary: Origin`, so a shared cache never hands one origin's answer to another.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import type { CORSOptions, Plugin } from 'graphql-yoga';

/** The header that lets a GET or a form-encoded POST run (yoga's default name). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** yoga's CSRF prevention, with a message that says what to send. */
export function useCrossSiteRequestCheck(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      // A body no parser reads (text/plain; multipart, which is off) never runs: 415 explains it.
      if (!payload.requestParser) return;
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw new GraphQLError(
          `Send the request as a POST with Content-Type: application/json, or add the header "${CSRF_HEADER}: 1" ` +
            '(GET requests and form or text bodies need it, so that no other web site can make a browser send them).',
          { extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } } },
        );
      }
    },
  };
}

/**
 * yoga's CORS, decided per request: an allowed origin gets itself back in
 * `Access-Control-Allow-Origin`; any other origin (or no Origin header) gets no CORS headers.
 */
export function corsFor(origins: readonly string[]): ((request: Request) => CORSOptions) | false {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id', CSRF_HEADER],
      exposedHeaders: ['x-request-id', 'retry-after'],
      credentials: false,
      maxAge: 600,
    };
  };
}

/** `Vary: Origin` on every answer (CORS headers depend on it). */
export function useVaryOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary') ?? '';
      if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) response.headers.append('vary', 'Origin');
    },
  };
}

/** An origin as browsers send it: scheme://host[:port], nothing else. Returns an error message or undefined. */
export function originProblem(origin: string): string | undefined {
  if (origin === '*') return 'list the origins; "*" would let every web site call the API from browsers';
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `"${origin}" is not an origin (scheme://host[:port])`;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin)
    return `"${origin}" is not an origin: write it as ${url.protocol === 'http:' || url.protocol === 'https:' ? `"${url.origin}"` : 'https://host[:port]'} (no path, no trailing slash)`;
  return undefined;
}
