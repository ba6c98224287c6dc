/**
 * `npm run eval:verified`: the verified-answer matching evaluation alone, over the shipped
 * corpus's statistics (IDF, local vectors) as the service has them. `npm run eval` prints the
 * same report after the golden sets.
 */
import { resolve } from 'node:path';
import { openCorpus } from '../lib/corpus-engine.js';
import { renderVerifiedEval, runVerifiedEval } from './verified-eval.js';
import { matcherDepsOf } from '../../src/verified/matcher-deps.js';

const corpus = await openCorpus('golden', resolve(import.meta.dirname, '../../corpus'), 'default');
try {
  const report = await runVerifiedEval(matcherDepsOf(corpus.engine));
  process.stdout.write(renderVerifiedEval(report));
  process.stdout.write(`${JSON.stringify({ verified: report })}\n`);
} finally {
  corpus.close();
}
