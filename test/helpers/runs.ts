/**
 * How many cases a fast-check property runs: `numRuns: runs(2000)`. `npm test` runs them all.
 * The edit loop (`npm run test:unit`, whose config sets MLD_PROPERTY_SHARE) runs that share of
 * them, at least 20: with a seed, the first cases of the very sequence `npm test` runs, so what
 * fails in the loop fails there too, and `npm test` goes on to the rest.
 */
export function runs(n: number): number {
  const share = Number(process.env.MLD_PROPERTY_SHARE ?? '1');
  if (!(share > 0 && share < 1)) return n;
  return Math.min(n, Math.max(20, Math.ceil(n * share)));
}
