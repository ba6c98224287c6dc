/**
 * `?` placeholders to PostgreSQL's `$1, $2, …`, leaving `?` inside quoted strings, quoted
 * identifiers and comments alone.
 * @example toPostgresPlaceholders("SELECT '?' , ? FROM t WHERE a = ?") // "SELECT '?' , $1 FROM t WHERE a = $2"
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      // A quoted run ends at the next unpaired quote ('' inside is an escaped quote).
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === ch) {
          if (sql[j + 1] === ch) j++;
          else break;
        }
      }
      out += sql.slice(i, j + 1);
      i = j;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? sql.length : end;
      out += sql.slice(i, j);
      i = j - 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, j);
      i = j - 1;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}
