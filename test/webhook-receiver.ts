// A real HTTP receiver on 127.0.0.1 for the webhook tests: records every request (headers and
// raw body) and answers as told: 200, another status, or never (a hung endpoint).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** 200 by default; a number answers that status; 'hang' never answers. */
  answer: number | 'hang';
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hung: Array<() => void> = [];
  const receiver = { received: [] as Received[], answer: 200 as number | 'hang' } as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (receiver.answer === 'hang') hung.push(() => res.destroy());
      else res.writeHead(receiver.answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = async () => {
    for (const end of hung) end();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}

/** A URL on 127.0.0.1 where nothing listens (a receiver that is down). */
export async function downUrl(): Promise<string> {
  const r = await startReceiver();
  const url = r.url;
  await r.close();
  return url;
}
