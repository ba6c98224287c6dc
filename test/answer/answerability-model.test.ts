/**
 * The answer-or-decline model (src/answer/answerability-model.ts): the committed weights are the
 * features the code computes, a model of other features is refused, and the fit is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { answerabilityFeatureNames } from '../../src/answer/answerability-features.js';
import { answerProbability, defaultAnswerabilityModel, parseAnswerabilityModel } from '../../src/answer/answerability-model.js';
import { fitLogistic } from '../../evals/fit-answerability.js';

describe('the answerability model', () => {
  it('commits one weight per feature the code computes, and a threshold between 0 and 1', () => {
    expect(defaultAnswerabilityModel.features).toEqual([...answerabilityFeatureNames]);
    expect(defaultAnswerabilityModel.threshold).toBeGreaterThan(0);
    expect(defaultAnswerabilityModel.threshold).toBeLessThan(1);
  });

  it('refuses weights fitted on other features', () => {
    const stale = { ...defaultAnswerabilityModel, features: [...answerabilityFeatureNames].reverse() };
    expect(() => parseAnswerabilityModel(stale)).toThrow(/features/);
    expect(() => parseAnswerabilityModel({ ...defaultAnswerabilityModel, weights: [1] })).toThrow(/one number per feature/);
  });

  it('gives a lower probability when a salient word is missing, all else equal', () => {
    const base = answerabilityFeatureNames.map((_, j) => defaultAnswerabilityModel.mean[j]!);
    const missing = [...base];
    missing[answerabilityFeatureNames.indexOf('salientMissing')] = 1;
    const present = [...base];
    present[answerabilityFeatureNames.indexOf('salientMissing')] = 0;
    expect(answerProbability(missing)).toBeLessThan(answerProbability(present));
  });

  it('fits the same weights twice, and separates a separable set', () => {
    const xs = [[0.1], [0.2], [0.3], [0.7], [0.8], [0.9]];
    const ys = [0, 0, 0, 1, 1, 1];
    const a = fitLogistic(xs, ys, { steps: 500 });
    const b = fitLogistic(xs, ys, { steps: 500 });
    expect(a).toEqual(b);
    const model = { features: ['x'], ...a, threshold: 0.5 };
    const p = (x: number) => 1 / (1 + Math.exp(-(model.bias + model.weights[0]! * ((x - model.mean[0]!) / model.scale[0]!))));
    expect(xs.map(([x]) => p(x!) >= 0.5)).toEqual(ys.map((y) => y === 1));
  });
});
