import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import App from '../../src/tui/App.js';
import type { LiveState } from '../../src/tui/live.js';
import type { Row } from '../../src/tui/state.js';
import { fixedSource, sampleStore } from './fixtures.js';

const KEY = { up: '\u001b[A', down: '\u001b[B', enter: '\r', esc: '\u001b', tab: '\t', backspace: '\u007f' };

/**
 * Ink handles input and re-renders asynchronously, and on a loaded machine one frame can take
 * most of a second: no fixed pauses. After each key, poll (every 5 ms) until the frame changes,
 * at most KEY_WAIT_MS (a key that changes nothing draws nothing new): that also lets a lone ESC
 * arrive as Esc before the next key. Assertions then poll too (`settled`, vi.waitFor), since
 * one key may draw more than one frame.
 */
const KEY_WAIT_MS = 3000;
const settled = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 10 });

let sample: LiveState;
beforeAll(async () => {
  sample = (await sampleStore()).state;
});

let instance: ReturnType<typeof render> | null = null;
let dir = '';
afterEach(() => {
  instance?.unmount();
  instance = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** Polls (every 10 ms, for at most 5 s) until the frame shows what is awaited; returns the frame. */
async function until(frame: () => string, cond: (f: string) => boolean): Promise<string> {
  for (let waited = 0; waited < 5000 && !cond(frame()); waited += 10) await new Promise((r) => setTimeout(r, 10));
  return frame();
}

async function start(props: Partial<Parameters<typeof App>[0]> = {}) {
  instance = render(<App live={fixedSource(sample)} color={false} width={100} height={30} {...props} />);
  await until(() => instance!.lastFrame() ?? '', (f) => f.includes('quit'));
  const frame = () => instance!.lastFrame() ?? '';
  const send = async (...keys: string[]) => {
    for (const k of keys) {
      const before = frame();
      instance!.stdin.write(k);
      for (let waited = 0; waited < KEY_WAIT_MS && frame() === before; waited += 5) await new Promise((r) => setTimeout(r, 5));
    }
  };
  const lines = () => frame().split('\n');
  return { send, lines, frame };
}

describe('App', () => {
  test('fits the height: header, table, key hints; never more lines than the terminal has', async () => {
    const app = await start();
    const lines = app.lines();
    expect(lines.length).toBeLessThanOrEqual(29);
    expect(lines[0]).toMatch(/^maillog-doctor {2}read 1 file in/);
    expect(lines[3]).toMatch(/#\s+msgs\s+count\s+trend/);
    // Without colour (these tests' view) the selected row carries a `>`.
    expect(lines[4]).toMatch(/^> !\s+1\s+31\s+78\s.*example\.com\s+user-unknown\s+virtual/);
    expect(lines[5]).toMatch(/^ {2}!\s+2\s/);
    expect(lines.at(-1)).toContain('q quit');
  });

  test('without colour the > follows the cursor', async () => {
    const app = await start();
    await app.send('j', 'j');
    await settled(() => {
      const rows = app.lines().filter((l) => /^(> | {2})[!+ ]\s*\d+\s/.test(l));
      expect(rows.filter((l) => l.startsWith('>'))).toHaveLength(1);
      expect(rows[2]).toMatch(/^> [!+ ]\s*3\s/);
    });
  });

  test('a narrow terminal: the bottom line still ends in ? help  q quit', async () => {
    const app = await start({ width: 40 });
    expect(app.lines().at(-1)).toMatch(/\? help {2}q quit$/);
    await app.send(KEY.enter);
    await settled(() => expect(app.lines()[3]).toMatch(/^#1/));
    expect(app.lines().at(-1)).toMatch(/\? help {2}q quit$/);
  });

  test('Enter opens the detail with the verify command, Esc goes back', async () => {
    const app = await start();
    await app.send(KEY.enter);
    await settled(() => {
      expect(app.frame()).toContain('postconf -hx virtual_alias_maps');
      expect(app.frame()).toContain('top recipients');
    });
    await app.send(KEY.esc);
    await settled(() => expect(app.lines()[4]).toMatch(/example\.com\s+user-unknown/));
  });

  test('j / ↓ move the cursor: Enter opens the second finding', async () => {
    const app = await start();
    await app.send('j', KEY.down, 'k', KEY.enter);
    await settled(() => expect(app.lines()[3]).toMatch(/^#2\s+postfix\s+inbound\s+example\.org\s+blocklisted/));
  });

  test('/ filters as you type; Esc undoes', async () => {
    const app = await start();
    // A cause: no sender, recipient or queue id (which the filter looks at too) holds it.
    await app.send('/', 'g', 'r', 'e', 'y', 'l');
    await settled(() => {
      expect(app.lines().at(-1)).toMatch(/^\/greyl▏/);
      const rows = app.lines().slice(4).filter((l) => /^[!+* ]{1,2}\s*\d+ /.test(l));
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r).toMatch(/greylisted/);
    });
    await app.send(KEY.esc);
    await settled(() => expect(app.lines()[2]).not.toContain('filter'));
  });

  test('keys that arrive together are taken one by one (/gmail then Enter)', async () => {
    const app = await start();
    await app.send('/gmail\r');
    await settled(() => {
      expect(app.lines()[2]).toContain('filter gmail');
      expect(app.lines().at(-1)).toContain('q quit');
    });
  });

  test('Tab cycles the direction, s the sort, t the time window', async () => {
    const app = await start();
    await app.send(KEY.tab, KEY.tab, 's', 't');
    await settled(() => expect(app.lines()[2]).toMatch(/\[outbound\].*sort most recent.*window last 24 h/));
    const rows = app.lines().slice(4, -1);
    for (const r of rows.filter((l) => /^[!+ ]\s*\d+ /.test(l))) expect(r).toMatch(/\bout\b/);
  });

  test('? shows the help, Esc closes it', async () => {
    const app = await start();
    await app.send('?');
    await settled(() => expect(app.frame()).toContain('Keys'));
    await app.send(KEY.esc);
    await settled(() => expect(app.frame()).not.toContain('Keys'));
  });

  test('e asks for a path (prefilled), Enter writes the view and says where', async () => {
    const calls: Array<{ path: string; rows: readonly Row[] }> = [];
    const app = await start({
      now: () => new Date(2026, 10, 22, 6, 5),
      onExport: async (path, _snapshot, rows) => {
        calls.push({ path, rows });
        return `/abs${path}`;
      },
    });
    await app.send('/', 'gmail', KEY.enter, 'w');
    await settled(() => expect(app.frame()).toContain('file: ./maillog-doctor-20261122-0605.csv▏'));
    await app.send(KEY.enter);
    await until(app.frame, (f) => f.includes('wrote'));
    expect(calls).toHaveLength(1);
    // The path as planned: relative to the working folder.
    expect(calls[0]!.path).toBe(join(process.cwd(), 'maillog-doctor-20261122-0605.csv'));
    // Rows of gmail.co… domains, or with a gmail sender or recipient (the filter looks at those too).
    expect(calls[0]!.rows.every((r) => r.finding.recipientDomain?.startsWith('gmail.co') || r.details.search.includes('gmail'))).toBe(true);
    await settled(() => expect(app.lines().at(-1)).toBe(`wrote ${calls[0]!.rows.length} findings to /abs${calls[0]!.path}  ? help  q quit`));
  });

  test('a failed export keeps the prompt with the typed path and why; Esc then keeps the filter', async () => {
    const app = await start({
      onExport: async () => {
        throw new Error('permission denied');
      },
    });
    await app.send('/', 'gmail', KEY.enter, 'w', '\u0015', '/ro/mine.csv', KEY.enter);
    const frame = await until(app.frame, (f) => f.includes('permission denied'));
    expect(frame.split('\n').at(-2)).toMatch(/^could not write \/ro\/mine\.csv: permission denied {2}\(⏎ retry/);
    await settled(() => expect(app.lines().at(-1)).toBe('file: /ro/mine.csv▏'));
    await app.send(KEY.esc);
    await settled(() => {
      expect(app.lines()[2]).toContain('filter gmail');
      expect(app.lines().at(-1)).toContain('q quit');
    });
  });

  test('an existing file: asks y/n; n goes back to the path, y replaces it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-app-export-'));
    const target = join(dir, 'view.csv');
    writeFileSync(target, 'old\n');
    const app = await start();
    await app.send('w', '\u0015', target, KEY.enter);
    let frame = await until(app.frame, (f) => f.includes('Replace it?'));
    expect(frame.split('\n').at(-2)).toBe(`${target} exists. Replace it?  (y replace · n or esc back to the path)`);
    await app.send('n');
    await settled(() => expect(app.lines().at(-1)).toBe(`file: ${target}▏`));
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    await app.send(KEY.enter);
    await until(app.frame, (f) => f.includes('Replace it?'));
    await app.send('y');
    frame = await until(app.frame, (f) => f.includes('wrote'));
    expect(frame.split('\n').at(-1)).toMatch(new RegExp(`^wrote \\d+ findings to ${target.replace(/[.]/g, '\\.')}`));
    expect(readFileSync(target, 'utf8')).toMatch(/^rank,/);
  });

  test('a folder gets the default file name inside it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-app-export-'));
    mkdirSync(join(dir, 'reports'));
    const app = await start({ now: () => new Date(2026, 10, 22, 6, 5) });
    await app.send('w', '\u0015', join(dir, 'reports'), KEY.enter);
    await until(app.frame, (f) => f.includes('wrote'));
    expect(readdirSync(join(dir, 'reports'))).toEqual(['maillog-doctor-20261122-0605.csv']);
  });

  test('detail: G and g jump to the bottom and the top, the identity line stays; x shows an example whole', async () => {
    const app = await start({ height: 16 });
    await app.send(KEY.enter);
    await settled(() => expect(app.lines()[4]).toMatch(/31 messages, 78 attempts/));
    await app.send('G');
    await settled(() => {
      const lines = app.lines();
      expect(lines[3]).toMatch(/^#1\s+postfix\s+inbound\s+example\.com\s+user-unknown/);
      expect(lines.slice(4, -1).join('\n')).toMatch(/examples/);
      expect(lines.slice(4, -1).join('\n')).not.toContain('postconf -hx');
    });
    await app.send('g');
    await settled(() => {
      const lines = app.lines();
      expect(lines[3]).toMatch(/^#1\s/);
      expect(lines[4]).toMatch(/31 messages, 78 attempts/);
    });
    await app.send('x');
    await settled(() => {
      const lines = app.lines();
      expect(lines[3]).toMatch(/^#1\s/);
      expect(lines[4]).toMatch(/^example 1 of \d+, whole/);
      expect(lines[5]).toMatch(/^ {2}\S.*postfix\/smtpd/);
    });
    await app.send(KEY.esc);
    await settled(() => expect(app.lines()[4]).toMatch(/31 messages/));
  });

  test('help taller than the terminal scrolls with j and G', async () => {
    const app = await start({ height: 12 });
    await app.send('?');
    await settled(() => expect(app.frame()).toContain('Keys'));
    expect(app.frame()).not.toContain('q  Ctrl-C');
    await app.send('G');
    await settled(() => expect(app.frame()).toContain('q  Ctrl-C'));
    expect(app.lines().length).toBeLessThanOrEqual(11);
  });

  test('windowed to the height: moving past the page scrolls', async () => {
    const app = await start({ height: 15 });
    const first = app.lines()[4];
    await app.send(...Array(12).fill('j'));
    await settled(() => {
      const lines = app.lines();
      expect(lines.length).toBeLessThanOrEqual(14);
      expect(lines[4]).not.toBe(first);
      expect(lines.find((l) => /^>\s*\S?\s*13\s/.test(l))).toBeDefined();
    });
  });

  test('q quits', async () => {
    await start();
    const stdin = instance!.stdin;
    expect(stdin.listenerCount('readable')).toBeGreaterThan(0);
    stdin.write('q');
    // Quitting draws no new frame, so the key is not sent by `send` (it would wait KEY_WAIT_MS
    // for one): the view has let go of the keyboard once Ink stops listening to stdin.
    await vi.waitFor(() => expect(stdin.listenerCount('readable')).toBe(0), { timeout: KEY_WAIT_MS, interval: 5 });
    // Unmounted: further keys draw nothing. (A test that nothing happens has to wait: 300 ms.)
    const frames = instance!.frames.length;
    for (const k of ['j', KEY.enter, '?']) instance!.stdin.write(k);
    for (let waited = 0; waited < 300; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
      expect(instance!.frames.length).toBe(frames);
    }
  });
});

describe('App: evidence and search', () => {
  /** The first finding of the sample whose lines have queue ids, its index and ids. */
  const withIds = () => {
    const i = sample.snapshot.details.findIndex((d) => d.evidenceIds.split('\n').some((id) => id !== ''));
    const ids = sample.snapshot.details[i]!.evidenceIds.split('\n');
    return { i, ids };
  };

  test('e opens the finding’s lines read back from the log, with their queue ids; / and n find one; Esc goes back', async () => {
    const { i, ids } = withIds();
    expect(i).toBeGreaterThanOrEqual(0);
    const app = await start();
    await app.send(...Array<string>(i).fill('j'), 'e');
    await until(app.frame, (f) => !f.includes('reading the lines'));
    const lines = app.lines();
    expect(lines[3]).toMatch(/^evidence\s+#\d+/);
    expect(lines[4]).toMatch(/\d+ lines?/);
    const first = ids.find((id) => id !== '')!;
    expect(lines[5]).toContain(first);
    expect(lines[5]).toContain('postfix/');
    // Search the last queue id: the view scrolls to it and marks its line.
    const last = ids.filter((id) => id !== '').at(-1)!;
    await app.send('/', ...last.toLowerCase());
    expect(app.lines().at(-1)).toMatch(new RegExp(`^/${last.toLowerCase()}▏`));
    await app.send(KEY.enter);
    const marked = app.lines().filter((l) => l.startsWith('> '));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toContain(last);
    expect(app.lines()[4]).toContain(`search: ${last.toLowerCase()}`);
    await app.send('n');
    expect(app.lines().filter((l) => l.startsWith('> '))[0]).toContain(last);
    await app.send('/', 'no such text anywhere', KEY.enter);
    expect(app.lines().at(-1)).toContain('not found: no such text anywhere');
    await app.send(KEY.esc);
    expect(app.lines()[3]).not.toMatch(/^evidence/);
    expect(app.frame()).toContain('msgs');
  });

  test('the table filter finds a finding by a queue id of one of its lines', async () => {
    const { i, ids } = withIds();
    const id = ids.find((x) => x !== '')!;
    const app = await start();
    await app.send('/', id, KEY.enter);
    const rows = app.lines().slice(4).filter((l) => /^(> | {2})[!+ ]\s*\d+\s/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.includes(sample.snapshot.findings[i]!.cause))).toBe(true);
    await app.send('/', 'zz-no-such-queue-id', KEY.enter);
    expect(app.frame()).toContain('No finding in this view');
  });
});
