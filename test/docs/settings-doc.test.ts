/**
 * docs/settings.md cannot drift from src/config.ts: the table "All settings" has one row per
 * variable of the schema, names no variable the schema lacks, gives each default the code uses,
 * and names every value of a setting that takes one of a fixed list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { settingsSchema } from '../../src/config.js';

const root = join(import.meta.dirname, '../..');
const guide = readFileSync(join(root, 'docs/settings.md'), 'utf8');
const section = guide.split(/^## /m).find((s) => s.startsWith('All settings'))!;
/** Rows of the table: variable name, default cell, meaning cell. */
const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \| (.+) \|$/gm)].map((m) => ({ name: m[1]!, defaultCell: m[2]!, row: m[0] }));
const shape = settingsSchema.shape as Record<string, z.ZodType>;
const defaults = settingsSchema.parse({}) as Record<string, unknown>;

/** The enum inside a setting's optional or default wrapper, if it is one. */
function enumValues(schema: z.ZodType): string[] | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
}

describe('docs/settings.md', () => {
  it('has exactly one row for every setting of src/config.ts, in any order', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(shape).sort());
  });

  it('gives each default the code uses, and says "unset" for the settings without one', () => {
    for (const { name, defaultCell } of rows) {
      const value = defaults[name];
      if (value === undefined) expect(defaultCell, name).toMatch(/^unset/);
      else expect(defaultCell.trim(), name).toBe(`\`${String(value)}\``);
    }
  });

  it('names every allowed value of a setting that takes a fixed list', () => {
    const listed = rows.filter((r) => enumValues(shape[r.name]!));
    expect(listed.map((r) => r.name)).toEqual(expect.arrayContaining(['LLM', 'EMBEDDINGS', 'LOG_LEVEL', 'TRUST_PROXY']));
    for (const { name, row } of listed)
      for (const value of enumValues(shape[name]!)!) expect(row, `${name}=${value}`).toContain(`\`${value}\``);
  });
});
