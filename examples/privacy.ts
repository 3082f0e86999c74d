// A privacy request (right of access and erasure): look up everything held about a person,
// see what an erasure would remove (dry run), erase it, and show the audit trail, which
// proves the erasure without keeping the personal data.
//
//   npm run example:privacy -- --key sk_... --email ada@example.com           (lookup + dry run)
//   npm run example:privacy -- --key sk_... --customer c-42 --erase           (and erase)
//
// Without --erase nothing is changed. SUPPORT keys may look up and read the audit trail;
// dry runs and erasures need an ADMIN key.
import { cli, execute, run, type Connection } from './client.ts';
import { graphql } from './gql/gql.ts';
import type { ErasureAuditFragment, PersonalDataSubject } from './gql/graphql.ts';

const PersonalDataLookup = graphql(`
  query PersonalDataLookup($subject: PersonalDataSubject!) {
    personalData(subject: $subject) {
      customers {
        externalId
        name
        email
        orders(first: 1) {
          totalCount
        }
      }
      reviews {
        productSku
        title
        status
      }
      questions {
        productSku
        title
        status
      }
      sellerReviews {
        title
        status
      }
    }
  }
`);

graphql(`
  fragment ErasureAudit on ErasureRequest {
    id
    status
    statusDescription
    subjectType
    dryRun
    remaining
    createdAt
    initiator {
      keyPrefix
      name
      role
    }
    counts {
      customers
      orders
      orderItems
      reviews
      questions
      sellerReviews
      reviewInvitations
    }
  }
`);

const ErasePersonalData = graphql(`
  mutation ErasePersonalData($subject: PersonalDataSubject!, $dryRun: Boolean!) {
    erasePersonalData(input: { subject: $subject, dryRun: $dryRun }) {
      __typename
      ... on ErasePersonalDataSuccess {
        erasureRequest {
          ...ErasureAudit
        }
      }
      ... on ErasureFailedError {
        code
        message
      }
      ... on ValidationError {
        code
        message
        fieldErrors {
          path
          message
        }
      }
    }
  }
`);

const ErasureAuditTrail = graphql(`
  query ErasureAuditTrail($subject: PersonalDataSubject!) {
    erasureRequests(first: 20, filter: { subject: $subject }) {
      totalCount
      nodes {
        ...ErasureAudit
      }
    }
  }
`);

const USAGE = `Privacy request: lookup, dry run, erasure, audit (ADMIN key; SUPPORT for lookup and audit).

  npm run example:privacy -- --key sk_... (--email ADDRESS | --customer EXTERNAL_ID) [--erase]

  --email ADDRESS        the person by e-mail (case and spaces ignored)
  --customer ID          the person by the merchant's customer id
  --erase                really erase (default: lookup and dry run only)`;

function counts(c: ErasureAuditFragment['counts']): string {
  if (!c) return 'no counts';
  return `customers ${c.customers}, orders ${c.orders}, order items ${c.orderItems}, reviews ${c.reviews}, questions ${c.questions}, seller reviews ${c.sellerReviews}, review invitations ${c.reviewInvitations}`;
}

async function lookup(connection: Connection, subject: PersonalDataSubject, heading: string) {
  const { data } = await execute(connection, PersonalDataLookup, { subject });
  const p = data.personalData;
  console.log(
    `${heading}: ${p.customers.length} customers, ${p.reviews.length} reviews, ${p.questions.length} questions, ${p.sellerReviews.length} seller reviews`,
  );
  for (const c of p.customers) {
    console.log(
      `  customer ${c.externalId} ${c.name ?? '(no name)'} <${c.email ?? 'no e-mail'}>, ${c.orders.totalCount} orders`,
    );
  }
  for (const r of p.reviews) console.log(`  review of ${r.productSku} "${r.title}" ${r.status}`);
  for (const q of p.questions) console.log(`  question on ${q.productSku} "${q.title}" ${q.status}`);
  for (const s of p.sellerReviews) console.log(`  seller review "${s.title}" ${s.status}`);
}

async function erase(connection: Connection, subject: PersonalDataSubject, dryRun: boolean) {
  const { data } = await execute(connection, ErasePersonalData, { subject, dryRun });
  const result = data.erasePersonalData;
  if (result.__typename !== 'ErasePersonalDataSuccess') {
    const details =
      result.__typename === 'ValidationError'
        ? result.fieldErrors.map((f) => ` ${f.path.join('.')}: ${f.message}`).join(';')
        : '';
    throw new Error(`${result.__typename} ${result.code}: ${result.message}${details}`);
  }
  const request = result.erasureRequest;
  const label = dryRun ? 'Dry run (nothing erased), would erase' : 'Erased';
  console.log(`${label}: ${counts(request.counts)}`);
  console.log(
    `  request ${request.id} ${request.status}${request.remaining == null ? '' : `, remaining ${request.remaining}`}`,
  );
}

run(async () => {
  const { connection, values } = cli(USAGE, {
    email: { type: 'string' },
    customer: { type: 'string' },
    erase: { type: 'boolean' },
  });
  const email = values.email as string | undefined;
  const customer = values.customer as string | undefined;
  if (!email === !customer) throw new Error('pass exactly one of --email or --customer');
  // PersonalDataSubject is @oneOf: exactly one field.
  const subject: PersonalDataSubject = email ? { email } : { customerExternalId: customer! };
  const who = email ? `e-mail ${email}` : `customer ${customer}`;

  await lookup(connection, subject, `Personal data of ${who}`);
  await erase(connection, subject, true);
  if (values.erase) {
    await erase(connection, subject, false);
    await lookup(connection, subject, 'After erasure');
  }
  const { data } = await execute(connection, ErasureAuditTrail, { subject });
  const trail = data.erasureRequests;
  console.log(
    `Audit trail for this subject (${trail.totalCount} requests, newest first; the subject itself is not stored):`,
  );
  for (const r of trail.nodes) {
    const by = `${r.initiator.keyPrefix} (${r.initiator.role} "${r.initiator.name}")`;
    console.log(`  ${r.createdAt} ${r.status} ${r.dryRun ? 'dry run' : 'erasure'} by ${by}: ${counts(r.counts)}`);
  }
});
