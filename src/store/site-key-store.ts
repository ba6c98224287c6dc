import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Language } from '../text/index.js';
import { defaultCenterId } from './center-store.js';
import { collectionIdSchema } from './collection-store.js';
import { jsonArrayHas } from './json-array-has.js';
import type { SqlDb } from './sql/sql-db.js';
import { parseInput, StoreError } from './store-error.js';
import { compareText } from './compare-text.js';
import type { Clock } from './store-types.js';

/**
 * A public site key: what a center pastes into its LMS with the widget. It is not a secret (it is
 * in the page source); what protects it is the list of origins allowed to embed it and its rate limit.
 */
export interface SiteKey {
  /** `tg_pub_` + 24 url-safe characters. */
  key: string;
  title: string;
  /** Normalised origins (`https://lms.example.edu.vn`, `http://localhost:8080`); empty: embeddable nowhere. */
  allowedOrigins: string[];
  /** Collections the widget searches; empty: all. */
  collections: string[];
  rateLimitPerMinute: number;
  welcomeText: string;
  starterQuestions: string[];
  /** `#rgb` or `#rrggbb`, lower case; null: the widget's default. */
  color: string | null;
  lang: Language;
  createdAt: string;
  updatedAt: string;
  /** The center whose learners use it: its collections (and subscriptions) are what it searches. */
  centerId: string;
}

const originShape = /^(https?):\/\/([^/?#@\s]+)\/?$/i;

/**
 * An origin in the form browsers send in the `Origin` header: `scheme://host[:port]`, lower case,
 * without the scheme's default port, international names in punycode. Undefined when `value` is
 * not an http(s) origin (a path, query, credentials, a wildcard, `null`…). A single trailing `/`
 * is tolerated, since people paste it.
 */
export function normalizeOrigin(value: string): string | undefined {
  const trimmed = value.trim();
  if (!originShape.test(trimmed) || trimmed.includes('*')) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname || url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
  // The URL parser lets `;`, `,`, quotes and the like through in host names, and allowed origins
  // end up in the `frame-ancestors` header of /embed: `https://a.vn;script-src` would inject a
  // CSP directive. Real hosts are labels of letters, digits, `-` and `_` (IDN is punycode by now)
  // or a bracketed IPv6 address.
  if (!/^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/i.test(url.hostname)) return undefined;
  return url.origin.toLowerCase();
}

/** Why a pasted address cannot give an origin; the admin page words each in both languages. */
export type AddressProblem = 'wildcard' | 'no_scheme' | 'credentials' | 'invalid';

/**
 * The origin of a page address a teacher pasted: `https://lms.example.edu.vn/course/view.php?id=3`
 * gives `https://lms.example.edu.vn` (the path, query and fragment never mattered: browsers send
 * only the origin). A bare origin is taken as it is. Returns the problem instead when there is
 * no origin to keep: a wildcard, no `http://`/`https://`, a user name or password, or no host.
 */
export function originOfAddress(value: string): { origin: string } | { problem: AddressProblem } {
  const trimmed = value.trim();
  if (trimmed.includes('*')) return { problem: 'wildcard' };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return { problem: 'no_scheme' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { problem: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'invalid' };
  if (url.username || url.password) return { problem: 'credentials' };
  const origin = normalizeOrigin(url.origin);
  return origin === undefined ? { problem: 'invalid' } : { origin };
}

const addressMessages: Record<AddressProblem, { en: string; vi: string }> = {
  wildcard: {
    en: 'wildcards are not supported: list each address (https://lms.example.edu.vn)',
    vi: 'Không dùng dấu *: hãy ghi từng địa chỉ trang (ví dụ https://lms.example.edu.vn).',
  },
  no_scheme: {
    en: 'must start with https:// or http:// (e.g. https://lms.example.edu.vn)',
    vi: 'Địa chỉ phải bắt đầu bằng https:// hoặc http:// (ví dụ https://lms.example.edu.vn).',
  },
  credentials: {
    en: 'must not contain a user name or password',
    vi: 'Địa chỉ không được chứa tên đăng nhập hay mật khẩu.',
  },
  invalid: {
    en: 'must be a web page address: http(s)://host[:port], a path may follow (e.g. https://lms.example.edu.vn/course/view.php?id=3)',
    vi: 'Không phải địa chỉ trang web hợp lệ (ví dụ https://lms.example.edu.vn/course/view.php?id=3).',
  },
};

// A page address or an origin; only the origin is kept. The issue carries its Vietnamese wording
// and problem code in `params`, for the API's `messageVi` and the admin page.
const originSchema = z.string().transform((value, ctx) => {
  const result = originOfAddress(value);
  if ('problem' in result) {
    const { en, vi } = addressMessages[result.problem];
    ctx.addIssue({ code: 'custom', message: en, params: { messageVi: vi, problem: result.problem } });
    return z.NEVER;
  }
  return result.origin;
});

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** The fields of a site key, without defaults (shared by the create and patch schemas). */
const siteKeyFields = {
  title: z.string().trim().min(1).max(120),
  allowedOrigins: z.array(originSchema).max(20).transform(unique),
  collections: z.array(collectionIdSchema).max(100).transform(unique),
  rateLimitPerMinute: z.number().int().min(1).max(6000),
  welcomeText: z.string().trim().max(500),
  starterQuestions: z.array(z.string().trim().min(1).max(200)).max(6),
  color: z
    .string()
    .trim()
    .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be #rgb or #rrggbb')
    .transform((c) => c.toLowerCase())
    .nullable(),
  lang: z.enum(['vi', 'en']),
};

/** A new site key, as the admin API receives it (routes reuse it). Unknown fields are dropped. */
export const siteKeyInputSchema = z.object({
  title: siteKeyFields.title,
  allowedOrigins: siteKeyFields.allowedOrigins.default([]),
  collections: siteKeyFields.collections.default([]),
  rateLimitPerMinute: siteKeyFields.rateLimitPerMinute.default(300),
  welcomeText: siteKeyFields.welcomeText.default(''),
  starterQuestions: siteKeyFields.starterQuestions.default([]),
  color: siteKeyFields.color.optional().transform((c) => c ?? null),
  lang: siteKeyFields.lang.default('vi'),
});

/** Changes to a site key: any subset of the fields, no defaults (absent fields stay as they are; `color: null` clears it). */
export const siteKeyPatchSchema = z.object(siteKeyFields).partial();

export type SiteKeyInput = z.input<typeof siteKeyInputSchema>;
export type SiteKeyPatch = z.input<typeof siteKeyPatchSchema>;

/**
 * Whether a page at `origin` (the `Origin` header, or the parent page's origin) may use the key:
 * an exact match after normalisation. `*` and `*.domain` are not supported on purpose: the key is
 * public, so its origin list is the only thing that stops any other site from embedding the
 * center's assistant, spending its rate limit and LLM budget, and framing it (clickjacking). The
 * list also becomes the iframe's `frame-ancestors`, where a wildcard would defeat that protection,
 * and subdomain wildcards are unsafe on shared hosting (one `*.edu.vn` tenant is not another).
 * Twenty exact origins cover any real LMS setup.
 */
export function isOriginAllowed(siteKey: Pick<SiteKey, 'allowedOrigins'>, origin: string | null | undefined): boolean {
  if (!origin) return false;
  const normalized = normalizeOrigin(origin);
  return normalized !== undefined && siteKey.allowedOrigins.includes(normalized);
}

/** A new random key: `tg_pub_` + 24 url-safe characters (18 random bytes, base64url). */
export function generateSiteKey(): string {
  return `tg_pub_${randomBytes(18).toString('base64url')}`;
}

/** Site keys, on SQLite or PostgreSQL (`SqlSiteKeyStore`). */
export interface SiteKeyStore {
  /**
   * Validates with `siteKeyInputSchema` and stores a new key. Rejects with StoreError `invalid_input`
   * (issues name the fields) or `collection_not_found` (a listed collection does not exist).
   */
  create(input: SiteKeyInput, centerId?: string): Promise<SiteKey>;
  get(key: string): Promise<SiteKey | undefined>;
  /** All keys (of one center when given), oldest first. */
  list(centerId?: string): Promise<SiteKey[]>;
  /** Whether some key allows pages at `origin` (a CORS preflight carries no key to look up). */
  anyAllowsOrigin(origin: string): Promise<boolean>;
  /** Validates with `siteKeyPatchSchema`. Rejects with `site_key_not_found`, `invalid_input` or `collection_not_found`. */
  update(key: string, patch: SiteKeyPatch): Promise<SiteKey>;
  /** False when there was no such key. */
  delete(key: string): Promise<boolean>;
}

interface SiteKeyRow {
  key: string;
  title: string;
  allowed_origins: string;
  collections: string;
  rate_limit_per_minute: number;
  welcome_text: string;
  starter_questions: string;
  color: string | null;
  lang: string;
  created_at: string;
  updated_at: string;
  center_id: string;
}

function toSiteKey(row: SiteKeyRow): SiteKey {
  return {
    key: row.key,
    title: row.title,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    collections: JSON.parse(row.collections) as string[],
    rateLimitPerMinute: row.rate_limit_per_minute,
    welcomeText: row.welcome_text,
    starterQuestions: JSON.parse(row.starter_questions) as string[],
    color: row.color,
    lang: row.lang as Language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    centerId: row.center_id,
  };
}

/** Oldest first; keys of the same instant in byte order (whatever the database's collation). */
const byCreation = (a: SiteKey, b: SiteKey) => compareText(a.createdAt, b.createdAt) || compareText(a.key, b.key);

const upsertSql = `INSERT INTO site_keys (key, title, allowed_origins, collections, rate_limit_per_minute, welcome_text,
    starter_questions, color, lang, created_at, updated_at, center_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET title = excluded.title, allowed_origins = excluded.allowed_origins,
    collections = excluded.collections, rate_limit_per_minute = excluded.rate_limit_per_minute,
    welcome_text = excluded.welcome_text, starter_questions = excluded.starter_questions,
    color = excluded.color, lang = excluded.lang, updated_at = excluded.updated_at`;

async function write(db: SqlDb, k: SiteKey): Promise<void> {
  await db.run(upsertSql, [
    k.key,
    k.title,
    JSON.stringify(k.allowedOrigins),
    JSON.stringify(k.collections),
    k.rateLimitPerMinute,
    k.welcomeText,
    JSON.stringify(k.starterQuestions),
    k.color,
    k.lang,
    k.createdAt,
    k.updatedAt,
    k.centerId,
  ]);
}

async function checkCollections(db: SqlDb, ids: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const id of ids) if (!(await db.get('SELECT 1 FROM collections WHERE id = ?', [id]))) missing.push(id);
  if (missing.length > 0) {
    throw new StoreError('collection_not_found', `no collection ${missing.map((m) => `"${m}"`).join(', ')}`, { ids: missing });
  }
}

async function getOn(db: SqlDb, key: string): Promise<SiteKey | undefined> {
  const row = await db.get<SiteKeyRow>('SELECT * FROM site_keys WHERE key = ?', [key]);
  return row && toSiteKey(row);
}

/** Site keys over the store's `SqlDb` (SQLite or PostgreSQL). */
export class SqlSiteKeyStore implements SiteKeyStore {
  constructor(
    private readonly db: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  async create(input: SiteKeyInput, centerId = defaultCenterId): Promise<SiteKey> {
    const fields = parseInput(siteKeyInputSchema, input, 'site key');
    return this.db.transaction(async (tx) => {
      await checkCollections(tx, fields.collections);
      const at = this.now().toISOString();
      const siteKey: SiteKey = { key: generateSiteKey(), ...fields, createdAt: at, updatedAt: at, centerId };
      await write(tx, siteKey);
      return siteKey;
    });
  }

  get(key: string): Promise<SiteKey | undefined> {
    return getOn(this.db, key);
  }

  async list(centerId?: string): Promise<SiteKey[]> {
    const rows =
      centerId === undefined
        ? await this.db.all<SiteKeyRow>('SELECT * FROM site_keys')
        : await this.db.all<SiteKeyRow>('SELECT * FROM site_keys WHERE center_id = ?', [centerId]);
    return rows.map(toSiteKey).sort(byCreation);
  }

  async anyAllowsOrigin(origin: string): Promise<boolean> {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) return false;
    const row = await this.db.get(`SELECT 1 FROM site_keys WHERE ${jsonArrayHas(this.db.dialect, 'site_keys.allowed_origins')} LIMIT 1`, [
      normalized,
    ]);
    return row !== undefined;
  }

  async update(key: string, patch: SiteKeyPatch): Promise<SiteKey> {
    const changes = parseInput(siteKeyPatchSchema, patch, 'site key changes');
    return this.db.transaction(async (tx) => {
      const current = await getOn(tx, key);
      if (!current) throw new StoreError('site_key_not_found', `no site key "${key}"`, { key });
      if (changes.collections) await checkCollections(tx, changes.collections);
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<SiteKey>;
      const next: SiteKey = {
        ...current,
        ...defined,
        key: current.key,
        centerId: current.centerId,
        createdAt: current.createdAt,
        updatedAt: this.now().toISOString(),
      };
      await write(tx, next);
      return next;
    });
  }

  async delete(key: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM site_keys WHERE key = ?', [key])).changes > 0;
  }
}
