// Demo shopper content for the seeded store: reviews (mostly positive, many verified through
// the seeded orders, mostly published), product questions (some answered) and seller reviews.
// Written through the same domain functions the API uses, so every rule applies.
import type { Db } from '../../platform/db/client.ts';
import { moderate, type ContentKind } from '../content/content.ts';
import { answerQuestion, askQuestion } from '../content/questions.ts';
import { submitReview } from '../content/reviews.ts';
import { submitSellerReview } from '../content/seller-reviews.ts';

/** What seedDemo bought: one entry per order. */
export interface SeededOrder {
  externalId: string;
  email: string;
  nick: string;
  deliveredSkus: string[];
}

const TEXTS: Record<number, [string, string][]> = {
  5: [
    ['Perfect', 'Exactly as described and very well made. Would buy again.'],
    ['Love it', 'Great quality for the price; it survived a wet week in the mountains.'],
    ['Best purchase this year', 'Comfortable from the first day, and the colour is even nicer in person.'],
  ],
  4: [
    ['Very good', 'Solid and comfortable. Runs a little small, order one size up.'],
    ['Happy with it', 'Does the job well; the finish could be a bit better.'],
  ],
  3: [['Okay', 'Decent, but not as sturdy as I hoped. Fine for occasional use.']],
  2: [['Disappointing', 'The stitching came loose after two weeks.']],
  1: [['Broke quickly', 'Fell apart on the second trip. Returned it.']],
};

const SELLER_TEXTS: Record<number, [string, string]> = {
  5: ['Fast and friendly', 'Delivered in two days, well packed, and support answered within the hour.'],
  4: ['Good shop', 'Quick delivery; the tracking link did not work at first.'],
  3: ['Average', 'The parcel arrived a week late, but the goods were fine.'],
  2: ['Slow', 'Took three weeks and nobody answered my e-mails.'],
  1: ['Never again', 'Wrong size sent and the return took a month.'],
};

const QUESTIONS: [string, string, string | null][] = [
  ['Waterproof?', 'Can I use it in heavy rain?', 'Yes: taped seams and a 10,000 mm membrane.'],
  ['Sizing', 'Does it run true to size?', 'It runs slightly small; most customers take one size up.'],
  ['Warranty', 'How long is the warranty?', 'Two years on material and workmanship.'],
  ['Care', 'Can it go in the washing machine?', null],
  ['Weight', 'How heavy is it exactly?', null],
];

/** Ratings skewed positive like real stores: 45 % five stars, 30 % four, then fewer. */
function ratingOf(r: number): number {
  if (r < 0.45) return 5;
  if (r < 0.75) return 4;
  if (r < 0.87) return 3;
  if (r < 0.94) return 2;
  return 1;
}

/** Most content is published; some waits for moderation, a little is rejected. */
async function moderateSome(db: Db, clientId: string, kind: ContentKind, id: string, r: number) {
  if (r < 0.1) return 'PENDING';
  const action = r < 0.14 ? 'REJECT' : 'PUBLISH';
  await moderate(db, clientId, kind, { id, action });
  return action;
}

export async function seedContent(db: Db, clientId: string, orders: SeededOrder[], skus: string[], rand: () => number) {
  const counts = { reviews: 0, verifiedReviews: 0, questions: 0, answeredQuestions: 0, sellerReviews: 0 };
  if (await db.review.count({ where: { clientId } })) return counts; // seeded before: keep it as it is
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  for (const order of orders) {
    for (const sku of order.deliveredSkus) {
      if (rand() > 0.6) continue;
      const rating = ratingOf(rand());
      const [title, content] = pick(TEXTS[rating]);
      const { id } = await submitReview(db, clientId, {
        productSku: sku,
        rating,
        title,
        content,
        authorNick: order.nick,
        authorEmail: order.email,
        orderExternalId: order.externalId,
      });
      await moderateSome(db, clientId, 'review', id, rand());
      counts.reviews++;
      counts.verifiedReviews++;
    }
    if (rand() < 0.35) {
      const rating = ratingOf(rand());
      const [title, content] = SELLER_TEXTS[rating];
      const { id } = await submitSellerReview(db, clientId, {
        rating,
        title,
        content,
        authorNick: order.nick,
        authorEmail: order.email,
        orderExternalId: order.externalId,
      });
      await moderateSome(db, clientId, 'sellerReview', id, rand());
      counts.sellerReviews++;
    }
  }
  // Anonymous shoppers: unverified reviews and questions without an order.
  for (let i = 0; i < Math.max(5, Math.floor(orders.length / 5)); i++) {
    const rating = ratingOf(rand());
    const [title, content] = pick(TEXTS[rating]);
    const { id } = await submitReview(db, clientId, {
      productSku: pick(skus),
      rating,
      title,
      content,
      authorNick: `guest${i + 1}`,
      authorEmail: `guest${i + 1}@example.net`,
    });
    await moderateSome(db, clientId, 'review', id, rand());
    counts.reviews++;
  }
  for (let i = 0; i < Math.max(5, Math.floor(orders.length / 4)); i++) {
    const [title, content, answer] = pick(QUESTIONS);
    const { id } = await askQuestion(db, clientId, {
      productSku: pick(skus),
      title,
      content,
      authorNick: `curious${i + 1}`,
      authorEmail: `curious${i + 1}@example.net`,
    });
    if ((await moderateSome(db, clientId, 'question', id, rand())) === 'PUBLISH' && answer) {
      await answerQuestion(db, clientId, { id, answer });
      counts.answeredQuestions++;
    }
    counts.questions++;
  }
  return counts;
}
