/**
 * Lab scenarios: what was sent and what each recipient must come out as, declared before
 * anything is sent, so that the expected findings are computed from the scenarios and never
 * read from the log. Findings are compared as a set of groups keyed by (direction, recipient
 * domain, cause, hint) with exact counts: the order of findings and any other field are free.
 *
 *   const lab = new Scenarios();
 *   lab.expect('ghost1@valias.test', { direction: 'inbound', cause: 'user-unknown', hint: 'virtual_alias_maps' });
 *   lab.accept('alice@vmbox.test');                  // delivered: no finding
 *   … send …
 *   expect(groupsOf(report.findings)).toEqual(lab.groups());
 *
 * Shared by the Postfix and the Exim labs: keep the API small.
 */

export interface Outcome {
  direction: 'inbound' | 'outbound' | 'local';
  cause: string;
  hint: string;
  /** The finding's domain when it is not the recipient's (e.g. null for a refusal before RCPT, or the original recipient's). */
  recipientDomain?: string | null;
}

/** One finding reduced to its key and count. */
export interface Group {
  direction: string;
  recipientDomain: string | null;
  cause: string;
  hint: string;
  count: number;
}

/** The fields of a finding that groupsOf() reads: any finding shape with at least these works. */
export interface FindingKey {
  direction: string;
  recipientDomain: string | null;
  cause: string;
  hint: string;
  count: number;
}

const keyOf = (g: Omit<Group, 'count'>) => JSON.stringify([g.direction, g.recipientDomain, g.cause, g.hint]);

function sorted(groups: Iterable<Group>): Group[] {
  return [...groups].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** Findings as groups, in a stable order (by key), with the count of each. */
export function groupsOf(findings: readonly FindingKey[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const f of findings) {
    const g = { direction: f.direction, recipientDomain: f.recipientDomain, cause: f.cause, hint: f.hint, count: 0 };
    const k = keyOf(g);
    const had = byKey.get(k) ?? g;
    had.count += f.count;
    byKey.set(k, had);
  }
  return sorted(byKey.values());
}

export class Scenarios {
  private readonly groupsByKey = new Map<string, Group>();
  private readonly accepted: string[] = [];
  /** Every recipient declared, with its outcome (null: accepted and delivered). */
  readonly recipients: Array<{ address: string; outcome: Outcome | null; times: number }> = [];

  /** `address` must come out `times` times as `outcome` (one event per refusal, bounce or deferral). */
  expect(address: string, outcome: Outcome, times = 1): string {
    if (times < 1) throw new Error('times must be at least 1');
    const at = address.lastIndexOf('@');
    const domain = outcome.recipientDomain !== undefined ? outcome.recipientDomain : at < 0 ? null : address.slice(at + 1).toLowerCase();
    const g: Group = { direction: outcome.direction, recipientDomain: domain, cause: outcome.cause, hint: outcome.hint, count: 0 };
    const k = keyOf(g);
    const had = this.groupsByKey.get(k) ?? g;
    had.count += times;
    this.groupsByKey.set(k, had);
    this.recipients.push({ address, outcome, times });
    return address;
  }

  /** `address` is delivered: it must not appear in any finding. */
  accept(address: string): string {
    this.accepted.push(address);
    this.recipients.push({ address, outcome: null, times: 1 });
    return address;
  }

  /** The expected groups, in groupsOf()'s order. */
  groups(): Group[] {
    return sorted([...this.groupsByKey.values()].map((g) => ({ ...g })));
  }

  /** Number of events the scenarios expect in all. */
  get events(): number {
    let n = 0;
    for (const g of this.groupsByKey.values()) n += g.count;
    return n;
  }
}

/**
 * How many expected groups came out exactly (same key and count), and which did not: for
 * reporting an agreement rate; a lab test still asserts full equality.
 */
export function agreement(got: readonly Group[], want: readonly Group[]): { exact: number; total: number; missing: Group[]; unexpected: Group[] } {
  const have = new Map(got.map((g) => [keyOf(g), g]));
  const wanted = new Map(want.map((g) => [keyOf(g), g]));
  const missing = want.filter((g) => have.get(keyOf(g))?.count !== g.count);
  const unexpected = got.filter((g) => wanted.get(keyOf(g))?.count !== g.count);
  return { exact: want.length - missing.length, total: want.length, missing, unexpected };
}
