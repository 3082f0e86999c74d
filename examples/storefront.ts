// A storefront product page: the product, its rating summary (and its family's, shared by all
// variants), the most helpful published reviews (with helpful votes and the shop's reply) and
// the newest answered questions. Sent as a
// persisted query over GET, so a CDN in front of the API can cache it (the server marks
// successful storefront GET reads `Cache-Control: public`).
//
//   npm run example:storefront -- --key pk_... --sku SHOE-42 [--reviews 5] [--questions 5]
import { cli, execute, run } from './client.ts';
import { graphql } from './gql/gql.ts';

const ProductPage = graphql(`
  query ProductPage($sku: String!, $reviews: Int!, $questions: Int!) {
    product(sku: $sku) {
      sku
      name
      url
      familyId
      ratingSummary {
        average
        count
        histogram
      }
      familyRatingSummary {
        average
        count
      }
      reviews(first: $reviews, orderBy: MOST_HELPFUL) {
        totalCount
        nodes {
          authorNick
          rating
          title
          content
          verified
          createdAt
          helpfulCount
          merchantReply {
            content
          }
        }
      }
      questions(first: $questions, answered: true, orderBy: NEWEST) {
        totalCount
        nodes {
          authorNick
          title
          content
          answer
        }
      }
    }
  }
`);

const USAGE = `Storefront product page (STOREFRONT key; published content only).

  npm run example:storefront -- --key pk_... --sku SKU [--reviews N] [--questions N]

  --sku SKU        the product (required)
  --reviews N      most helpful reviews to show (default 5)
  --questions N    newest answered questions to show (default 5)`;

const stars = (rating: number) => '★'.repeat(rating) + '☆'.repeat(5 - rating);
const average = (value: number | null | undefined) => (value == null ? '-' : value.toFixed(1));

run(async () => {
  const { connection, values } = cli(USAGE, {
    sku: { type: 'string' },
    reviews: { type: 'string' },
    questions: { type: 'string' },
  });
  const sku = values.sku as string | undefined;
  if (!sku) throw new Error('--sku is required');
  const variables = { sku, reviews: Number(values.reviews ?? 5), questions: Number(values.questions ?? 5) };
  const { data, transport } = await execute(connection, ProductPage, variables, { persisted: true });
  const product = data.product;
  if (!product) {
    console.log(`No product with sku ${sku}.`);
    return;
  }
  const summary = product.ratingSummary;
  console.log(`${product.name} (${product.sku})${product.url ? ` ${product.url}` : ''}`);
  console.log(`Rating: ${average(summary.average)} / 5 from ${summary.count} review${summary.count === 1 ? '' : 's'}`);
  if (product.familyId) {
    const family = product.familyRatingSummary;
    console.log(`Family ${product.familyId}: ${average(family.average)} / 5 from ${family.count} reviews`);
  }
  summary.histogram
    .map((count, i) => `  ${i + 1} ★ ${'#'.repeat(count)} ${count}`)
    .reverse()
    .forEach((line) => {
      console.log(line);
    });

  console.log(`Reviews (${product.reviews.nodes.length} of ${product.reviews.totalCount}, most helpful first):`);
  for (const r of product.reviews.nodes) {
    console.log(
      `  ${stars(r.rating)} "${r.title}" by ${r.authorNick}${r.verified ? ' (verified purchase)' : ''}, ${r.createdAt.slice(0, 10)}`,
    );
    console.log(`    ${r.content}`);
    if (r.helpfulCount > 0) console.log(`    ${r.helpfulCount} found this helpful`);
    if (r.merchantReply) console.log(`    Reply from the shop: ${r.merchantReply.content}`);
  }
  console.log(`Questions (${product.questions.nodes.length} of ${product.questions.totalCount}):`);
  for (const q of product.questions.nodes) {
    console.log(`  Q: ${q.title} (${q.authorNick}) ${q.content}`);
    console.log(`  A: ${q.answer}`);
  }
  const how = transport.hashOnly ? 'persisted query (hash only)' : 'persisted query, registered now';
  console.log(`Fetched with GET, ${how}; Cache-Control: ${transport.cacheControl ?? '(none)'}`);
});
