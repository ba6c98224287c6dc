import type { z } from 'zod';
import type { AnswerMode, Citation } from '../answer/answer-events.js';
import type { IngestOutcome } from '../engine/index.js';
import type { LtiPlatform, platformInputSchema } from '../lti/index.js';
import type { GenerationReport, PracticeItem, PracticeSource } from '../practice/index.js';
import type {
  AuditEntry,
  CatalogueEntry,
  CenterRecord,
  CollectionMetadata,
  CollectionRecord,
  DocumentRecord,
  LoggedMessage,
  SiteKey,
  siteKeyInputSchema,
  siteKeyPatchSchema,
  Stats,
  UserRecord,
  VerifiedAnswer,
} from '../store/index.js';

/** The response of a call that only confirms. */
export interface Ok {
  ok: true;
}

/** A validity status today (issue 18): expired and not-yet-valid material is kept out of answers. */
export type ValidityStatus = 'valid' | 'expired' | 'not_yet_valid';

/** A document as the admin page lists it: with its validity dates and status today. */
/** A document's pages read by OCR, as the admin page shows them. */
export interface DocumentOcr {
  /** Pages read by OCR. */
  pages: number;
  /** Their mean confidence (0-100), one decimal. */
  meanConfidence: number;
  /** Pages read with low confidence, for a teacher to check (page numbers, ascending). */
  lowConfidencePages: number[];
}

export type AdminDocument = DocumentRecord & {
  validFrom: string | null;
  validUntil: string | null;
  lastChecked: string | null;
  replaces: string | null;
  status: ValidityStatus;
  /** Pages read by OCR and those read with low confidence (docs/ocr.md); null when none. */
  ocr?: DocumentOcr | null;
};

/** One file of an upload or a reindex: what was made of it, or why it failed (with both wordings). */
export type UploadResult =
  | Extract<IngestOutcome, { status: 'failed' }>
  | {
      fileName: string;
      status: Exclude<IngestOutcome['status'], 'failed'>;
      documentId: string;
      title: string;
      pages: number;
      chunks: number;
      /** Pages read by OCR, and those read with low confidence. */
      ocrPages?: number;
      lowConfidencePages?: number[];
    };

/** A chunk of a document as the admin page shows it. */
export interface ChunkView {
  id: string;
  ordinal: number;
  headingPath: string[];
  pageStart: number | null;
  pageEnd: number | null;
  lang: string;
  text: string;
}

/** A ranked passage of `POST /api/admin/try`. */
export interface TryResult {
  rank: number;
  chunkId: string;
  documentId: string;
  title: string;
  headingPath: string[];
  page: number | null;
  text: string;
  score: number;
  bm25Score: number | null;
  vectorScore: number | null;
  matchedTerms: string[];
  link: string;
}

/** A verified answer as the API shows it: with its status today. */
export type ShownVerifiedAnswer = VerifiedAnswer & { status: ValidityStatus };

/** An open collection of the catalogue, as one center sees it. */
export type CatalogueView = CatalogueEntry & { own: boolean; subscribed: boolean };

/** A practice item as the teachers' review shows it. */
export type PracticeItemReview = Omit<PracticeItem, 'centerId' | 'contentHash'>;

/** A registered LTI platform (its center is the request's). */
export type PlatformView = Omit<LtiPlatform, 'centerId'>;

/** The values a platform's admin pastes into its tool form. */
export interface ToolValues {
  toolUrl: string;
  loginUrl: string;
  redirectUris: string[];
  publicKeysetUrl: string;
  deepLinkingUrl: string;
}

/** Who is signed in (`GET /api/auth/me`, and the login's answer). */
export interface Me {
  /** An account, or the operator's ADMIN_TOKEN. */
  user: UserRecord | { username: string; role: 'operator'; centerId: null; collections: null };
  center: CenterRecord | null;
}

/** A link handed over once (an invitation or a password reset). */
export interface OneTimeLink {
  link: string;
  expiresAt: string;
}

/** The responses of the admin API, by endpoint (`/api/admin` + path; `/api/auth` for the account calls). */
export interface AdminResponses {
  'GET /documents': { documents: AdminDocument[] };
  'POST /documents': { results: UploadResult[] };
  'GET /ocr-progress': { files: Array<{ documentId: string; collection: string; fileName: string; done: number; total: number }> };
  'GET /documents/:id': { document: DocumentRecord; chunks: ChunkView[] };
  'DELETE /documents/:id': Ok;
  'POST /documents/:id/reindex': { result: UploadResult };
  'POST /reindex': { results: UploadResult[] };
  'GET /collections': { collections: CollectionRecord[] };
  'POST /try': {
    answerability: number;
    answerable: boolean;
    results: TryResult[];
    /** The answer learners would get; its citations carry no links. */
    answer: { text: string; citations: Citation[]; mode: AnswerMode; answerable: boolean } | null;
  };
  'GET /questions': { total: number; items: LoggedMessage[] };
  'GET /stats': Stats;
  'GET /site-keys': { siteKeys: SiteKey[] };
  'POST /site-keys': { siteKey: SiteKey };
  'PATCH /site-keys/:key': { siteKey: SiteKey };
  'DELETE /site-keys/:key': Ok;
  'GET /verified-answers': { verifiedAnswers: ShownVerifiedAnswer[] };
  'POST /verified-answers': ShownVerifiedAnswer;
  'PATCH /verified-answers/:id': ShownVerifiedAnswer;
  'DELETE /verified-answers/:id': Ok;
  'GET /expiring': { today: string; until: string; documents: AdminDocument[]; verifiedAnswers: ShownVerifiedAnswer[] };
  'GET /practice/items': {
    collection: string;
    reviewed: boolean;
    /** The documents that have items, with the content hash they were made from. */
    documents: Array<PracticeSource | undefined>;
    exclusions: Array<{ documentId: string; heading: string }>;
    items: PracticeItemReview[];
  };
  'POST /practice/generate': GenerationReport;
  'PATCH /practice/items/:id': PracticeItemReview;
  'POST /practice/exclusions': { exclusions: Array<{ documentId: string; heading: string }> };
  'DELETE /practice/exclusions': { exclusions: Array<{ documentId: string; heading: string }> };
  'GET /lti/platforms': { platforms: PlatformView[]; tool: ToolValues };
  'POST /lti/platforms': { platform: PlatformView; tool: ToolValues };
  'DELETE /lti/platforms/:id': Ok;
  'GET /audit': { entries: AuditEntry[]; total: number; nextBefore: number | null };
  'GET /catalogue': { collections: CatalogueView[] };
  'POST /collections/:id/publish': { collection: CollectionRecord | undefined; metadata: CollectionMetadata | undefined };
  'POST /collections/:id/unpublish': { collection: CollectionRecord | undefined; subscriptionsEnded: number };
  'POST /subscriptions': { subscription: { collection: string; entry: CatalogueEntry | null } };
  'DELETE /subscriptions/:collection': Ok;
  'GET /centers': { centers: CenterRecord[] };
  'POST /centers': CenterRecord;
  'PATCH /centers/:id': CenterRecord;
  'GET /centers/:id/users': { users: UserRecord[] };
  'POST /centers/:id/users': { user: UserRecord };
  'PATCH /centers/:id/users/:userId': { user: UserRecord };
  'DELETE /centers/:id/users/:userId': Ok;
  'POST /centers/:id/invitations': OneTimeLink;
  'POST /centers/:id/users/:userId/reset-link': OneTimeLink & { username: string };
}

/** The account calls under `/api/auth`. */
export interface AuthResponses {
  'GET /options': { accounts: boolean };
  'GET /me': Me;
  'POST /login': Me & { expiresAt: string };
  'POST /logout': Ok;
  'POST /password': Ok & { expiresAt: string };
  'POST /invitations/accept': { user: UserRecord };
  'POST /password-reset': { user: { username: string } };
}

/** The response of one admin endpoint: `AdminResponse<'GET /documents'>`. */
export type AdminResponse<K extends keyof AdminResponses> = AdminResponses[K];

/** The response of one account endpoint. */
export type AuthResponse<K extends keyof AuthResponses> = AuthResponses[K];

/** The bodies of the admin calls whose schemas live with the store and the LTI service. */
export type SiteKeyRequest = z.input<typeof siteKeyInputSchema>;
export type SiteKeyPatchRequest = z.input<typeof siteKeyPatchSchema>;
export type PlatformRequest = z.input<typeof platformInputSchema>;
