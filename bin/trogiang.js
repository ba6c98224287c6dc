#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const entry = new URL('../src/cli/main.ts', import.meta.url);
process.argv[1] = fileURLToPath(entry);
await import(entry.href);
