// The request body limit (MAX_BODY_BYTES), in place of yoga's `maxRequestBodySize`. Yoga pipes
// every body through a counting TransformStream even when Content-Length already bounds it; on
// Node 20 each such pipeline ends by aborting an AbortController, whose DOMException (with its
// stack trace) cost ≈ 8 % of a cached storefront request's CPU (bench/NOTES.md). Here:
// - a Content-Length over the limit: 413 before anything is read; a malformed one: 400;
// - a valid Content-Length within the limit: read as is. Node's HTTP parser never hands over
//   more body bytes than Content-Length says (the rest would be the next request);
// - no Content-Length (chunked, or a stream given to app.fetch): counted while read, 413 as
//   soon as it goes over, as yoga does.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const tooLarge = () =>
  new GraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });
const badLength = () =>
  new GraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });

export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        // One non-negative integer only: "10, 10" or "-1" (smuggling attempts) are refused.
        if (!/^\d+$/.test(length)) throw badLength();
        if (Number(length) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser((req) => {
        let read = 0;
        const Transform = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        const counted = req.body!.pipeThrough(
          new Transform({
            transform(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>) {
              read += chunk.byteLength;
              if (read > limit) controller.error(tooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        const init = { method: req.method, headers: req.headers, signal: req.signal, body: counted, duplex: 'half' };
        return requestParser(new fetchAPI.Request(req.url, init as RequestInit));
      });
    },
  };
}
