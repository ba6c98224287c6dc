/**
 * One CSV cell. A cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
 * `@`, tab or carriage return) gets a leading apostrophe (OWASP "CSV injection"): learners type
 * the questions, teachers open the file in Excel. Excel set to a `;` list separator (common in
 * Vietnamese and European settings) splits lines at `;`, where a quote in the middle of a field
 * means nothing to it, and may start a row at a line break: so the guard applies after every `;`
 * and line break inside a cell too (`hỏi;=cmd` is written `"hỏi;'=cmd"`), and a cell holding `;`
 * is quoted as one holding `,` is. Then RFC 4180 quoting.
 */
export function csvCell(value: string | number | boolean | null): string {
  let s = value === null ? '' : String(value);
  s = s.replace(/(^|[;\r\n])(?=[=+\-@\t\r])/g, "$1'");
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file for teachers: the header, one line per row (cells through `csvCell`), CRLF, and a UTF-8 BOM so Excel reads Vietnamese. */
export function csvFile<C extends string>(columns: readonly C[], rows: Iterable<Record<C, string | number | boolean | null>>): string {
  const lines: string[] = [columns.join(',')];
  for (const cells of rows) lines.push(columns.map((c) => csvCell(cells[c])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
