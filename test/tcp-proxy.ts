// A TCP proxy a test puts between the app and a server (PostgreSQL, Redis) to cut it: `up`,
// `blackhole` (connections stay open, nothing goes through: a network partition or a half-open
// connection) or `refuse` (every connection reset, new ones refused: the server is down).
import net from 'node:net';

export class TcpProxy {
  mode: 'up' | 'blackhole' | 'refuse' = 'up';
  private sockets = new Set<net.Socket>();
  private server = net.createServer((client) => this.accept(client));
  port = 0;

  constructor(private readonly targetPort: number) {}

  async listen() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** `url` with its host replaced by this proxy. */
  urlThrough(url: string): string {
    const u = new URL(url);
    u.host = `127.0.0.1:${this.port}`;
    return u.toString();
  }

  private track(s: net.Socket) {
    this.sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => this.sockets.delete(s));
  }

  private accept(client: net.Socket) {
    this.track(client);
    if (this.mode === 'refuse') return void client.destroy();
    if (this.mode === 'blackhole') return; // held open, never answered
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.track(upstream);
    client.on('data', (d) => this.mode === 'up' && upstream.write(d));
    upstream.on('data', (d) => this.mode === 'up' && client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Network partition: established connections go silent (not closed), new ones hang. */
  blackhole() {
    this.mode = 'blackhole';
  }

  /** Server down: every connection is reset and new ones are refused. */
  refuse() {
    this.mode = 'refuse';
    for (const s of this.sockets) s.destroy();
  }

  /** Back up. Connections that lived through the outage are gone (as after a failover). */
  restore() {
    for (const s of this.sockets) s.destroy();
    this.mode = 'up';
  }

  close() {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}
