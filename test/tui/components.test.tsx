import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, test } from 'vitest';
import DetailPane, { visibleDetail } from '../../src/tui/components/DetailPane.js';
import ExportPrompt from '../../src/tui/components/ExportPrompt.js';
import FileProgress from '../../src/tui/components/FileProgress.js';
import FilterBar from '../../src/tui/components/FilterBar.js';
import FindingsTable, { rowLine } from '../../src/tui/components/FindingsTable.js';
import Header from '../../src/tui/components/Header.js';
import Help from '../../src/tui/components/Help.js';
import RangePrompt from '../../src/tui/components/RangePrompt.js';
import { detailLines } from '../../src/tui/detail-lines.js';
import type { LiveState } from '../../src/tui/live.js';
import { visibleRows, type Row } from '../../src/tui/state.js';
import { cellsOf, tableLayout } from '../../src/tui/table-layout.js';
import { colorTheme, plainTheme, severityOf } from '../../src/tui/theme.js';
import { finding, sampleStore, snapshotOf } from './fixtures.js';

const theme = plainTheme;
const ESC_OR_C1 = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const view = { filter: '', tab: 'all', sort: 'impact', window: 'all' } as const;
const frameLines = (frame: string | undefined): string[] => (frame ?? '').split('\n');

let sample: LiveState;
let sampleRows: Row[];
beforeAll(async () => {
  sample = (await sampleStore()).state;
  sampleRows = visibleRows(sample.snapshot, view, { trends: sample.trends, reference: sample.reference });
});

describe('FindingsTable', () => {
  // ink-testing-library's stdout is 100 columns: widths up to 100 only.
  test('the sample ranked: rank 1 is example.com user-unknown virtual_alias_maps, rows fit 100 columns', () => {
    const rows = sampleRows.slice(0, 5).map((row) => ({ row, spark: '▁▂█' }));
    const { lastFrame } = render(<FindingsTable rows={rows} selected={0} width={100} theme={theme} />);
    const lines = frameLines(lastFrame());
    expect(lines[0]).toMatch(/#\s+msgs\s+count\s+trend\s+dir\s+codes\s+recipient domain\s+cause\s+hint/);
    const top = sampleRows[0]!.finding;
    expect([top.messages, top.count]).toEqual([31, 78]);
    expect(lines[1]).toMatch(/^!\s+1\s+31\s+78\s+▁▂█\s+in\s+550 5\.1\.1\s+example\.com\s+user-unknown\s+virtual_alias_maps/);
    expect(lines).toHaveLength(6);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });

  test('narrow terminals drop the trend, then the codes, and still fit', () => {
    const rows = sampleRows.slice(0, 5).map((row) => ({ row, spark: '▁▂█' }));
    for (const width of [70, 50, 40]) {
      const { lastFrame } = render(<FindingsTable rows={rows} selected={null} width={width} theme={theme} />);
      const lines = frameLines(lastFrame());
      expect(lines[0]).not.toContain('trend');
      if (width < 56) expect(lines[0]).not.toContain('codes');
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
      if (width >= 70) expect(lines[1]).toContain('example.com');
      expect(lines[1]).toMatch(/^!\s+1\s+31\s+78 /);
    }
  });

  test('at 60 columns the cause and the codes keep their room; the recipient domain is cut first', () => {
    const long = finding({ recipientDomain: 'a-rather-long-recipient-domain.example', cause: 'user-unknown', smtpCodes: [550], enhancedStatus: ['5.1.1'] });
    const rows = [...sampleRows.slice(0, 8), ...visibleRows(snapshotOf([long]), view, { reference: null })].map((row) => ({ row, spark: '' }));
    for (const marker of [false, true]) {
      const { lastFrame } = render(<FindingsTable rows={rows} selected={0} marker={marker} width={60} theme={theme} />);
      const lines = frameLines(lastFrame());
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
      expect(lines[0]).toMatch(/\scodes\s.*\scause/);
      // Every code and cause of these rows whole (none is wider than the cause's 14 columns).
      for (let i = 0; i < rows.length; i++) {
        const f = rows[i]!.row.finding;
        if (f.cause.length > 14) continue;
        expect(lines[i + 1]).toMatch(new RegExp(`\\s${f.smtpCodes[0] ?? ''}[ .\\d]*\\s.*\\s${f.cause}(\\s|$)`));
      }
      expect(lines.at(-1)).not.toContain('a-rather-long-recipient-domain.example');
      expect(lines.at(-1)).toMatch(/550 5\.1\.1\s+a-?\S*…\s+user-unknown/);
    }
  });

  test('without colour the selected row is marked > in a column of its own', () => {
    const rows = sampleRows.slice(0, 3).map((row) => ({ row, spark: '' }));
    const lines = frameLines(render(<FindingsTable rows={rows} selected={1} marker width={100} theme={theme} />).lastFrame());
    expect(lines[0]).toMatch(/^ {3}\s+#\s+msgs/);
    expect(lines[1]).toMatch(/^ {2}!\s+1\s/);
    expect(lines[2]).toMatch(/^> !\s+2\s/);
    expect(lines[3]).toMatch(/^ {2}!\s+3\s/);
    // With colour the row is inverse only: no column for the marker.
    expect(frameLines(render(<FindingsTable rows={rows} selected={1} width={100} theme={colorTheme} />).lastFrame())[2]).toMatch(/^!\s+2\s/);
  });

  test('log text cannot reach the terminal: escape sequences in a domain and hint are stripped', () => {
    const snap = snapshotOf([
      finding({ recipientDomain: 'evil\u001b]0;owned\u0007.test\u001b[2J', hint: 'x\u009b31m\u202eyz', cause: 'other' }),
    ]);
    const rows = visibleRows(snap, view, { reference: null }).map((row) => ({ row, spark: '' }));
    const { lastFrame } = render(<FindingsTable rows={rows} selected={0} width={100} theme={theme} />);
    expect(lastFrame()).toContain('evil.test');
    expect(lastFrame()).toContain('xyz');
    expect(lastFrame()).not.toMatch(ESC_OR_C1);
  });

  test('no rows: says so', () => {
    const { lastFrame } = render(<FindingsTable rows={[]} selected={null} width={80} theme={theme} empty="nothing here" />);
    expect(frameLines(lastFrame())[1]).toBe('nothing here');
  });

  test('the 550 family stands out: its cells get the userUnknown role, other 5xx permanent, 4xx codes temporary', () => {
    const [uu, perm, temp] = [
      finding({ cause: 'user-unknown', smtpCodes: [550], enhancedStatus: ['5.1.1'] }),
      finding({ cause: 'blocklisted', smtpCodes: [554], enhancedStatus: ['5.7.1'] }),
      finding({ cause: 'greylisted', smtpCodes: [450], enhancedStatus: ['4.2.0'], permanent: false }),
    ];
    const rows = visibleRows(snapshotOf([uu, perm, temp]), view, { reference: null });
    expect(rows.map((r) => severityOf(r.finding))).toEqual(['userUnknown', 'permanent', 'temporary']);
    const cols = tableLayout(120, rows.map((r) => cellsOf(r, '')));
    const roleOf = (r: Row, text: string) => rowLine(cols, { row: r, spark: '' }).find((s) => s.text.trim() === text)?.role;
    expect(roleOf(rows[0]!, 'user-unknown')).toBe('userUnknown');
    expect(roleOf(rows[1]!, 'blocklisted')).toBe('permanent');
    expect(roleOf(rows[2]!, '450 4.2.0')).toBe('temporary');
    expect(roleOf(rows[2]!, 'greylisted')).toBeUndefined();
  });

  test('a permanent finding without codes (Exim ACL refusals log none) keeps its ! and the 550 family style', () => {
    const exim = finding({ mta: 'exim', cause: 'user-unknown', smtpCodes: [], enhancedStatus: [], permanent: true });
    const rows = visibleRows(snapshotOf([exim]), view, { reference: null });
    const cols = tableLayout(100, rows.map((r) => cellsOf(r, '')));
    const line = rowLine(cols, { row: rows[0]!, spark: '' });
    expect(line[0]!.text).toBe('!');
    expect(line.find((s) => s.text.trim() === 'user-unknown')?.role).toBe('userUnknown');
    expect(theme.userUnknown).toEqual({ bold: true });
    expect(colorTheme.userUnknown).toEqual({ color: 'red', bold: true });
  });

  test('mta and host columns only when the run holds several MTAs or hosts', () => {
    const mixed = snapshotOf([
      finding({ mta: 'exim', hosts: [{ host: 'mx1', count: 6 }, { host: 'mx2', count: 4 }] }),
      finding({ mta: 'postfix', hosts: [{ host: 'mx2', count: 10 }], recipientDomain: 'b.test' }),
    ]);
    const rows = visibleRows(mixed, view, { reference: null }).map((row) => ({ row, spark: '' }));
    const { lastFrame } = render(<FindingsTable rows={rows} selected={null} width={100} theme={theme} />);
    const lines = frameLines(lastFrame());
    expect(lines[0]).toMatch(/^\s+#\s+mta\s+host\s+msgs\s+count\s+trend\s+dir/);
    expect(lines[1]).toMatch(/^!\s+1\s+exim\s+2 hosts\s+4\s+10\s+in\s/);
    expect(lines[2]).toMatch(/^!\s+2\s+postfix\s+mx2\s+4\s+10\s+in\s/);
    for (const width of [60, 40]) {
      const narrow = render(<FindingsTable rows={rows} selected={null} width={width} theme={theme} />);
      for (const l of frameLines(narrow.lastFrame())) expect(l.length).toBeLessThanOrEqual(width);
    }
    const plain = visibleRows(snapshotOf([finding(), finding({ recipientDomain: 'b.test' })]), view, { reference: null });
    const one = render(<FindingsTable rows={plain.map((row) => ({ row, spark: '' }))} selected={null} width={100} theme={theme} />);
    expect(frameLines(one.lastFrame())[0]).toMatch(/^\s+#\s+msgs\s+count\s+trend\s+dir/);
  });

  test('new findings are marked +', () => {
    const snap = snapshotOf([finding(), finding({ recipientDomain: 'fresh.test' })]);
    const rows = visibleRows(snap, view, { reference: null, newKeys: new Set([snap.details[1]!.key]) });
    const { lastFrame } = render(<FindingsTable rows={rows.map((row) => ({ row, spark: '' }))} selected={null} width={100} theme={theme} />);
    expect(frameLines(lastFrame())[2]).toMatch(/^\+\s+2 .*fresh\.test/);
  });
});

describe('act or not in the view', () => {
  test('an actionable finding is marked * beside its !, an informational one is not', () => {
    const snap = snapshotOf([finding({ action: 'actionable', actionReason: 'our map' }), finding({ recipientDomain: 'other.test' })]);
    const rows = visibleRows(snap, view, { reference: null });
    const { lastFrame } = render(<FindingsTable rows={rows.map((row) => ({ row, spark: '' }))} selected={null} width={100} theme={theme} />);
    const out = frameLines(lastFrame());
    expect([out[1], out[2]]).toEqual([expect.stringMatching(/^!\*1 /), expect.stringMatching(/^! 2 /)]);
  });

  test('the detail pane says why, and names the likely intended domain of a typo', () => {
    const snap = snapshotOf([
      finding({
        direction: 'outbound',
        recipientDomain: 'gmial.com',
        cause: 'domain-not-found',
        suggestion: 'gmail.com',
        actionReason: 'the recipient domain looks like a misspelling of gmail.com: the sender’s typo',
      }),
    ]);
    const [row] = visibleRows(snap, view, { reference: null });
    const text = detailLines(row!, { width: 100, trends: null, reference: null })
      .map((l) => l.map((seg) => seg.text).join(''))
      .join('\n');
    expect(text).toMatch(/\naction\s+informational: the recipient domain looks like a misspelling of gmail\.com/);
    expect(text).toMatch(/\ntypo\?\s+gmial\.com: did the sender mean gmail\.com\?/);
  });
});

describe('DetailPane', () => {
  test('the top finding: verify command, advice, timeline, top lists and examples', () => {
    const lines = detailLines(sampleRows[0]!, { width: 100, trends: sample.trends, reference: sample.reference });
    const { lastFrame } = render(<DetailPane lines={lines} scroll={0} height={40} width={100} theme={theme} />);
    const text = lastFrame()!;
    expect(text).toMatch(/^#1\s+postfix\s+inbound\s+example\.com\s+user-unknown\s+virtual_alias_maps\s+550 5\.1\.1/);
    expect(text).toMatch(/\n31 messages, 78 attempts · 78 permanent · 0 temporary\n/);
    expect(text).toMatch(/\nrule\s+postfix\.inbound\.virtual-alias-unknown\n/);
    expect(text).toMatch(/\nhost\s+mx1 \(78\)\n/);
    expect(text).toContain('postconf -hx virtual_alias_maps');
    expect(text).toMatch(/advice\s+The domain is a virtual alias domain/);
    expect(text).toMatch(/per hour, last 24 h\s+\d\d:\d\d .*peak \d+\/h/);
    expect(text).toMatch(/top recipients\s+top senders\s+client IPs/);
    expect(text).toContain('examples');
    expect(text).toMatch(/postfix\/smtpd\[\d+\]: .*reject: RCPT/);
    for (const l of frameLines(text)) expect(l.length).toBeLessThanOrEqual(100);
  });

  test('narrow: the lists stack, lines still fit', () => {
    const lines = detailLines(sampleRows[0]!, { width: 60, trends: sample.trends, reference: sample.reference });
    const { lastFrame } = render(<DetailPane lines={lines} scroll={0} height={80} width={60} theme={theme} />);
    const text = lastFrame()!;
    expect(text).toMatch(/\ntop recipients\n/);
    expect(text).toMatch(/per 5 min, last hour/);
    for (const l of frameLines(text)) expect(l.length).toBeLessThanOrEqual(60);
  });

  test('cut to its height, with a line saying how much more there is', () => {
    const lines = detailLines(sampleRows[0]!, { width: 100, trends: sample.trends, reference: sample.reference });
    const shown = visibleDetail(lines, 2, 10);
    expect(shown).toHaveLength(10);
    expect(shown[9]![0]!.text).toMatch(/^↓ \d+ more lines/);
    const { lastFrame } = render(<DetailPane lines={lines} scroll={2} height={10} width={100} theme={theme} />);
    expect(frameLines(lastFrame())).toHaveLength(10);
  });

  test('scrolled, the identity line stays on top', () => {
    const lines = detailLines(sampleRows[0]!, { width: 100, trends: sample.trends, reference: sample.reference });
    const shown = visibleDetail(lines, 5, 10).map((l) => l.map((seg) => seg.text).join(''));
    expect(shown[0]).toMatch(/^#1\s+postfix\s+inbound\s+example\.com\s+user-unknown/);
    expect(shown[1]).toBe(lines[6]!.map((seg) => seg.text).join(''));
    const bottom = visibleDetail(lines, 1000, 10);
    expect(bottom[0]).toBe(lines[0]);
    expect(bottom.at(-1)).toBe(lines.at(-1));
  });

  test('the examples: each different line once; x shows one whole, wrapped', () => {
    const raw = `Nov 22 06:00:01 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.1]: 550 5.1.1 <${'u'.repeat(150)}@example.com>: Recipient address rejected`;
    const other = 'Nov 22 06:00:02 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from y[192.0.2.2]: 550 5.1.1 <b@example.com>';
    const row = visibleRows(snapshotOf([finding({ examples: [raw, raw, other, raw] })]), view, { reference: null })[0]!;
    const text = (l: ReturnType<typeof detailLines>) => l.map((x) => x.map((seg) => seg.text).join(''));
    const usual = text(detailLines(row, { width: 60, reference: null }));
    const examples = usual.slice(usual.findIndex((l) => l.startsWith('examples')) + 1);
    expect(examples).toHaveLength(2);
    expect(examples[0]).toMatch(/^ {2}Nov 22 06:00:01 .*…$/);
    const whole = text(detailLines(row, { width: 60, reference: null, example: 0 }));
    expect(whole[0]).toMatch(/^#1 /);
    expect(whole[1]).toMatch(/^example 1 of 2, whole/);
    expect(whole.slice(2).map((l) => l.slice(2)).join('')).toBe(raw);
    for (const l of whole.slice(1)) expect(l.length).toBeLessThanOrEqual(60);
    expect(text(detailLines(row, { width: 60, reference: null, example: 1 })).slice(2)).toEqual([`  ${other.slice(0, 58)}`, `  ${other.slice(58)}`]);
  });

  test('every rule with its count, and every host with its count, when there are several', () => {
    const snap = snapshotOf([
      finding(
        {
          messages: 1,
          count: 1234,
          rule: 'exim.b',
          rules: [
            { rule: 'exim.b', count: 1000 },
            { rule: 'exim.a', count: 234 },
          ],
          hosts: [
            { host: 'mx2', count: 1200 },
            { host: 'mx\u001b[31m1', count: 34 },
          ],
        },
        { approximate: { messages: true, recipients: false, senders: false, clients: false, topLists: false } },
      ),
    ]);
    const row = visibleRows(snap, view, { reference: null })[0]!;
    const { lastFrame } = render(<DetailPane lines={detailLines(row, { width: 100, reference: null })} scroll={0} height={40} width={100} theme={theme} />);
    const text = lastFrame()!;
    expect(text).toMatch(/\n≈1 message, 1,234 attempts · /);
    expect(text).toMatch(/\nrule\s+exim\.b \(1,000\) · exim\.a \(234\)\n/);
    expect(text).toMatch(/\nhosts\s+mx2 \(1,200\) · mx1 \(34\)\n/);
    expect(text).not.toMatch(ESC_OR_C1);
  });

  test('the verify command is continued with ` \\` between words, a quoted value kept whole', () => {
    const verify = "grep -F -e 'a value with several spaces in it' -- '/var/log/a folder/mail.log' | tail -n 20";
    const row = visibleRows(snapshotOf([finding({ verify })]), view, { reference: null })[0]!;
    const lines = detailLines(row, { width: 50, reference: null }).map((l) => l.map((s) => s.text).join(''));
    const start = lines.findIndex((l) => l.startsWith('verify'));
    const shown: string[] = [];
    for (let i = start; shown.length === 0 || shown[shown.length - 1]!.endsWith(' \\'); i++) shown.push(lines[i]!.slice(lines[start]!.indexOf('grep')));
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.join('\n').replace(/ \\\n */g, ' ')).toBe(verify);
  });

  test('hostile addresses and examples are sanitised', () => {
    const snap = snapshotOf([
      finding(
        { examples: ['line \u001b[31mred\u001b[0m\u0007 end'], verify: "postmap -q 'a\u001b]8;;http://x\u0007b'" },
        { topSenders: [{ address: 'bad\u009b2J@x.test', count: 1 }] },
      ),
    ]);
    const row = visibleRows(snap, view, { reference: null })[0]!;
    const { lastFrame } = render(<DetailPane lines={detailLines(row, { width: 100, reference: null })} scroll={0} height={40} width={100} theme={theme} />);
    expect(lastFrame()).toContain('line red end');
    expect(lastFrame()).toContain("postmap -q 'ab'");
    expect(lastFrame()).toContain('bad@x.test');
    expect(lastFrame()).not.toMatch(ESC_OR_C1);
  });
});

describe('Header', () => {
  test('status, totals and the view, each cut to the width', () => {
    const s = sample.snapshot;
    const { lastFrame } = render(
      <Header
        summary={s.summary}
        phase="done"
        follow={null}
        elapsedMs={400}
        linesPerSec={0}
        problemsPerMin={0}
        shown={7}
        total={s.findings.length}
        view={{ tab: 'outbound', sort: 'recent', window: 'day', filter: 'gmail' }}
        width={100}
        theme={theme}
      />,
    );
    const [status, totals, viewLine] = frameLines(lastFrame());
    expect(status).toBe(`maillog-doctor  read 1 file in 0.4s  ·  ${s.findings.length} findings`);
    expect(totals).toMatch(/^lines 5,021 {2}recognised [\d,]+ {2}rejected [\d,]+ {2}bounced [\d,]+ {2}deferred [\d,]+ {2}2026-\d\d-\d\d \d\d:\d\d → /);
    expect(viewLine).toBe(` all  inbound [outbound] local    sort most recent   window last 24 h   filter gmail   7 of ${s.findings.length}`);
  });

  test('a custom window shows its range in UTC', () => {
    const range = { from: Date.parse('2026-11-22T06:00:00Z'), to: Date.parse('2026-11-22T12:00:00Z') };
    const { lastFrame } = render(
      <Header
        summary={sample.snapshot.summary}
        phase="done"
        follow={null}
        elapsedMs={400}
        linesPerSec={0}
        problemsPerMin={0}
        shown={2}
        total={9}
        view={{ ...view, window: 'custom', range }}
        width={120}
        theme={theme}
      />,
    );
    expect(frameLines(lastFrame())[2]).toBe('[all] inbound  outbound  local    sort impact   window 2026-11-22 06:00 → 12:00 UTC   2 of 9');
  });

  test('while following: the file, rates and rotations', () => {
    const { lastFrame } = render(
      <Header
        summary={sample.snapshot.summary}
        phase="following"
        follow={{ path: 'mail.log', rotations: 2 }}
        elapsedMs={4000}
        linesPerSec={12}
        problemsPerMin={3}
        shown={1}
        total={1}
        view={view}
        width={100}
        theme={theme}
      />,
    );
    expect(frameLines(lastFrame())[0]).toBe(
      'maillog-doctor  following mail.log · 12 lines/s · 3 problems/min · 2 rotations  ·  1 finding',
    );
  });
});

describe('FileProgress', () => {
  test('a bar per file with bytes, rate and time left; finished and waiting files', () => {
    const files = [
      { path: 'mail.log.2.gz', lines: 4000, bytesRead: 500, size: 500, done: true, linesPerSec: 200_000, etaMs: null },
      { path: 'mail.log.1', lines: 1000, bytesRead: 1024 * 1024, size: 4 * 1024 * 1024, done: false, linesPerSec: 150_000, etaMs: 3000 },
      { path: 'mail.log', lines: 0, bytesRead: null, size: null, done: false, linesPerSec: null, etaMs: null },
    ];
    const { lastFrame } = render(<FileProgress files={files} width={100} theme={theme} />);
    const [a, b, c] = frameLines(lastFrame());
    expect(a).toBe('mail.log.2.gz  done  4,000 lines  200k lines/s');
    expect(b).toBe('mail.log.1     █████░░░░░░░░░░░░░░░  25%  1.0 MiB of 4.0 MiB  150k lines/s  ETA 3.0s');
    expect(c).toBe('mail.log       waiting');
  });

  test('many files: the finished ones summed up in one line', () => {
    const files = Array.from({ length: 8 }, (_, i) => ({
      path: `f${i}`,
      lines: 10,
      bytesRead: 1,
      size: 1,
      done: i < 6,
      linesPerSec: null,
      etaMs: null,
    }));
    const { lastFrame } = render(<FileProgress files={files} width={80} theme={theme} maxLines={3} />);
    const lines = frameLines(lastFrame());
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('6 of 8 files done, 60 lines');
  });
});

describe('FilterBar, ExportPrompt, Help', () => {
  test('the filter being typed, then the key hints, then a message', () => {
    const typing = render(<FilterBar mode="filter" filter="gmail" message={null} width={80} theme={theme} />);
    expect(typing.lastFrame()).toMatch(/^\/gmail▏/);
    const hints = render(<FilterBar mode="table" filter="" message={null} width={100} theme={theme} />);
    expect(hints.lastFrame()).toContain('/ filter');
    expect(hints.lastFrame()).toContain('q quit');
    const msg = render(<FilterBar mode="table" filter="" message={{ text: 'wrote 3 findings to /tmp/x.csv', kind: 'info' }} width={80} theme={theme} />);
    expect(msg.lastFrame()).toBe('wrote 3 findings to /tmp/x.csv  ? help  q quit');
  });

  test('however narrow, the bar ends in ? help  q quit', () => {
    for (const mode of ['table', 'detail', 'help'] as const) {
      for (const width of [40, 30, 20]) {
        const bar = render(<FilterBar mode={mode} filter="" message={null} width={width} theme={theme} />).lastFrame()!;
        expect(bar.endsWith('? help  q quit')).toBe(true);
        expect(bar.length).toBeLessThanOrEqual(width);
      }
    }
    const long = { text: `could not write /${'x'.repeat(80)}.csv: permission denied`, kind: 'error' as const };
    expect(render(<FilterBar mode="table" filter="" message={long} width={60} theme={theme} />).lastFrame()).toMatch(/^could not write \/x+… \? help {2}q quit$/);
  });

  test('after a failure the export prompt says why above the path; for an existing file it asks y/n', () => {
    const failed = render(<ExportPrompt path="/ro/x.csv" rows={2} error="could not write /ro/x.csv: permission denied" width={100} theme={theme} />);
    expect(frameLines(failed.lastFrame())).toEqual([
      'could not write /ro/x.csv: permission denied  (⏎ retry · esc cancel · ctrl-u clear)',
      'file: /ro/x.csv▏',
    ]);
    const asking = render(<ExportPrompt path="x.csv" rows={2} replace="/w/x.csv" width={100} theme={theme} />);
    expect(frameLines(asking.lastFrame())).toEqual(['/w/x.csv exists. Replace it?  (y replace · n or esc back to the path)', 'file: x.csv▏']);
  });

  test('the export prompt shows the path being edited', () => {
    const { lastFrame } = render(<ExportPrompt path="./maillog-doctor-20261122-0605.csv" rows={12} width={100} theme={theme} />);
    expect(frameLines(lastFrame())).toEqual([
      'Export the 12 findings of this view to CSV  (⏎ write · esc cancel · ctrl-u clear)',
      'file: ./maillog-doctor-20261122-0605.csv▏',
    ]);
  });

  test('the range prompt shows the text being typed, and a refused range in one line', () => {
    const typing = render(<RangePrompt input="06:00..12" error={null} width={100} theme={theme} />);
    expect(frameLines(typing.lastFrame())).toEqual([
      'Time window FROM..TO in UTC: YYYY-MM-DD HH:MM or HH:MM, a side may be empty  (⏎ apply · esc cancel)',
      'range: 06:00..12▏',
    ]);
    const refused = render(<RangePrompt input="12:00..06:00" error="the range ends before it starts" width={100} theme={theme} />);
    expect(frameLines(refused.lastFrame())).toEqual(['! the range ends before it starts  (⏎ apply · esc cancel)', 'range: 12:00..06:00▏']);
  });

  test('help lists the keys and is cut to its height', () => {
    const { lastFrame } = render(<Help width={100} height={40} theme={theme} />);
    for (const k of ['Enter', 'Esc', '/', 'Tab', 's ', 't ', 'e ', '?', 'q  Ctrl-C']) expect(lastFrame()).toContain(k);
    expect(frameLines(render(<Help width={100} height={4} theme={theme} />).lastFrame())).toHaveLength(4);
  });

  test('help taller than the screen scrolls, saying how much more there is', () => {
    const top = frameLines(render(<Help width={100} height={6} theme={theme} />).lastFrame());
    expect(top[0]).toBe('Keys');
    expect(top[5]).toMatch(/^↓ \d+ more lines/);
    const end = frameLines(render(<Help width={100} height={6} scroll={1000} theme={theme} />).lastFrame());
    expect(end).toHaveLength(6);
    expect(end[5]).toMatch(/^! permanent failure/);
    expect(end.join('\n')).toContain('q  Ctrl-C');
  });
});
