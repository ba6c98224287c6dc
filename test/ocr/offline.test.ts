import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'trogiang-ocr-offline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('OCR offline', () => {
  it('reads Vietnamese with every connection, name lookup and fetch refused, in every thread', { timeout: 120_000 }, async () => {
    const canvas = createCanvas(1400, 300);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 1400, 300);
    ctx.fillStyle = '#000';
    ctx.font = '48px DejaVu Sans, sans-serif';
    ctx.fillText('Học phí mỗi tháng là 350.000 đồng.', 40, 120);
    const image = join(dir, 'trang.png');
    writeFileSync(image, await canvas.encode('png'));

    // A fresh temp dir: the language data must come from node_modules, not from an earlier copy.
    const { code, out, err } = await run(
      ['--import', './test/support/no-network.mjs', '--import', 'tsx', 'test/support/ocr-offline-child.ts', image],
      { TMPDIR: mkdtempSync(join(dir, 'tmp-')) },
    );
    expect(err).not.toContain('NETWORK ATTEMPT');
    expect(code, err).toBe(0);
    // The preload really ran in the Tesseract worker thread too, not only in the main thread.
    expect(new Set(err.match(/no-network preload in thread \d+/g)).size).toBeGreaterThanOrEqual(2);
    const page = JSON.parse(out);
    expect(page.text).toContain('350.000 đồng');
    expect(page.confidence).toBeGreaterThan(80);
  });

  it('has a guard that really catches a connection (what tesseract.js would open to fetch a model)', { timeout: 60_000 }, async () => {
    const script =
      "try { require('node:http').get('http://127.0.0.1:9/vie.traineddata.gz'); } catch {} fetch('https://cdn.jsdelivr.net/x').catch(() => {});";
    const { err } = await run(['--import', './test/support/no-network.mjs', '-e', script], {});
    expect(err).toContain('NETWORK ATTEMPT net.Socket.connect');
    expect(err).toContain('NETWORK ATTEMPT fetch https://cdn.jsdelivr.net/x');
  });
});
