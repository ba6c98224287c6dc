/**
 * Preloaded into the service by the soak only (`node --expose-gc --import …`): SIGUSR2 runs a full
 * garbage collection. V8 lets the heap grow by half before a major collection, so raw RSS swings
 * by a fifth under steady load; read right after a forced collection, RSS compares like with like
 * and growth means memory that is really kept.
 */
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
