// The typed client examples against a real server process, as a merchant would run them: the
// CLI makes a client and its keys, the server starts (PGlite in a temp dir, or a throwaway
// PostgreSQL database) with TRUSTED_DOCUMENTS=storefront and codegen's manifest, data goes in
// through the API, then examples/order-sync.ts, storefront.ts, invitations.ts and privacy.ts run as child
// processes and their output is checked line by line. A schema change that breaks a document
// fails here (and in codegen / examples:typecheck before).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from './helpers.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'examples-test-'));
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', PGLITE_DIR: join(dir, 'pglite') };
delete env.DATABASE_URL;
delete env.GRAPHQL_ENDPOINT;
delete env.API_KEY;

let pgdb: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
let server: ChildProcess | undefined;
let endpoint: string;
let keys: { admin: string; support: string; storefront: string };
/** A second client for the invitation mailer, whose orders are delivered relative to today. */
let mailerKeys: { admin: string; support: string; storefront: string };

/** Runs a TypeScript program of this repository; never rejects (exit code in `code`). */
async function tsx(file: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file, ...args], {
      env: { ...env, ...extraEnv },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const error = e as { code?: number; stdout?: string; stderr?: string };
    return { code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
  }
}

function startServer(): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      TRUSTED_DOCUMENTS: 'storefront',
      TRUSTED_DOCUMENTS_MANIFEST: 'examples/gql/persisted-documents.json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = proc;
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(output)?.[1];
      if (url) resolve(url);
    };
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    proc.on('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

/** A GraphQL call that must succeed without errors; returns the data. */
async function gql(key: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

/** The union member a mutation returned, which must be its Success type. */
async function mutate(
  key: string,
  field: string,
  inputType: string,
  input: Record<string, unknown>,
  selection: string,
) {
  const data = await gql(
    key,
    `mutation($input: ${inputType}!) { ${field}(input: $input) { __typename ${selection} ... on Error { message } } }`,
    { input },
  );
  expect(data[field].__typename, JSON.stringify(data[field])).toMatch(/Success$/);
  return data[field];
}

const order = (externalId: string, customer: Record<string, unknown>, skus: string[]) =>
  mutate(
    keys.admin,
    'upsertOrder',
    'UpsertOrderInput',
    { externalId, customer, items: skus.map((sku) => ({ sku, deliveryDate: '2026-11-02' })) },
    '',
  );

async function publishedReview(input: Record<string, unknown>) {
  const r = await mutate(
    keys.admin,
    'submitReview',
    'SubmitReviewInput',
    input,
    '... on SubmitReviewSuccess { review { id } }',
  );
  await mutate(keys.admin, 'moderateReview', 'ModerateReviewInput', { id: r.review.id, action: 'PUBLISH' }, '');
}

/** Seeds with the ADMIN key: under TRUSTED_DOCUMENTS=storefront the storefront key runs manifest documents only. */
async function seed() {
  await mutate(
    keys.admin,
    'upsertProducts',
    'UpsertProductsInput',
    {
      products: [
        { sku: 'SHOE-42', familyId: 'SHOE', name: 'Trail shoe 42', url: 'https://shop.example/shoe-42' },
        { sku: 'SHOE-43', familyId: 'SHOE', name: 'Trail shoe 43' },
        { sku: 'MUG-1', name: 'Mug' },
      ],
    },
    '',
  );
  const ada = { externalId: 'c-42', name: 'Ada', email: 'Ada@Example.com' };
  await order('o-1', ada, ['SHOE-42', 'MUG-1']);
  await order('o-2', { externalId: 'c-7', email: 'bo@example.com' }, ['MUG-1']);
  await order('o-3', ada, ['SHOE-43']);
  await order('o-4', { externalId: 'c-8', email: 'cy@example.com' }, ['SHOE-42']);
  await order('o-5', { externalId: 'c-9' }, ['MUG-1']);
  await mutate(keys.admin, 'cancelOrderItem', 'CancelOrderItemInput', { orderExternalId: 'o-4', sku: 'SHOE-42' }, '');

  const review = { content: 'Light and grippy.', authorEmail: 'ada@example.com' };
  await publishedReview({
    ...review,
    productSku: 'SHOE-42',
    rating: 5,
    title: 'Best trail shoe',
    authorNick: 'ada',
    orderExternalId: 'o-1',
  });
  await publishedReview({
    ...review,
    productSku: 'SHOE-42',
    rating: 3,
    title: 'Runs small',
    authorNick: 'bo',
    authorEmail: 'bo@example.com',
  });
  await publishedReview({
    ...review,
    productSku: 'SHOE-43',
    rating: 4,
    title: 'Solid',
    authorNick: 'cy',
    authorEmail: 'cy@example.com',
  });
  // Pending: never on the storefront.
  await mutate(
    keys.admin,
    'submitReview',
    'SubmitReviewInput',
    { ...review, productSku: 'SHOE-42', rating: 1, title: 'Pending', authorNick: 'x', authorEmail: 'x@example.com' },
    '',
  );

  const q = await mutate(
    keys.admin,
    'askQuestion',
    'AskQuestionInput',
    {
      productSku: 'SHOE-42',
      title: 'Waterproof?',
      content: 'Does it keep rain out?',
      authorNick: 'ada',
      authorEmail: 'ada@example.com',
      orderExternalId: 'o-1',
    },
    '... on AskQuestionSuccess { question { id } }',
  );
  await mutate(
    keys.admin,
    'answerQuestion',
    'AnswerQuestionInput',
    { id: q.question.id, answer: 'Yes, it has a membrane.' },
    '',
  );
  await mutate(keys.admin, 'moderateQuestion', 'ModerateQuestionInput', { id: q.question.id, action: 'PUBLISH' }, '');
  await mutate(
    keys.admin,
    'submitSellerReview',
    'SubmitSellerReviewInput',
    {
      rating: 5,
      title: 'Fast delivery',
      content: 'Two days.',
      authorNick: 'ada',
      authorEmail: 'ada@example.com',
      orderExternalId: 'o-1',
    },
    '',
  );
}

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) {
    pgdb = await createPostgresDatabase(process.env.TEST_DATABASE_URL);
    env.DATABASE_URL = pgdb.url;
  }
  const created = await tsx('src/cli.ts', ['client', 'create', 'shop', '--name', 'Example shop', '--json']);
  expect(created.code, created.stderr).toBe(0);
  keys = JSON.parse(created.stdout).keys;
  const mailer = await tsx('src/cli.ts', ['client', 'create', 'mailer-shop', '--json']);
  expect(mailer.code, mailer.stderr).toBe(0);
  mailerKeys = JSON.parse(mailer.stdout).keys;
  endpoint = await startServer();
  await seed();
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await pgdb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe('examples/order-sync.ts', () => {
  it('pulls every order page by page, then only the new ones from the printed watermark', async () => {
    const full = await tsx('examples/order-sync.ts', ['--endpoint', endpoint, '--key', keys.admin, '--page-size', '2']);
    expect(full.stderr).toBe('');
    expect(full.code).toBe(0);
    const lines = full.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).map((l) => l.replace(new RegExp(ISO), 'T'))).toEqual([
      'o-1\tT\tc-42 <ada@example.com>\tSHOE-42 (invite), MUG-1 (invite)',
      'o-2\tT\tc-7 <bo@example.com>\tMUG-1 (invite)',
      'o-3\tT\tc-42 <ada@example.com>\tSHOE-43 (invite)',
      'o-4\tT\tc-8 <cy@example.com>\tSHOE-42 (cancelled)',
      'o-5\tT\tc-9\tMUG-1 (invite)',
      'Synced 5 of 5 orders in 3 pages.',
    ]);
    // The watermark is the newest order's createdAt.
    const watermark = lines[4].split('\t')[1];
    expect(lines.at(-1)).toBe(`Next run: --since ${watermark}`);

    const none = await tsx('examples/order-sync.ts', ['--since', watermark], {
      GRAPHQL_ENDPOINT: endpoint,
      API_KEY: keys.support,
    });
    expect(none).toEqual({
      code: 0,
      stderr: '',
      stdout: `Synced 0 of 0 orders in 1 page.\nNext run: --since ${watermark}\n`,
    });

    await order('o-6', { externalId: 'c-7' }, ['SHOE-43']);
    const next = await tsx('examples/order-sync.ts', [
      '--endpoint',
      endpoint,
      '--key',
      keys.admin,
      '--since',
      watermark,
    ]);
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(
      new RegExp(
        `^o-6\\t${ISO}\\tc-7 <bo@example.com>\\tSHOE-43 \\(invite\\)\\nSynced 1 of 1 orders in 1 page\\.\\nNext run: --since ${ISO}\\n$`,
      ),
    );
  });
});

describe('examples/storefront.ts', () => {
  it('shows the product page from a trusted document sent by hash over GET, cacheable by a CDN', async () => {
    const page = await tsx('examples/storefront.ts', [
      '--endpoint',
      endpoint,
      '--key',
      keys.storefront,
      '--sku',
      'SHOE-42',
    ]);
    expect(page.stderr).toBe('');
    expect(page.code).toBe(0);
    expect(page.stdout.split('\n')).toEqual([
      'Trail shoe 42 (SHOE-42) https://shop.example/shoe-42',
      'Rating: 4.0 / 5 from 2 reviews',
      'Family SHOE: 4.0 / 5 from 3 reviews',
      '  5 ★ # 1',
      '  4 ★  0',
      '  3 ★ # 1',
      '  2 ★  0',
      '  1 ★  0',
      'Reviews (2 of 2):',
      expect.stringMatching(/^ {2}★★★☆☆ "Runs small" by bo, \d{4}-\d\d-\d\d$/),
      '    Light and grippy.',
      expect.stringMatching(/^ {2}★★★★★ "Best trail shoe" by ada \(verified purchase\), \d{4}-\d\d-\d\d$/),
      '    Light and grippy.',
      'Questions (1 of 1):',
      '  Q: Waterproof? (ada) Does it keep rain out?',
      '  A: Yes, it has a membrane.',
      'Fetched with GET, persisted query (hash only); Cache-Control: public, max-age=45, stale-while-revalidate=15',
      '',
    ]);
  });

  it('a wrong key fails with the server’s code and exit code 1', async () => {
    const res = await tsx('examples/storefront.ts', ['--endpoint', endpoint, '--key', 'pk_wrong', '--sku', 'SHOE-42']);
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error (HTTP 401):\nUNAUTHENTICATED: The API key is not valid: unknown, malformed or revoked.\n',
    });
  });
});

describe('examples/invitations.ts', () => {
  it('claims the due invitations, prints one mail per customer with a review link per item, and confirms them', async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const admin = mailerKeys.admin;
    await mutate(
      admin,
      'upsertProducts',
      'UpsertProductsInput',
      {
        products: [
          { sku: 'BOOT', name: 'Hiking boot', url: 'https://shop.example/boot' },
          { sku: 'CAP', name: 'Cap' },
        ],
      },
      '',
    );
    await mutate(admin, 'updateReviewInvitationSettings', 'UpdateReviewInvitationSettingsInput', { delayDays: 0 }, '');
    const buy = (externalId: string, customer: Record<string, unknown>, skus: string[]) =>
      mutate(
        admin,
        'upsertOrder',
        'UpsertOrderInput',
        {
          externalId,
          customer,
          items: skus.map((sku) => ({ sku, deliveryDate: yesterday })),
        },
        '',
      );
    await buy('m-1', { externalId: 'dee', name: 'Dee', email: 'dee@example.com' }, ['BOOT', 'CAP']);
    await buy('m-2', { externalId: 'eli', email: 'eli@example.com' }, ['CAP']);
    await buy('m-3', { externalId: 'fay', email: 'fay@example.com', optOut: true }, ['CAP']);

    const res = await tsx('examples/invitations.ts', ['--endpoint', endpoint, '--key', admin, '--limit', '1']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const token = '([A-Za-z0-9_-]{50})';
    const link = `    review it: https://shop\\.example/review\\?token=${token}`;
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(new RegExp(token), 'TOKEN'))).toEqual([
      `To: Dee <dee@example.com> (order m-1, due ${yesterday})`,
      '  Hiking boot https://shop.example/boot',
      '    review it: https://shop.example/review?token=TOKEN',
      '  Cap',
      '    review it: https://shop.example/review?token=TOKEN',
      `To: eli@example.com (order m-2, due ${yesterday})`,
      '  Cap',
      '    review it: https://shop.example/review?token=TOKEN',
      'Sent 2 invitations.',
    ]);
    expect(await tsx('examples/invitations.ts', ['--endpoint', endpoint, '--key', admin])).toEqual({
      code: 0,
      stderr: '',
      stdout: 'No invitation is due.\n',
    });

    // The link of Dee's boot makes a verified review without e-mail or order number.
    const bootToken = new RegExp(link).exec(lines[2])![1];
    const review = await mutate(
      admin,
      'submitReview',
      'SubmitReviewInput',
      {
        reviewToken: bootToken,
        rating: 5,
        title: 'Dry feet',
        content: 'Through every puddle.',
        authorNick: 'dee',
      },
      '... on SubmitReviewSuccess { review { productSku verified } }',
    );
    expect(review.review).toEqual({ productSku: 'BOOT', verified: true });
  });
});

describe('examples/privacy.ts', () => {
  it('looks up, dry-runs, erases and shows the audit trail', async () => {
    const res = await tsx('examples/privacy.ts', [
      '--endpoint',
      endpoint,
      '--key',
      keys.admin,
      '--email',
      'ADA@example.com',
      '--erase',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const counts =
      'customers 1, orders 2, order items 3, reviews 1, questions 1, seller reviews 1, review invitations 2';
    const lines = res.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(new RegExp(ISO, 'g'), 'T').replace(/request \S+ /, 'request ID '));
    expect(lines).toEqual([
      'Personal data of e-mail ADA@example.com: 1 customers, 1 reviews, 1 questions, 1 seller reviews',
      '  customer c-42 Ada <ada@example.com>, 2 orders',
      '  review of SHOE-42 "Best trail shoe" PUBLISHED',
      '  question on SHOE-42 "Waterproof?" PUBLISHED',
      '  seller review "Fast delivery" PENDING',
      `Dry run (nothing erased), would erase: ${counts}`,
      '  request ID SUCCEEDED',
      `Erased: ${counts}`,
      '  request ID SUCCEEDED, remaining 0',
      'After erasure: 0 customers, 0 reviews, 0 questions, 0 seller reviews',
      'Audit trail for this subject (2 requests, newest first; the subject itself is not stored):',
      expect.stringMatching(new RegExp(`^  T SUCCEEDED erasure by sk_\\S{8} \\(ADMIN "[^"]+"\\): ${counts}$`)),
      expect.stringMatching(new RegExp(`^  T SUCCEEDED dry run by sk_\\S{8} \\(ADMIN "[^"]+"\\): ${counts}$`)),
    ]);
    // Nothing of Ada is left on the storefront either: her review and question are gone.
    const page = await tsx('examples/storefront.ts', [
      '--endpoint',
      endpoint,
      '--key',
      keys.storefront,
      '--sku',
      'SHOE-42',
    ]);
    expect(page.stdout).toContain('Rating: 3.0 / 5 from 1 review\n');
    expect(page.stdout).toContain('Reviews (1 of 1):\n');
    expect(page.stdout).toContain('Questions (0 of 0):\n');
  });
});
