// One signed POST of an event to an endpoint, per the Standard Webhooks spec: `webhook-id`
// (the event id, the same on every retry, so receivers can deduplicate), `webhook-timestamp`
// (seconds) and `webhook-signature` ("v1,<base64 HMAC-SHA256>"; two, space-separated, while a
// rotated secret still signs). No redirects are followed; the connection goes through the SSRF
// guard's lookup; the response body is not read beyond its status.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import { isIP } from 'node:net';
import { guardedLookup, hostOf, isForbiddenAddress, schemeProblem } from './address-guard.ts';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, in words without the payload (null on success). */
  error: string | null;
}

/** The `webhook-signature` header: one signature per secret. */
export function signatures(secrets: string[], id: string, at: Date, body: string): string {
  return secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ');
}

export interface SendOptions {
  url: string;
  secrets: string[];
  id: string;
  body: string;
  at: Date;
  timeoutMs: number;
  allowedHttpHosts: string[];
}

/** Why the URL may not be reached now (scheme, or an IP literal that is not public), or null. */
function urlProblem(target: URL, allowedHttpHosts: string[]): string | null {
  const scheme = schemeProblem(target, allowedHttpHosts);
  if (scheme) return `The URL ${scheme}.`;
  const host = hostOf(target);
  // Node connects to an IP literal without a lookup, so the guard checks it here.
  if (isIP(host) && isForbiddenAddress(host) && !allowedHttpHosts.includes(host))
    return `Refused: ${host} is not a public address.`;
  return null;
}

export async function send(options: SendOptions): Promise<SendResult> {
  const target = new URL(options.url);
  const problem = urlProblem(target, options.allowedHttpHosts);
  if (problem) return { ok: false, statusCode: null, error: problem };
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const done = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(
      target,
      {
        method: 'POST',
        lookup: guardedLookup(options.allowedHttpHosts) as never,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'merchant-data-api-webhooks/1',
          'webhook-id': options.id,
          'webhook-timestamp': String(Math.floor(options.at.getTime() / 1000)),
          'webhook-signature': signatures(options.secrets, options.id, options.at, options.body),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        const ok = status >= 200 && status < 300;
        done({ ok, statusCode: status, error: ok ? null : `The endpoint answered HTTP ${status}.` });
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, statusCode: null, error: `No answer within ${options.timeoutMs} ms.` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'EADDRNOTPUBLIC';
      done({
        ok: false,
        statusCode: null,
        error: refused ? `Refused: ${error.message}.` : `Could not connect (${error.code ?? 'network error'}).`,
      });
    });
    req.end(options.body);
  });
}
