import { describe, expect, it } from 'vitest';
import { CollectionColumns } from '../../src/indexes/collection-columns.js';

const dims = 4;
const vectorOf = (id: number) => [id, 1, 0, 0];
const ids = (from: number, n: number) => new Set(Array.from({ length: n }, (_, i) => from + i));

describe('CollectionColumns', () => {
  it('holds the most recently searched collections within its budget and drops the least recent first', () => {
    const columns = new CollectionColumns(dims, 10 * 4 * dims); // room for 10 vectors
    expect(columns.budget).toBe(10);
    expect(columns.ensure('a', ids(0, 4), vectorOf, new Set(['a']))).not.toBeNull();
    expect(columns.ensure('b', ids(10, 4), vectorOf, new Set(['b']))).not.toBeNull();
    columns.ensure('a', ids(0, 4), vectorOf, new Set(['a'])); // a is now the most recent
    expect(columns.ensure('c', ids(20, 4), vectorOf, new Set(['c']))).not.toBeNull();
    expect([columns.has('a'), columns.has('b'), columns.has('c')]).toEqual([true, false, true]);
    expect(columns.size).toBe(8);
  });

  it('never drops a collection the same search needs, and refuses one that cannot fit', () => {
    const columns = new CollectionColumns(dims, 10 * 4 * dims);
    const keep = new Set(['a', 'b', 'c']);
    columns.ensure('a', ids(0, 4), vectorOf, keep);
    columns.ensure('b', ids(10, 4), vectorOf, keep);
    expect(columns.ensure('c', ids(20, 4), vectorOf, keep)).toBeNull();
    expect(columns.ensure('huge', ids(100, 11), vectorOf, new Set(['huge']))).toBeNull();
    expect([columns.has('a'), columns.has('b'), columns.size]).toEqual([true, true, 8]);
  });

  it('keeps held columns up to date through adds and removals, dropping the least recent past the budget', () => {
    const columns = new CollectionColumns(dims, 10 * 4 * dims);
    const a = columns.ensure('a', ids(0, 5), vectorOf, new Set(['a']))!;
    const b = columns.ensure('b', ids(10, 5), vectorOf, new Set(['b']))!;
    columns.delete('a', 3);
    expect(a.has(3)).toBe(false);
    columns.add('b', 15, vectorOf(15));
    expect(b.has(15)).toBe(true);
    columns.add('nowhere', 99, vectorOf(99)); // not held: nothing to keep up to date
    expect(columns.size).toBe(10);
    columns.add('b', 16, vectorOf(16));
    expect([columns.has('a'), columns.has('b'), columns.size]).toEqual([false, true, 7]);
  });
});
