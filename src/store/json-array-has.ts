/**
 * A condition true when the JSON array of strings in `column` holds the value of the next `?`
 * placeholder, in the dialect's own JSON functions (lists such as a site key's origins and
 * collections are stored as JSON text on both adapters).
 * @example db.get(`SELECT 1 FROM site_keys WHERE ${jsonArrayHas(db.dialect, 'allowed_origins')}`, [origin])
 */
export function jsonArrayHas(dialect: 'sqlite' | 'postgres', column: string): string {
  return dialect === 'sqlite'
    ? `EXISTS (SELECT 1 FROM json_each(${column}) AS e WHERE e.value = ?)`
    : `EXISTS (SELECT 1 FROM json_array_elements_text(${column}::json) AS e(value) WHERE e.value = ?)`;
}
