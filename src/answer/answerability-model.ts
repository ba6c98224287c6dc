import { z } from 'zod';
import { answerabilityFeatureNames } from './answerability-features.js';
// Imported, not read from disk beside this file: bundled copies (a test's esbuild child) carry it too.
import committedWeights from './answerability-weights.json' with { type: 'json' };

/**
 * A logistic regression over the features of `answerabilityFeatures`: the probability that the
 * materials answer the question, and the threshold under which trogiang declines. Fitted by
 * `npx tsx evals/fit-answerability.ts` on the tuning sets only (golden sets and the tuning
 * conversation sets, docs/answers.md "Answer or decline: a fitted model"); the weights live in
 * `answerability-weights.json` beside this file.
 */
export interface AnswerabilityModel {
  features: readonly string[];
  /** Standardisation of each feature: (x − mean) / scale. */
  mean: readonly number[];
  scale: readonly number[];
  weights: readonly number[];
  bias: number;
  /** Declines under this probability. */
  threshold: number;
}

const modelSchema = z.object({
  features: z.array(z.string()),
  mean: z.array(z.number()),
  scale: z.array(z.number().positive()),
  weights: z.array(z.number()),
  bias: z.number(),
  threshold: z.number().min(0).max(1),
});

/** Parses and checks a model: its features must be those `answerabilityFeatures` computes, in order. */
export function parseAnswerabilityModel(json: unknown): AnswerabilityModel {
  const model = modelSchema.parse(json);
  const expected = answerabilityFeatureNames.join(',');
  if (model.features.join(',') !== expected)
    throw new Error(`answerability model: features ${model.features.join(',')} are not ${expected}`);
  if ([model.mean, model.scale, model.weights].some((v) => v.length !== model.features.length))
    throw new Error('answerability model: one number per feature expected');
  return model;
}

/** The committed model (src/answer/answerability-weights.json). */
export const defaultAnswerabilityModel: AnswerabilityModel = parseAnswerabilityModel(committedWeights);

/** P(answerable) for one feature vector; an unknown feature (NaN) counts as its average. */
export function answerProbability(features: readonly number[], model: AnswerabilityModel = defaultAnswerabilityModel): number {
  let z = model.bias;
  features.forEach((x, i) => {
    if (!Number.isNaN(x)) z += model.weights[i]! * ((x - model.mean[i]!) / model.scale[i]!);
  });
  return 1 / (1 + Math.exp(-z));
}
