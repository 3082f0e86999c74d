// Input rules shared by every mutation that accepts merchant data.
import { z } from 'zod';

export const MAX_ID = 255;
export const MAX_TEXT = 1000;
export const MAX_URL = 2048;
export const MAX_PROPERTIES = 50;

/** PostgreSQL cannot store U+0000 in text or jsonb; without this check it is an internal error. */
export const noNul = (s: string) => !s.includes('\u0000');
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * A lone UTF-16 surrogate (JSON `"\ud800"` without its pair) is no character: stored as UTF-8 it
 * would silently become U+FFFD, so the caller's text would not be what they read back.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
export const SURROGATE_MESSAGE = 'must be valid Unicode text (it holds a lone UTF-16 surrogate, half of a pair)';

/** Text the database stores exactly as sent: no NUL, no lone surrogate. */
export function storable(schema: z.ZodString) {
  return schema.refine(noNul, NUL_MESSAGE).refine(wellFormed, SURROGATE_MESSAGE);
}

/** A merchant identifier (externalId, sku): 1–255 characters, not blank. Stored exactly as sent. */
export const identifier = storable(
  z
    .string()
    .max(MAX_ID, `must be at most ${MAX_ID} characters`)
    .refine((s) => s.trim().length > 0, 'must not be empty or blank'),
);

/** Optional free text; null clears it, absent keeps the stored value. */
export const text = storable(
  z.string().trim().min(1, 'must not be empty or blank').max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`),
);

/** URL scalars arrive as URL objects; stored as their string form (http and https only). */
export const url = z
  .union([z.instanceof(URL), z.string()])
  .transform((u, ctx) => {
    let parsed: URL;
    try {
      parsed = typeof u === 'string' ? new URL(u) : u;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return z.NEVER;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
      return z.NEVER;
    }
    return parsed.toString();
  })
  .refine((s) => s.length <= MAX_URL, `must be at most ${MAX_URL} characters`);

/** A flat JSON object of strings: at most 50 keys, keys ≤ 100 and values ≤ 1000 characters. */
export const properties = z
  .record(
    storable(z.string().min(1, 'keys must not be empty').max(100, 'keys must be at most 100 characters')),
    storable(
      z.string({ error: 'values must be strings' }).max(MAX_TEXT, `values must be at most ${MAX_TEXT} characters`),
    ),
  )
  .refine((o) => Object.keys(o).length <= MAX_PROPERTIES, `must have at most ${MAX_PROPERTIES} keys`);

/** E-mail addresses are stored and compared trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const email = z
  .string()
  .transform(normalizeEmail)
  .pipe(z.email('must be a valid e-mail address').max(320, 'must be at most 320 characters'));

/** The calendar dates accepted (a delivery date of year 0 or 9999 is a typing error, not a date). */
export const DATE_RANGE = { from: '1970-01-01', to: '2100-12-31' } as const;
const dateBound = (d: string) => new Date(`${d}T00:00:00Z`).getTime();

/** A calendar date within DATE_RANGE; Date scalars arrive as Date objects at UTC midnight. */
export const date = z
  .union([z.date(), z.iso.date().transform((s) => new Date(`${s}T00:00:00Z`))])
  .refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date')
  .refine(
    (d) => d.getTime() >= dateBound(DATE_RANGE.from) && d.getTime() <= dateBound(DATE_RANGE.to),
    `must be a date from ${DATE_RANGE.from} to ${DATE_RANGE.to}`,
  );

/** Reports every repeated value of `key` in a list, at the later occurrences. */
export function uniqueBy<T>(key: (item: T) => string, label: string) {
  return (list: T[], ctx: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: [i, label],
          message: `duplicate ${label} "${k}" (also at index ${first})`,
        });
    });
  };
}
