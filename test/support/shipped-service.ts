import { serve, type ServerType } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/server/app-deps.js';
import { createApp } from '../../src/server/create-app.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';

/** The real service over the shipped corpus (corpus/), its data in a temporary folder, on a loopback port. */
export interface ShippedService {
  deps: AppDeps;
  baseURL: string;
  close: () => Promise<void>;
}

export interface ChatReply {
  conversationId: string;
  messageId: string;
  answer: string;
  answerable: boolean;
}

export async function startShippedService(env: Record<string, string> = {}): Promise<ShippedService> {
  const root = mkdtempSync(join(tmpdir(), 'trogiang-shipped-'));
  const config = loadConfig({
    DATA_DIR: join(root, 'data'),
    CORPUS_DIR: join(import.meta.dirname, '../../corpus'),
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '10000',
    ...env,
  });
  const { deps } = await openService(config, createLogger('silent'));
  const app = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    deps,
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Asks the questions in one conversation through POST /api/chat, as the widget does (JSON answers). */
export async function converse(baseURL: string, questions: readonly string[]): Promise<ChatReply[]> {
  const replies: ChatReply[] = [];
  for (const message of questions) {
    const response = await fetch(`${baseURL}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ message, ...(replies[0] ? { conversationId: replies[0].conversationId } : {}) }),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    replies.push((await response.json()) as ChatReply);
  }
  return replies;
}
