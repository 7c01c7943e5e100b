/**
 * Pieces of a throw-away Postfix instance shared by the real-Postfix tests
 * (test/e2e/real-postfix.test.ts, test/e2e/lab-postfix.test.ts).
 */

/**
 * The master.cf services every instance needs, unchrooted (the instance lives in a temporary
 * directory, not under /var/spool/postfix); the caller adds its listeners and extra services.
 */
export function baseServices(): string[] {
  const svc = (name: string, type: string, priv: string, chroot: string, wakeup: string, limit: string, cmd: string) =>
    [name, type, priv, '-', chroot, wakeup, limit, cmd].join(' ');
  return [
    svc('pickup', 'unix', 'n', 'n', '60', '1', 'pickup'),
    svc('cleanup', 'unix', 'n', 'n', '-', '0', 'cleanup'),
    svc('qmgr', 'unix', 'n', 'n', '300', '1', 'qmgr'),
    svc('rewrite', 'unix', '-', 'n', '-', '-', 'trivial-rewrite'),
    svc('bounce', 'unix', '-', 'n', '-', '0', 'bounce'),
    svc('defer', 'unix', '-', 'n', '-', '0', 'bounce'),
    svc('trace', 'unix', '-', 'n', '-', '0', 'bounce'),
    svc('verify', 'unix', '-', 'n', '-', '1', 'verify'),
    svc('flush', 'unix', 'n', 'n', '1000?', '0', 'flush'),
    svc('proxymap', 'unix', '-', 'n', '-', '-', 'proxymap'),
    svc('smtp', 'unix', '-', 'n', '-', '-', 'smtp'),
    svc('relay', 'unix', '-', 'n', '-', '-', 'smtp'),
    svc('showq', 'unix', 'n', 'n', '-', '-', 'showq'),
    svc('error', 'unix', '-', 'n', '-', '-', 'error'),
    svc('retry', 'unix', '-', 'n', '-', '-', 'error'),
    svc('discard', 'unix', '-', 'n', '-', '-', 'discard'),
    'local unix - n n - - local',
    'virtual unix - n n - - virtual',
    svc('anvil', 'unix', '-', 'n', '-', '1', 'anvil'),
    svc('scache', 'unix', '-', 'n', '-', '1', 'scache'),
  ];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ok` up to `tries` times, `ms` apart: every wait of a real-Postfix test is bounded. */
export async function waitFor(what: string, ok: () => boolean, tries = 100, ms = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (ok()) return;
    await sleep(ms);
  }
  throw new Error(`timed out waiting for ${what}`);
}
