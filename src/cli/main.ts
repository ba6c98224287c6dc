import { parseArgs } from 'node:util';
import { createChatModelFromConfig } from '../answer/index.js';
import { ConfigError, loadConfig } from '../config.js';
import type { RetrievalMode } from '../retrieve/index.js';
import { acquireDataFolderLock, backupDataFolder, DataFolderInUse, dataFolderInUseExitCode, restoreDataFolder } from '../engine/index.js';
import { ask, check, ensureCorpus, evalBeir, ingestPaths, listDocuments, openEngine, search, type Output } from './commands.js';
import { exportCollectionCommand, importCollectionCommand } from './package-commands.js';

const usage = `trogiang: trợ giảng, a self-study assistant grounded in the center's materials

Usage (in the project folder, after npm ci; \`npm run trogiang -- …\` does the same):
  npx trogiang serve [--processes N]   the service (npm start); N processes share the data folder
  npx trogiang ingest <files or folders…> [--collection <name>]
  npx trogiang search "<question>" [--k 5] [--collection <name>] [--mode bm25|vector|hybrid]
  npx trogiang ask "<question>" [--collection <name>]
  npx trogiang docs list
  npx trogiang docs remove <document id>
  npx trogiang reindex
  npx trogiang backup <file>        consistent copy of the data folder, safe while the service runs
  npx trogiang restore <file>       bring a backup back (stop the service first)
  npx trogiang check [--repair]     verify that the store and the indexes agree; --repair rebuilds them
  npx trogiang export-collection <id> <file.zip>        the collection as one package (docs/packages.md)
  npx trogiang import-collection <file.zip|.imscc> [--collection <id>]   all documents or none
  npx trogiang eval --beir <folder> [--fold] [--mode bm25,vector,hybrid]

Commands that open the data folder refuse (exit code 3) while the service or another command
holds it (the lock file trogiang.lock in the data folder): use the admin page or API while the
service runs. check --repair rebuilds the indexes from the store without reading the saved ones.

Settings come from the environment (DATA_DIR, CORPUS_DIR, EMBEDDINGS, OPENAI_BASE_URL, …):
docs/settings.md. Every command with examples: docs/command-line.md.
`;

const modes: readonly RetrievalMode[] = ['bm25', 'vector', 'hybrid'];

function parseModes(value: string | undefined): RetrievalMode[] {
  if (!value) return [...modes];
  const list = value.split(',').map((m) => m.trim());
  for (const m of list) if (!modes.includes(m as RetrievalMode)) throw new UsageError(`unknown mode "${m}": use bm25, vector or hybrid`);
  return list as RetrievalMode[];
}

class UsageError extends Error {}

/**
 * Runs one CLI command; returns the process exit code. A command that would open the data folder
 * while the service (or another command) holds it changes nothing and returns 3.
 */
export async function main(argv: string[], output: Output, env: Record<string, string | undefined>): Promise<number> {
  try {
    return await run(argv, output, env);
  } catch (error) {
    if (!(error instanceof DataFolderInUse)) throw error;
    output.err(`trogiang: ${error.message}\ntrogiang: ${error.messageVi}\n`);
    return dataFolderInUseExitCode;
  }
}

async function run(argv: string[], output: Output, env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      collection: { type: 'string', short: 'c' },
      k: { type: 'string' },
      mode: { type: 'string' },
      beir: { type: 'string' },
      fold: { type: 'boolean' },
      repair: { type: 'boolean' },
      processes: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    output.out(usage);
    return command || values.help ? 0 : 2;
  }
  if (command === 'serve') {
    // The service entry reads its settings itself; --processes is PROCESSES (checked there too).
    if (values.processes !== undefined) {
      if (!/^[1-9]\d*$/.test(values.processes)) throw new UsageError('--processes takes a whole number from 1');
      env.PROCESSES = values.processes;
    }
    await import('../server/main.js');
    // Runs until a signal stops the service (the entry exits the process then).
    return new Promise<number>(() => {});
  }
  const config = loadConfig(env);
  const collection = values.collection;
  if (command === 'eval') {
    if (!values.beir) throw new UsageError('eval needs --beir <folder>');
    await evalBeir(values.beir, parseModes(values.mode), Boolean(values.fold), config, output);
    return 0;
  }
  if (command === 'backup' || command === 'restore') {
    const file = rest[0];
    if (!file) throw new UsageError(`${command} needs a file`);
    if (command === 'backup') {
      const { bytes, indexFiles } = await backupDataFolder(config.dataDir, file);
      output.out(`backed up ${config.dataDir} to ${file} (${(bytes / 2 ** 20).toFixed(1)} MB, ${indexFiles} index files)\n`);
    } else {
      const lock = acquireDataFolderLock(config.dataDir, 'cli', 'restore');
      try {
        restoreDataFolder(file, config.dataDir);
      } finally {
        lock.release();
      }
      output.out(`restored ${file} into ${config.dataDir} (the previous folder is ${config.dataDir}.before-restore)\n`);
    }
    return 0;
  }
  if (command === 'check') return check(config, Boolean(values.repair), output);
  const engine = await openEngine(config, output, [command, ...rest.slice(0, 1)].join(' '));
  try {
    switch (command) {
      case 'ingest': {
        if (rest.length === 0) throw new UsageError('ingest needs files or folders');
        const failed = await ingestPaths(engine, rest, collection ?? config.defaultCollection, output);
        return failed > 0 ? 1 : 0;
      }
      case 'ask':
      case 'search': {
        const question = rest.join(' ').trim();
        if (!question) throw new UsageError(`${command} needs a question in quotes`);
        await ensureCorpus(engine, config, output);
        if (command === 'ask')
          await ask(engine, question, collection, output, {
            chat: createChatModelFromConfig(config),
            timeoutMs: config.llm?.timeoutMs ?? 20_000,
          });
        else {
          const mode = parseModes(values.mode ?? 'hybrid');
          await search(engine, question, Number(values.k ?? 5), collection, mode[0]!, output);
        }
        return 0;
      }
      case 'docs': {
        if (rest[0] === 'list') {
          await listDocuments(engine, output);
          return 0;
        }
        if (rest[0] === 'remove' && rest[1]) {
          const removed = await engine.removeDocument(rest[1]);
          output.out(removed ? `removed ${rest[1]}\n` : `no document ${rest[1]}\n`);
          return removed ? 0 : 1;
        }
        throw new UsageError('use `docs list` or `docs remove <id>`');
      }
      case 'export-collection': {
        if (rest.length !== 2) throw new UsageError('export-collection needs a collection id and a file');
        return await exportCollectionCommand(engine, rest[0]!, rest[1]!, output);
      }
      case 'import-collection': {
        if (rest.length !== 1) throw new UsageError('import-collection needs one .zip or .imscc file');
        return await importCollectionCommand(engine, rest[0]!, collection, output);
      }
      case 'reindex': {
        const outcomes = await engine.reindexAll();
        output.out(`re-indexed ${outcomes.length} documents\n`);
        return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await engine.close();
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  const output: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  // The entry hands the environment to loadConfig, the only reader of settings.
  main(process.argv.slice(2), output, process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        process.stderr.write(`trogiang: ${(error as Error).message}\n\n${usage}`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`trogiang: ${(error as Error).stack ?? String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
