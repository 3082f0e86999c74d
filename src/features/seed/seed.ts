// Demo data: a small but living store (products, customers, orders, reviews, questions, seller
// reviews) for GraphiQL and manual tests.
import type { Db } from '../../platform/db/client.ts';
import { upsertOrders } from '../orders/orders.ts';
import { MAX_ORDERS, type OrderInput } from '../orders/order-inputs.ts';
import { seedContent, type SeededOrder } from './seed-content.ts';
import { upsertProducts } from '../catalog/products.ts';

const CATEGORIES = ['Shoes', 'Jackets', 'Backpacks', 'Tents', 'Socks'];
const COLOURS = ['red', 'blue', 'black', 'green'];
const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Radia', 'Donald', 'Frances'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Liskov',
  'Thompson',
  'Perlman',
  'Knuth',
  'Allen',
];

/** A deterministic pseudo-random sequence, so two seeds of the same size look the same. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

export async function seedDemo(db: Db, clientId: string, orders = 50) {
  const rand = rng(42);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const products = CATEGORIES.flatMap((category, c) =>
    COLOURS.map((colour) => ({
      sku: `${category.slice(0, 3).toUpperCase()}-${c + 1}-${colour}`,
      familyId: `${category.slice(0, 3).toUpperCase()}-${c + 1}`,
      name: `Trail ${category.replace(/s$/, '')} (${colour})`,
      category,
      url: `https://shop.example.com/p/${category.toLowerCase()}-${c + 1}?colour=${colour}`,
      imageUrl: `https://cdn.example.com/img/${category.toLowerCase()}-${c + 1}-${colour}.jpg`,
      properties: { colour },
    })),
  );
  await upsertProducts(db, clientId, { products });
  const seeded: SeededOrder[] = [];
  const batch: OrderInput[] = [];
  for (let i = 1; i <= orders; i++) {
    const n = 1 + Math.floor(rand() * 12);
    const first = FIRST[n % FIRST.length];
    const last = pick(LAST);
    const day = 1 + Math.floor(rand() * 28);
    const skus = new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(products).sku));
    const items = [...skus].map((sku, k) => ({
      sku,
      deliveryDate: k === 0 || rand() > 0.3 ? new Date(Date.UTC(2026, 9, day)) : undefined,
    }));
    const order = {
      externalId: `ORD-${String(1000 + i)}`,
      customer: {
        externalId: `CUST-${n}`,
        name: `${first} ${last}`,
        email: `${first.toLowerCase()}.${n}@example.com`,
        optOut: n === 7,
      },
      items,
    };
    batch.push(order);
    const deliveredSkus = items.filter((item) => item.deliveryDate).map((item) => item.sku);
    seeded.push({
      externalId: order.externalId,
      email: order.customer.email,
      nick: `${first} ${last[0]}.`,
      deliveredSkus,
    });
  }
  // In batches (one transaction each), as a merchant back end would send them.
  for (let i = 0; i < batch.length; i += MAX_ORDERS) {
    await upsertOrders(db, clientId, { orders: batch.slice(i, i + MAX_ORDERS) });
  }
  const content = await seedContent(
    db,
    clientId,
    seeded,
    products.map((p) => p.sku),
    rand,
  );
  return { products: products.length, orders, ...content };
}
