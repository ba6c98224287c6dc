/**
 * Orders strings by UTF-16 code units, as SQLite's BINARY collation: lists sorted with it come out
 * the same on PostgreSQL, whatever collation its database uses.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
