// A readable HTTP 415 for a body yoga cannot parse.
import type { Plugin } from 'graphql-yoga';

/** A body yoga cannot read (e.g. text/plain) gets an explanation, not an empty 415. */
export function useExplainedUnsupportedMediaType(): Plugin {
  return {
    onRequestParse({ requestParser, endResponse, fetchAPI }) {
      if (requestParser) return;
      const message = 'Unsupported Content-Type: send the GraphQL request as application/json.';
      const errors = [{ message, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }];
      endResponse(fetchAPI.Response.json({ errors }, { status: 415 }));
    },
  };
}
