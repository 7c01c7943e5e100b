import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import { Traffic } from '../../src/aggregate/traffic.js';
import TrafficOverview from '../../src/tui/components/TrafficOverview.js';
import { keyToAction } from '../../src/tui/keymap.js';
import { initialViewState, reduce } from '../../src/tui/state.js';
import { themeFor } from '../../src/tui/theme.js';
import { authFailure, delivery, received } from '../aggregate/fixtures.js';

const ctx = { rowKeys: ['a', 'b'], pageSize: 5, detailLines: 40 };

describe('traffic overview in the view', () => {
  test('o opens it from the table and the detail pane; o, Esc or Enter go back where it was opened', () => {
    expect(keyToAction('o', {}, 'table')).toEqual({ type: 'overview' });
    expect(keyToAction('o', {}, 'detail')).toEqual({ type: 'overview' });
    expect(keyToAction('o', {}, 'overview')).toEqual({ type: 'overview' });
    expect(keyToAction('', { escape: true }, 'overview')).toEqual({ type: 'back' });
    expect(keyToAction('', { return: true }, 'overview')).toEqual({ type: 'back' });
    // Typed text stays text.
    expect(keyToAction('o', {}, 'filter')).toEqual({ type: 'filterType', text: 'o' });
    const open = reduce(initialViewState, { type: 'overview' }, ctx);
    expect(open.mode).toBe('overview');
    expect(reduce(open, { type: 'overview' }, ctx).mode).toBe('table');
    expect(reduce(open, { type: 'back' }, ctx).mode).toBe('table');
    const fromDetail = reduce({ ...initialViewState, mode: 'detail' }, { type: 'overview' }, ctx);
    expect(reduce(fromDetail, { type: 'back' }, ctx).mode).toBe('detail');
  });

  test('scrolls with j/k and G/g, within its lines', () => {
    let v = reduce(initialViewState, { type: 'overview' }, ctx);
    v = reduce(v, keyToAction('j', {}, 'overview')!, ctx);
    expect(v.overviewScroll).toBe(1);
    v = reduce(v, keyToAction('G', {}, 'overview')!, ctx);
    expect(v.overviewScroll).toBe(35);
    v = reduce(v, keyToAction('g', {}, 'overview')!, ctx);
    expect(v.overviewScroll).toBe(0);
    expect(v.detailScroll).toBe(0);
  });

  test('shows what the analysis computed, sanitised', () => {
    const t = new Traffic();
    t.add(received());
    t.add(delivery({ status: 'sent', to: 'a@dest\u001b[2J.example', delay: 2 }));
    t.add(authFailure({ username: 'admin' }));
    const { lastFrame } = render(<TrafficOverview traffic={t.report()} width={100} height={30} theme={themeFor(false)} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Traffic (o or Esc: back to the findings)');
    expect(frame).toContain('1 received, 1 delivered, 0 deferred, 0 bounced, 0 rejected');
    expect(frame).toContain('203.0.113.5');
    expect(frame).toContain('admin');
    expect(frame).not.toContain('\u001b[2J');
  });

  test('the help screen lists the key', async () => {
    const { helpLines } = await import('../../src/tui/components/Help.js');
    expect(helpLines().some((l) => l.map((s) => s.text).join('').includes('o ') && l.map((s) => s.text).join('').includes('traffic overview'))).toBe(true);
  });
});
