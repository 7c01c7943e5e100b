/**
 * The invariants every MTA's rule table keeps (lnav's "every pattern has a sample" idea applied
 * to rules), as one set of tests each table file runs on itself.
 */
import { expect, test } from 'vitest';
import { PLACEHOLDERS, type Rule } from '../../src/classify/classify.js';
import { Cause, Direction } from '../../src/classify/types.js';

export function ruleTableInvariants(mta: string, rules: readonly Rule[], hitRuleIds: () => Iterable<string>): void {
  test('rule ids are unique and say their MTA and direction', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of rules) expect(r.id).toMatch(new RegExp(`^${mta}\\.${r.direction}\\.[a-z0-9-]+$`));
  });

  test('every rule is hit by at least one case', () => {
    const hit = new Set(hitRuleIds());
    expect(rules.map((r) => r.id).filter((id) => !hit.has(id))).toEqual([]);
  });

  test('every cause has a rule', () => {
    // server-health findings come from health lines (src/classify/health.ts), not from a rule table.
    const used = new Set<string>([...rules.map((r) => r.cause), 'server-health']);
    expect(Cause.options.filter((c) => !used.has(c))).toEqual([]);
  });

  test('each direction ends with one catch-all `other`, and nothing follows it', () => {
    for (const d of Direction.options) {
      const own = rules.filter((r) => r.direction === d);
      const catchAll = own.findIndex((r) => Object.keys(r.match).length === 0);
      expect(catchAll, d).toBe(own.length - 1);
      expect(own[catchAll]!.id).toBe(`${mta}.${d}.other`);
      expect(own[catchAll]!.cause).toBe('other');
    }
  });

  test('substrings are lower case (the text is lower-cased before matching)', () => {
    for (const r of rules) {
      for (const s of [...(r.match.any ?? []), ...(r.match.all ?? [])]) expect(s, r.id).toBe(s.toLowerCase());
    }
  });

  test('no rule reads the digits of an IPv4 address (normalise() turns them into 0)', () => {
    const quad = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/;
    for (const r of rules) {
      for (const s of [...(r.match.any ?? []), ...(r.match.all ?? [])]) expect(s, r.id).not.toMatch(quad);
      // A regex may ask for an address's shape (`[0-9a-f.:]`), never for particular digits in one.
      if (r.match.re) expect(r.match.re.source, r.id).not.toMatch(/\d\\\.|\\\.\d|127|192|10\\\./);
    }
  });

  test('regexes avoid the backtracking shapes (no .*, no quantified groups)', () => {
    for (const r of rules) {
      if (r.match.re) expect(r.match.re.source, r.id).not.toMatch(/\.\*|\.\+|\)[*+{]/);
    }
  });

  test('verify templates use only known placeholders; hints only {restrictions}, never an address', () => {
    const known = new Set<string>(PLACEHOLDERS);
    for (const r of rules) {
      for (const m of r.verify.matchAll(/\{([a-z_]+)\}/g)) expect(known.has(m[1]!), `${r.id}: {${m[1]}}`).toBe(true);
      expect(r.hint.replace('{restrictions}', ''), r.id).not.toMatch(/[{}@]/);
    }
  });
}
