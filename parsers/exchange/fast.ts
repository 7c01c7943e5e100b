/**
 * The fast path of the Exchange parser (FastPath in parsers/types.ts) for native message
 * tracking logs: a front that settles the rows line() ignores (AGENTINFO and the other event ids
 * of tracking.ts NO_EVENT) on the reader thread, passes RECEIVE rows on as state updates of the
 * few cells the machine keeps, and the sent-delivery shortcut for rows that deliver to one
 * recipient. It reads only rows it can cut as csv-row.ts CellCuts does; any
 * other line (headers, blank lines, protocol logs, Export-Csv, Format-List, rows csv-parse
 * would have to decide) goes to the machine, which decides it as ever.
 */
import type { IgnoreReason } from '../../src/event.js';
import { FRONT_IGNORED, FRONT_PARSE, FRONT_UNDECIDED, FRONT_UPDATE, type FastPath, type FrontContext, type FrontResume, type FrontVerdict, type LineFront, type SentSpans } from '../types.js';
import { CellCuts } from './csv-row.js';
import { layoutByCount, layoutFromFieldsLine, type Layout } from './columns.js';
import { anyTime } from './time.js';
import { ignoreReasonOf, isSentEventId, MAX_RECIPIENTS_PER_ROW } from './tracking.js';

/** Cells cut at most; a row with more goes to the machine (no documented layout has over 30). */
const MAX_CELLS = 64;

/** The cutter of plain rows (csv-row.ts), stopping at MAX_CELLS cells. */
export class FrontCuts extends CellCuts {
  override cut(line: string): boolean {
    return super.cut(line, MAX_CELLS);
  }
}

/** Is a header layout the documented one for its width (same fields at the same columns)? */
function isDocumented(layout: Layout): boolean {
  const doc = layoutByCount(layout.width);
  if (doc === null || doc.index.size !== layout.index.size) return false;
  for (const [field, i] of doc.index) if (layout.index.get(field) !== i) return false;
  return true;
}

const isDigitAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/**
 * The front for one input. It follows the input's `#Fields:` header as the machine does, and
 * gives up on the input (passes every later line on) at its first line that is neither a native
 * row, a `#` header nor blank: Export-Csv and Format-List change how the machine reads rows.
 *
 * `bodyAt` is 0 for a row in the documented column order for its width with a valid time (the
 * only rows sentDelivery() reads, since it cannot see the header), else the line's length.
 */
export class ExchangeFront implements LineFront {
  reason: IgnoreReason = 'bookkeeping';
  readonly update = {
    kind: 0, keyAt: 0, keyEnd: 0, fieldAt: 0, fieldEnd: 0, extraAt: -1, extraEnd: -1,
    more: 3, moreAt: new Int32Array(3), moreEnd: new Int32Array(3),
  };
  time: string | null = null;
  bodyAt = 0;
  readonly ranges = null;
  readonly host = null;
  readonly program = null;
  private layout: Layout | null = null;
  private layoutDocumented = false;
  /** The `#Fields:` line `layout` was read from. */
  private fieldsLine: string | null = null;
  private gaveUp = false;
  private readonly cuts = new FrontCuts();

  /** `ctx.resume`: the header and the giving up of the front that read the input before this one. */
  constructor(ctx: FrontContext = { reference: new Date(0) }) {
    const r = ctx.resume;
    if (typeof r?.fields === 'string') this.text(r.fields);
    this.gaveUp = r?.gaveUp === true;
  }

  /** The input's header and whether the front gave up on it: how the lines after are read. */
  resume(): FrontResume {
    return { fields: this.fieldsLine, gaveUp: this.gaveUp };
  }

  bytes(): FrontVerdict {
    return FRONT_UNDECIDED;
  }

  text(line: string): FrontVerdict {
    this.time = null;
    this.bodyAt = line.length;
    if (this.gaveUp) return FRONT_PARSE;
    // The machine reads the line without its BOM; so does this, but leaves it to the machine.
    const bom = line.charCodeAt(0) === 0xfeff;
    const text = bom ? line.slice(1) : line;
    const c = text.charCodeAt(0);
    if (c === 35 /* # */) {
      // As the machine's header(): only `#Fields:` changes how rows are read.
      if (text.startsWith('#Fields:')) {
        const layout = layoutFromFieldsLine(text);
        if (layout) {
          this.layout = layout;
          this.layoutDocumented = isDocumented(layout);
          this.fieldsLine = text;
        }
      }
      return FRONT_PARSE;
    }
    if (!(c >= 48 && c <= 57)) {
      if (text.trim() !== '') this.gaveUp = true;
      return FRONT_PARSE;
    }
    const cuts = this.cuts;
    if (!cuts.cut(text)) return FRONT_PARSE;
    // The machine's csvRow(): the header's layout when the row fits it, else the documented one.
    const n = cuts.n;
    const own = this.layout;
    const byCount = layoutByCount(n);
    const layout = own && own.width === n ? own : (byCount ?? own);
    if (layout === null || layout.kind !== 'tracking') return FRONT_PARSE;
    const time = anyTime(cuts.text(text, layout.index.get('date-time') ?? -1));
    const eventId = cuts.text(text, layout.index.get('event-id') ?? -1).trim();
    // rowResult(): such a row is unrecognised.
    if (time === null || eventId === '') return FRONT_PARSE;
    this.time = time;
    if (!bom && (layout === byCount || (layout === own && this.layoutDocumented))) this.bodyAt = 0;
    // Before ignoreReasonOf(): its lookup may turn `eventId` into a thin string, on which code
    // optimised for the usual string deoptimises, again and again (measured: 98 times a run).
    if (eventId.length === 7 && eventId.toUpperCase() === 'RECEIVE') return this.bodyAt === 0 ? this.receive(layout) : FRONT_PARSE;
    const reason = ignoreReasonOf(eventId);
    if (reason === null) return FRONT_PARSE;
    // A list this long may hold more than MAX_RECIPIENTS_PER_ROW recipients, which map() counts.
    if (this.longList(layout)) return FRONT_PARSE;
    this.reason = reason;
    return FRONT_IGNORED;
  }

  /** Might the row's recipient list hold more than MAX_RECIPIENTS_PER_ROW recipients? */
  private longList(layout: Layout): boolean {
    const r = layout.index.get('recipient-address') ?? -1;
    return r >= 0 && r < this.cuts.n && this.cuts.end[r]! - this.cuts.at[r]! > 2 * MAX_RECIPIENTS_PER_ROW;
  }

  /**
   * A RECEIVE row (already cut, in a documented layout): the state update of its cells that
   * TrackingMapper.received() reads, each as the machine's CellCuts gives it, which only a cell
   * without quotes is as it stands in the line. Any other such row goes to the machine.
   */
  private receive(layout: Layout): FrontVerdict {
    if (this.longList(layout)) return FRONT_PARSE;
    const cols = receiveColumns(layout);
    const cuts = this.cuts;
    for (const i of cols) if (i >= 0 && i < cuts.n && cuts.quoted[i] === 1) return FRONT_PARSE;
    const u = this.update;
    u.kind = EXCHANGE_RECEIVE;
    u.keyAt = this.cellAt(cols[0]!);
    u.keyEnd = this.cellEnd(cols[0]!);
    u.fieldAt = this.cellAt(cols[1]!);
    u.fieldEnd = this.cellEnd(cols[1]!);
    u.extraAt = this.cellAt(cols[2]!);
    u.extraEnd = this.cellEnd(cols[2]!);
    for (let k = 0; k < 3; k++) {
      u.moreAt[k] = this.cellAt(cols[3 + k]!);
      u.moreEnd[k] = this.cellEnd(cols[3 + k]!);
    }
    return FRONT_UPDATE;
  }

  /** Where cell `i` starts (an empty span where the row has no such cell). */
  private cellAt(i: number): number {
    return i >= 0 && i < this.cuts.n ? this.cuts.at[i]! : 0;
  }

  private cellEnd(i: number): number {
    return i >= 0 && i < this.cuts.n ? this.cuts.end[i]! : 0;
  }
}

/**
 * FRONT_UPDATE kind of a RECEIVE row (key: internal-message-id; field: message-id; extra:
 * client-ip, then client-hostname, sender-address and return-path as further spans).
 */
export const EXCHANGE_RECEIVE = 1;

/** The cells of a RECEIVE row's update, in its order, by layout (-1: the layout has none). */
const RECEIVE_FIELDS = ['internal-message-id', 'message-id', 'client-ip', 'client-hostname', 'sender-address', 'return-path'];
const receiveCols = new WeakMap<Layout, number[]>();

function receiveColumns(layout: Layout): number[] {
  let cols = receiveCols.get(layout);
  if (cols === undefined) {
    cols = RECEIVE_FIELDS.map((f) => layout.index.get(f) ?? -1);
    receiveCols.set(layout, cols);
  }
  return cols;
}

const sentCuts = new FrontCuts();
const spans: SentSpans = { queueAt: 0, queueEnd: -1, toAt: 0, toEnd: 0, origAt: -1, origEnd: -1, delay: -1, here: false };

/**
 * A native row the front passed on with bodyAt 0 (`from`) that line() turns into one `sent`
 * delivery event and nothing else: DELIVER, SEND or SENDEXTERNAL to one recipient. Such a row
 * changes no correlation state (tracking.ts remembers only RECEIVE, FAIL and DEFER rows), and
 * the event has no queue-id-keyed sequel, no original recipient and no delay.
 */
export function sentDelivery(text: string, from: number): Readonly<SentSpans> | null {
  if (from !== 0 || !isDigitAt(text, 0)) return null;
  const cuts = sentCuts;
  if (!cuts.cut(text)) return null;
  const layout = layoutByCount(cuts.n);
  if (layout === null || layout.kind !== 'tracking') return null;
  const e = layout.index.get('event-id')!;
  if (!isSentEventId(cuts.text(text, e).trim())) return null;
  if (anyTime(cuts.text(text, layout.index.get('date-time')!)) === null) return null;
  const r = layout.index.get('recipient-address')!;
  if (r >= cuts.n || cuts.quoted[r] === 1) return null;
  // record.ts splitAddresses(): the `;`-separated parts, trimmed, empty ones dropped.
  let found = 0;
  let pos = cuts.at[r]!;
  const end = cuts.end[r]!;
  while (pos <= end) {
    let semi = text.indexOf(';', pos);
    if (semi < 0 || semi > end) semi = end;
    const part = text.slice(pos, semi);
    const t = part.trim();
    if (t !== '') {
      if (++found > 1) return null;
      spans.toAt = pos + (part.length - part.trimStart().length);
      spans.toEnd = spans.toAt + t.length;
    }
    pos = semi + 1;
  }
  return found === 1 ? spans : null;
}

export const exchangeFast: FastPath = {
  front: (ctx) => new ExchangeFront(ctx),
  sentDelivery,
};
