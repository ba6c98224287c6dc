import { z } from 'zod';
import type { SqlDb } from './sql/sql-db.js';
import { parseInput, StoreError } from './store-error.js';

/**
 * Licences a collection can carry. `center-only` (the default) is no open licence: the materials
 * stay with the center that owns them. The others are Creative Commons 4.0 licences.
 */
export const licenceCodes = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'center-only'] as const;
export type LicenceCode = (typeof licenceCodes)[number];

/**
 * A collection's licence, attribution and LRMI / schema.org `LearningResource` description.
 * Text fields are '' when unset; `about` lists subjects.
 */
export interface CollectionMetadata {
  licence: LicenceCode;
  /** The credit line to show with the materials (schema.org `creditText`), e.g. "TTGDTX Quận 3". */
  attribution: string;
  description: string;
  /** Subjects (schema.org `about`), e.g. ["Tin học", "Bảng tính"]. */
  about: string[];
  /** schema.org `educationalLevel`, e.g. "Bổ túc THPT" or "A2". */
  educationalLevel: string;
  /** schema.org `learningResourceType`, e.g. "lesson", "handbook". */
  learningResourceType: string;
  /** schema.org `inLanguage`: a BCP 47 tag ("vi", "en", "vi-VN"), or '' when unset. */
  inLanguage: string;
}

const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must be one line without control characters');

/** Every field of the metadata, validated (used for an update, where each field is optional). */
export const collectionMetadataSchema = z
  .object({
    licence: z.enum(licenceCodes),
    attribution: line(300),
    description: z.string().trim().max(2000),
    about: z.array(line(80).pipe(z.string().min(1))).max(20),
    educationalLevel: line(120),
    learningResourceType: line(120),
    inLanguage: z
      .string()
      .trim()
      .regex(/^$|^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'a BCP 47 language tag such as "vi" or "en"'),
  })
  .strict();

/** A partial update of the metadata; unknown fields are refused. */
export const collectionMetadataPatchSchema = collectionMetadataSchema.partial().strict();
export type CollectionMetadataPatch = z.infer<typeof collectionMetadataPatchSchema>;

/** What a new or upgraded collection carries. */
export const defaultCollectionMetadata: CollectionMetadata = Object.freeze({
  licence: 'center-only',
  attribution: '',
  description: '',
  about: [],
  educationalLevel: '',
  learningResourceType: '',
  inLanguage: '',
}) as CollectionMetadata;

/** Reading and changing the metadata of collections (schema 5), on SQLite or PostgreSQL (`SqlCollectionMetadataStore`). */
export interface CollectionMetadataStore {
  /** Undefined when there is no such collection. */
  get(id: string): Promise<CollectionMetadata | undefined>;
  /** Changes the given fields. Rejects with StoreError `collection_not_found` or `invalid_input`. */
  update(id: string, patch: CollectionMetadataPatch): Promise<CollectionMetadata>;
}

interface MetadataRow {
  licence: string;
  attribution: string;
  description: string;
  about: string;
  educational_level: string;
  learning_resource_type: string;
  in_language: string;
}

const columns: Record<keyof CollectionMetadata, keyof MetadataRow> = {
  licence: 'licence',
  attribution: 'attribution',
  description: 'description',
  about: 'about',
  educationalLevel: 'educational_level',
  learningResourceType: 'learning_resource_type',
  inLanguage: 'in_language',
};

async function getOn(db: SqlDb, id: string): Promise<CollectionMetadata | undefined> {
  const row = await db.get<MetadataRow>(
    'SELECT licence, attribution, description, about, educational_level, learning_resource_type, in_language FROM collections WHERE id = ?',
    [id],
  );
  if (!row) return undefined;
  return {
    licence: row.licence as LicenceCode,
    attribution: row.attribution,
    description: row.description,
    about: JSON.parse(row.about) as string[],
    educationalLevel: row.educational_level,
    learningResourceType: row.learning_resource_type,
    inLanguage: row.in_language,
  };
}

/** Collection metadata over the store's `SqlDb` (SQLite or PostgreSQL). */
export class SqlCollectionMetadataStore implements CollectionMetadataStore {
  constructor(private readonly db: SqlDb) {}

  get(id: string): Promise<CollectionMetadata | undefined> {
    return getOn(this.db, id);
  }

  async update(id: string, patch: CollectionMetadataPatch): Promise<CollectionMetadata> {
    const input = parseInput(collectionMetadataPatchSchema, patch, 'collection metadata');
    const fields = Object.entries(input).filter(([, v]) => v !== undefined) as Array<[keyof CollectionMetadata, unknown]>;
    return this.db.transaction(async (tx) => {
      if (!(await getOn(tx, id))) throw new StoreError('collection_not_found', `no collection "${id}"`, { id });
      if (fields.length > 0) {
        // Column names come from the fixed table above, never from the input.
        const sets = fields.map(([key]) => `${columns[key]} = ?`).join(', ');
        const values = fields.map(([key, v]) => (key === 'about' ? JSON.stringify(v) : v));
        await tx.run(`UPDATE collections SET ${sets} WHERE id = ?`, [...values, id]);
      }
      return (await getOn(tx, id))!;
    });
  }
}
