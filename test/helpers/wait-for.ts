/**
 * Polls `cond` every `stepMs` for at most `ms`; fails with `what` if it never holds. Every wait
 * of the follow-mode tests is bounded by this.
 */
export async function waitFor(cond: () => boolean, what: string, ms = 5000, stepMs = 10): Promise<void> {
  for (let waited = 0; waited < ms; waited += stepMs) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
