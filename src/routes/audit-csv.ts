import type { AuditEntry } from '../store/index.js';
import { csvFile } from './csv.js';

const auditColumns = ['at', 'center', 'actor', 'action', 'target', 'details', 'ip'] as const;

/**
 * The audit log as CSV, newest first. Cells go through `csvCell`: a file name or a username like
 * `=HYPERLINK(…)` must not run as a formula when a center admin opens the file.
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  return csvFile(
    auditColumns,
    entries.map((e) => ({
      at: e.at,
      center: e.centerId,
      actor: e.actor,
      action: e.action,
      target: e.target,
      details: JSON.stringify(e.details),
      ip: e.ip,
    })),
  );
}
