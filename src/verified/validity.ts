/**
 * Validity dates of documents and verified answers: ISO calendar dates (`2026-12-31`), both ends
 * included, read in Vietnam's time (UTC+7, no daylight saving), where the centers are. A date
 * written as a full ISO timestamp is cut to its day.
 */
export interface Validity {
  validFrom: string | null;
  validUntil: string | null;
}

/** Vietnam's offset from UTC, in milliseconds. */
const vietnamOffsetMs = 7 * 3600_000;

/** Today's date in Vietnam at `now`, as `YYYY-MM-DD`. */
export function todayOf(now: Date): string {
  return new Date(now.getTime() + vietnamOffsetMs).toISOString().slice(0, 10);
}

/** Whether material with `validity` may be used on `today` (`YYYY-MM-DD`). */
export function isValidOn(validity: Validity, today: string): boolean {
  if (validity.validFrom !== null && validity.validFrom > today) return false;
  if (validity.validUntil !== null && validity.validUntil < today) return false;
  return true;
}

/** `expired`, `not_yet_valid` or `valid` on `today`: what the admin page shows. */
export function validityStatus(validity: Validity, today: string): 'expired' | 'not_yet_valid' | 'valid' {
  if (validity.validUntil !== null && validity.validUntil < today) return 'expired';
  if (validity.validFrom !== null && validity.validFrom > today) return 'not_yet_valid';
  return 'valid';
}

/** The date `days` after `today` (both `YYYY-MM-DD`). */
export function addDays(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
