/**
 * A random unit vector drawn from `rand` (a seeded generator, so runs see the same vectors). Each
 * coordinate is a sum of three uniforms: roughly Gaussian, so directions are roughly uniform.
 * Callers pass their own generator, so other draws from it keep their place in its stream.
 */
export function randomUnitVector(rand: () => number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = rand() + rand() + rand() - 1.5;
    v[i] = x;
    norm += x * x;
  }
  for (let i = 0; i < dims; i++) v[i]! /= Math.sqrt(norm);
  return v;
}
