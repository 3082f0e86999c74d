// Documents registered by automatic persisted queries, kept per process and per client: each
// client has its own store of at most `perClient` documents (least recently used dropped
// first), so one tenant registering thousands of documents (any holder of its public
// storefront key can) only ever evicts its own, never another tenant's.
export class RegisteredDocuments {
  private readonly byClient = new Map<string, Map<string, string>>();

  constructor(private readonly perClient: number) {}

  /** The client's document with this hash; marks it recently used. */
  get(clientId: string, hash: string): string | undefined {
    const documents = this.byClient.get(clientId);
    const document = documents?.get(hash);
    if (documents && document !== undefined) {
      documents.delete(hash); // Map order is the LRU order.
      documents.set(hash, document);
    }
    return document;
  }

  has(clientId: string, hash: string): boolean {
    return this.byClient.get(clientId)?.has(hash) ?? false;
  }

  set(clientId: string, hash: string, document: string): void {
    let documents = this.byClient.get(clientId);
    if (!documents) {
      documents = new Map();
      this.byClient.set(clientId, documents);
    }
    documents.delete(hash);
    documents.set(hash, document);
    if (documents.size > this.perClient) documents.delete(documents.keys().next().value!);
  }

  /** Documents the client holds now. */
  size(clientId: string): number {
    return this.byClient.get(clientId)?.size ?? 0;
  }
}
