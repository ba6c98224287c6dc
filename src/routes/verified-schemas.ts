import { z } from 'zod';

/** An ISO calendar date (`2026-12-31`) that exists; null clears it where allowed. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date such as 2026-12-31')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'no such date');

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const collectionsSchema = z.array(z.string().min(1).max(64)).max(50);

const verifiedFields = {
  question: text(1000),
  answer: text(8000),
  phrasings: z.array(text(1000)).max(30),
  collections: collectionsSchema,
  documentId: z.string().min(1).max(200).nullable(),
  page: z.number().int().min(1).max(100_000).nullable(),
  validFrom: isoDateSchema.nullable(),
  validUntil: isoDateSchema.nullable(),
  lastChecked: isoDateSchema.nullable(),
};

const datesInOrder = (v: { validFrom?: string | null | undefined; validUntil?: string | null | undefined }) =>
  !v.validFrom || !v.validUntil || v.validFrom <= v.validUntil;
const orderIssue = { message: 'validUntil: must not be before validFrom', path: ['validUntil'] };

/** `POST /api/admin/verified-answers`. */
export const verifiedAnswerCreateSchema = z
  .object({
    question: verifiedFields.question,
    answer: verifiedFields.answer,
    phrasings: verifiedFields.phrasings.optional(),
    collections: verifiedFields.collections.optional(),
    documentId: verifiedFields.documentId.optional(),
    page: verifiedFields.page.optional(),
    validFrom: verifiedFields.validFrom.optional(),
    validUntil: verifiedFields.validUntil.optional(),
    lastChecked: verifiedFields.lastChecked.optional(),
  })
  .strict()
  .refine(datesInOrder, orderIssue);

/** `PATCH /api/admin/verified-answers/:id`: any field of the create body. */
export const verifiedAnswerPatchSchema = z
  .object(
    Object.fromEntries(Object.entries(verifiedFields).map(([k, s]) => [k, s.optional()])) as {
      [K in keyof typeof verifiedFields]: z.ZodOptional<(typeof verifiedFields)[K]>;
    },
  )
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field')
  .refine(datesInOrder, orderIssue);

/** `PATCH /api/admin/documents/:id`: validity dates and the document it replaces (null clears). */
export const documentValidityPatchSchema = z
  .object({
    validFrom: isoDateSchema.nullable().optional(),
    validUntil: isoDateSchema.nullable().optional(),
    lastChecked: isoDateSchema.nullable().optional(),
    replaces: z.string().min(1).max(200).nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field')
  .refine(datesInOrder, orderIssue);

/** `GET /api/admin/expiring?days=30`. */
export const expiringQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict();
