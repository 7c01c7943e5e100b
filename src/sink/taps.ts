/**
 * Where each classified problem event goes besides the findings: the `--events` NDJSON output
 * and the ClickHouse sink. cli.ts opens them from the options, hands `onProblem` to the
 * analysis and closes them at the end; each output's failure comes back as one message.
 */
import type { Classification } from '../classify/types.js';
import { describeSystemError, InputError } from '../errors.js';
import type { MailEvent } from '../event.js';
import { EventsWriter, flatEvent, type FlatEvent } from '../report/events.js';
import { ClickHouseSink, clickhouseRow, sinkMessages, type ClickHouseTarget } from './clickhouse.js';

/** An output of flat events. */
export interface EventTap {
  add(f: FlatEvent, ev: MailEvent, c: Classification): void;
  /** Ends the output; the messages to say (the first word is the target), and whether it failed. */
  close(): Promise<{ messages: string[]; failed: boolean }>;
}

export interface TapOptions {
  /** `--events FILE|-`. */
  events?: string;
  /** `--clickhouse URL` (with its table and credentials) and the spool file. */
  clickhouse?: { target: ClickHouseTarget; spool: string };
}

export class Taps {
  constructor(private readonly taps: EventTap[]) {}

  /** For AnalysisOptions.onProblem. */
  readonly onProblem = (ev: MailEvent, c: Classification): void => {
    // Rejections, bounces and deferrals only: a server-health line is a finding, not a mail event.
    if (ev.kind !== 'reject' && ev.kind !== 'delivery') return;
    const f = flatEvent(ev, c);
    for (const t of this.taps) t.add(f, ev, c);
  };

  async close(): Promise<{ messages: string[]; failed: boolean }> {
    const messages: string[] = [];
    let failed = false;
    for (const t of this.taps) {
      const r = await t.close();
      messages.push(...r.messages);
      failed ||= r.failed;
    }
    return { messages, failed };
  }
}

/** The outputs the options ask for, or null for none; `stdout` writes `--events -`. */
export function openTaps(o: TapOptions, stdout: (text: string) => void): Taps | null {
  const taps: EventTap[] = [];
  if (o.events !== undefined) {
    let w: EventsWriter;
    try {
      w = new EventsWriter(o.events, stdout);
    } catch (err) {
      throw new InputError(o.events, `cannot write the events: ${describeSystemError(err)}`);
    }
    const name = o.events === '-' ? 'standard output' : o.events;
    taps.push({
      add: (f) => w.add(f),
      close: async () => {
        const why = w.close();
        return why === null ? { messages: [], failed: false } : { messages: [`${name}: could not write the events: ${why}`], failed: true };
      },
    });
  }
  if (o.clickhouse) {
    const { target, spool } = o.clickhouse;
    const sink = new ClickHouseSink(target, spool);
    sink.start();
    taps.push({
      add: (f, ev, c) => sink.add(clickhouseRow(f, ev, c)),
      close: async () => sinkMessages(target, spool, await sink.close()),
    });
  }
  return taps.length === 0 ? null : new Taps(taps);
}
