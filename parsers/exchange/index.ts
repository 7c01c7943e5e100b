/**
 * Microsoft Exchange Server: message tracking logs (MSGTRK, MSGTRKMA, MSGTRKMD, MSGTRKMS; 2007
 * to SE), `Get-MessageTrackingLog | Export-Csv` files, `Get-MessageTrackingLog | Format-List`
 * text, and SMTP Receive protocol logs (RECV*.LOG). Each line is dispatched on its first
 * character: `#` header lines, a digit for native CSV rows, `"` for Export-Csv, a letter or
 * indentation for Format-List. Followed: Microsoft Learn "Message tracking" and "Protocol
 * logging" for Exchange Server; ../shared/corpus/exchange/FORMAT-NOTES.md for what real files
 * add (BOM, per-version columns, status wrappers, PowerShell's property names and time format).
 *
 * Ignored on purpose: the `#` header block ('header'), message tracking events that are not a
 * delivery outcome (tracking.ts NO_EVENT), and protocol log rows other than refused commands.
 */
import type { MailEvent } from '../../src/event.js';
import {
  ignored,
  recognised,
  RECOGNISED_NO_EVENT,
  UNRECOGNISED,
  type FastLogParser,
  type FrontMachine,
  type LineResult,
  type ParseContext,
} from '../types.js';
import {
  fieldOfProperty,
  layoutByCount,
  layoutFromExportHeader,
  layoutFromFieldsLine,
  type Layout,
} from './columns.js';
import { MessageTable } from './correlate.js';
import { csvCells } from './csv-row.js';
import { EXCHANGE_RECEIVE, exchangeFast, FrontCuts } from './fast.js';
import { FormatListReader, type Block } from './format-list.js';
import { ReceiveSessions, type ProtocolRow } from './protocol.js';
import { rowFromCells, rowFromCuts, rowFromProperties } from './record.js';
import { isExportHeader, sniffExchange } from './sniff.js';
import { TrackingMapper } from './tracking.js';

type LogType = 'tracking' | 'receive' | 'send' | null;

const LOG_TYPES: Record<string, LogType> = {
  'message tracking log': 'tracking',
  'smtp receive protocol log': 'receive',
  'smtp send protocol log': 'send',
};

/** Per-input facts from the header lines; reset by begin(). */
interface InputState {
  file: string;
  /** From `#Fields:` or an Export-Csv header row; null until one is seen. */
  layout: Layout | null;
  /** The layout came from an Export-Csv header (PowerShell names, local times, array cells). */
  exported: boolean;
  logType: LogType;
}

class ExchangeMachine implements FrontMachine {
  private readonly table = new MessageTable();
  private readonly tracking = new TrackingMapper(this.table);
  private readonly sessions = new ReceiveSessions();
  private readonly list = new FormatListReader();
  private readonly cuts = new FrontCuts();
  /** Events of Format-List blocks closed by the end of an input, handed out by end(). */
  private readonly held: MailEvent[] = [];
  private input: InputState = { file: '', layout: null, exported: false, logType: null };

  begin(ctx: ParseContext): void {
    this.closeBlock();
    this.input = { file: ctx.file, layout: null, exported: false, logType: null };
  }

  line(raw: string, no: number): LineResult {
    try {
      return this.dispatch(raw, no);
    } catch {
      // Never throws (types.ts): a bug on a strange line costs that line, not the run.
      return UNRECOGNISED;
    }
  }

  /** The front reads no envelope: what it passes on is read as line() reads it. */
  parsed(text: string, no: number): LineResult {
    return this.line(text, no);
  }

  /** A one-recipient sent row (fast.ts sentDelivery()): line() would change no state for it. */
  sent(): void {}

  /**
   * A RECEIVE row the front cut (fast.ts EXCHANGE_RECEIVE): its internal id, message id, and
   * client-ip, client-hostname, sender-address and return-path joined by newlines. What map()
   * does with the row; it gives no event.
   */
  update(kind: number, key: string, field: string, extra: string | null): boolean {
    if (kind !== EXCHANGE_RECEIVE || extra === null) return false;
    const a = extra.indexOf('\n');
    const b = extra.indexOf('\n', a + 1);
    const c = extra.indexOf('\n', b + 1);
    if (c < 0) return false;
    this.tracking.received(key, field, extra.slice(0, a), extra.slice(a + 1, b), extra.slice(b + 1, c), extra.slice(c + 1));
    return false;
  }

  end(): MailEvent[] {
    this.closeBlock();
    return this.held.splice(0);
  }

  overflow(): Record<string, number> {
    return {
      exchangeMessagesEvicted: this.table.evicted,
      exchangeSessionsEvicted: this.sessions.evicted,
      exchangeRecipientsDropped: this.tracking.recipientsDropped,
      exchangeUnexpandedArrays: this.tracking.unexpandedRows,
    };
  }

  private dispatch(raw: string, no: number): LineResult {
    // The UTF-8 BOM arrives as U+FEFF at the start of the first line; `raw` keeps it.
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() === '') {
      this.list.blank();
      return ignored('blank');
    }
    const c = text.charCodeAt(0);
    if (c === 35 /* # */) return this.header(text);
    if (c === 34 /* " */) return this.quotedRow(text, raw, no);
    // Native rows start with their date-time; an unquoted Export-Csv header with a letter.
    const digit = c >= 48 && c <= 57;
    if (!digit && isExportHeader(text)) {
      const cells = csvCells(text);
      const layout = cells && layoutFromExportHeader(cells);
      if (layout) return this.exportHeader(layout);
    }
    // Under a header every line is a row (its first column need not be date-time).
    if (this.input.layout !== null || digit) return this.csvRow(text, raw, no);
    return this.listLine(text, no);
  }

  /** `#Software`, `#Version`, `#Log-type`, `#Date`, `#Fields` (native) and `#TYPE` (Export-Csv). */
  private header(text: string): LineResult {
    if (text.startsWith('#Fields:')) {
      const layout = layoutFromFieldsLine(text);
      if (!layout) return UNRECOGNISED;
      this.input.layout = layout;
      this.input.exported = false;
      return ignored('header');
    }
    if (text.startsWith('#Log-type:')) {
      this.input.logType = LOG_TYPES[text.slice(10).trim().toLowerCase()] ?? null;
      return ignored('header');
    }
    if (text.startsWith('#Software:') || text.startsWith('#Version:') || text.startsWith('#Date:') || text.startsWith('#TYPE ')) {
      return ignored('header');
    }
    return UNRECOGNISED;
  }

  private exportHeader(layout: Layout): LineResult {
    this.input.layout = layout;
    this.input.exported = true;
    return ignored('header');
  }

  /** Export-Csv quotes every cell: its header row, or one of its records. */
  private quotedRow(text: string, raw: string, no: number): LineResult {
    const cells = csvCells(text);
    if (!cells) return UNRECOGNISED;
    const header = layoutFromExportHeader(cells);
    if (header) return this.exportHeader(header);
    if (!this.input.exported) return UNRECOGNISED;
    return this.rowResult(cells, this.input.layout!, true, raw, no);
  }

  /** A native row (message tracking or protocol log), or an unquoted Export-Csv record. */
  private csvRow(text: string, raw: string, no: number): LineResult {
    // Most native message tracking rows: the row from where its cells are, without cutting all of them.
    if (!this.input.exported && this.cuts.cut(text)) {
      const n = this.cuts.n;
      const own = this.input.layout;
      const layout = own && own.width === n ? own : (layoutByCount(n) ?? own);
      if (layout && layout.kind === 'tracking') {
        const row = rowFromCuts(text, this.cuts, layout);
        if (row.eventId === '' || row.time === null) return UNRECOGNISED;
        return this.tracking.map(row, { raw, file: this.input.file, line: no });
      }
    }
    const cells = csvCells(text);
    if (!cells) return UNRECOGNISED;
    const { layout, exported } = this.input;
    if (layout && exported) return this.rowResult(cells, layout, true, raw, no);
    // The header's layout when the row fits it; otherwise (no header, or a row from another
    // version pasted below it) the documented layout for this many columns.
    const chosen = layout && layout.width === cells.length ? layout : (layoutByCount(cells.length) ?? layout);
    if (!chosen) return UNRECOGNISED;
    return this.rowResult(cells, chosen, false, raw, no);
  }

  private rowResult(cells: string[], layout: Layout, exported: boolean, raw: string, no: number): LineResult {
    const p = { raw, file: this.input.file, line: no };
    if (layout.kind === 'protocol') {
      const row = protocolRow(cells, layout);
      // Native rows always carry a UTC date-time; a row without one is not a protocol log row.
      if (!row.dateTime.endsWith('Z')) return UNRECOGNISED;
      return this.input.logType === 'send' ? ignored('session') : this.sessions.row(row, p);
    }
    const row = rowFromCells(cells, layout, exported);
    if (row.eventId === '' || (row.time === null && !exported)) return UNRECOGNISED;
    return this.tracking.map(row, p);
  }

  /** Format-List: a property line may complete the previous block, whose events ride on it. */
  private listLine(text: string, no: number): LineResult {
    const r = this.list.line(text, no, this.input.file);
    if (r.kind === 'other') return UNRECOGNISED;
    if (r.kind === 'continuation' || r.completed === null) return RECOGNISED_NO_EVENT;
    return recognised(...this.blockEvents(r.completed));
  }

  private blockEvents(b: Block): MailEvent[] {
    const row = rowFromProperties(b.props, fieldOfProperty);
    if (row.eventId === '') return [];
    const r = this.tracking.map(row, { raw: b.raw, file: b.file, line: b.line });
    return r.status === 'recognised' ? r.events : [];
  }

  private closeBlock(): void {
    const b = this.list.flush();
    if (b) this.held.push(...this.blockEvents(b));
  }
}

function protocolRow(cells: readonly string[], layout: Layout): ProtocolRow {
  const get = (field: string) => {
    const i = layout.index.get(field);
    return i === undefined ? '' : (cells[i] ?? '');
  };
  return {
    dateTime: get('date-time'),
    connectorId: get('connector-id'),
    sessionId: get('session-id'),
    sequence: Number(get('sequence-number')),
    remoteEndpoint: get('remote-endpoint'),
    event: get('event'),
    data: get('data'),
    context: get('context'),
  };
}

export const exchangeParser: FastLogParser = {
  name: 'exchange',
  sniff: sniffExchange,
  fast: exchangeFast,
  create(): FrontMachine {
    return new ExchangeMachine();
  },
};
