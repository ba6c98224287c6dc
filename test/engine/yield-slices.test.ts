import { describe, expect, it } from 'vitest';
import { SerialQueue, Slicer } from '../../src/engine/yield-slices.js';

describe('Slicer', () => {
  it('lets a pending timer run between the items of a long loop, and keeps the results in order', async () => {
    const slicer = new Slicer(0);
    const seen: string[] = [];
    setTimeout(() => seen.push('timer'), 0);
    const doubled = await slicer.map([1, 2, 3, 4, 5], (n) => {
      const until = performance.now() + 2;
      while (performance.now() < until); // about 2 ms of work per item
      seen.push(`item ${n}`);
      return n * 2;
    });
    expect(doubled).toEqual([2, 4, 6, 8, 10]);
    expect(seen.indexOf('timer')).toBeGreaterThan(0);
    expect(seen.indexOf('timer')).toBeLessThan(seen.length - 1);
    expect(slicer.yields).toBeGreaterThanOrEqual(4);
  });

  it('does not yield while the slice lasts', async () => {
    const slicer = new Slicer(60_000);
    let ran = 0;
    await slicer.each(
      Array.from({ length: 1000 }, (_, i) => i),
      () => ran++,
    );
    expect(ran).toBe(1000);
    expect(slicer.yields).toBe(0);
  });
});

describe('SerialQueue', () => {
  it('runs sections one after another in call order, and goes on after one fails', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const section =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} start`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const a = queue.run(section('a'));
    const b = queue.run(section('b', true));
    const c = queue.run(section('c'));
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b');
    await expect(c).resolves.toBe('c');
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });
});
