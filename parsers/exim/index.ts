/**
 * Exim (4.8x–4.99, incl. Debian's exim4): mainlog and rejectlog in Exim's own format, or the same
 * lines through syslog (program `exim`/`exim4`). Line forms are read in envelope.ts, the text in
 * body.ts; rejectlog header dumps (dump.ts) are ignored as `header`. Lines of other programs in
 * a syslog file are ignored as `other-program`; message lines whose stamp was cut off (excerpts)
 * are read with time null. Followed: the Exim specification, chapter
 * "Log files" (log line flags, field summary, syslog splitting), and src/src/{log,deliver,
 * smtp_in,receive}.c at Exim commit 13835a3 (2025-12-29) and tag exim-4.96.
 */
import { EnvelopeReader } from '../syslog.js';
import { ignored, UNRECOGNISED, type FastLogParser, type FrontMachine, type LineContext, type LineResult, type ParseContext } from '../types.js';
import { EximBody, FILE_STREAM, MAX_OPEN_STREAMS } from './body.js';
import { messageIdLength } from './delivery.js';
import { isDumpLine, isDumpStart } from './dump.js';
import {
  bareSyslog,
  isEximProgram,
  otherProgramAfterStamp,
  pidPrefix,
  PieceAssembler,
  pieceMarker,
  StampReader,
  syslogAfterStamp,
} from './envelope.js';
import { EXIM_ARRIVAL, EXIM_COMPLETED, EximFront, sentDelivery } from './front.js';
import { isAuthFailure, matchPrefix, PLAIN_RULES, protocolErrorReason } from './ignore.js';

/** Texts (after the stamp) that only Exim writes, for format detection. */
const SNIFF_PREFIXES = [
  'H=', 'U=', 'F=', 'rejected ', 'temporarily rejected ', 'SMTP protocol synchronization error',
  'too many recipients: ', 'unqualified ', 'local_scan() ', 'exim ',
];

function looksLikeEximText(text: string, from: number): boolean {
  const at = from + pidPrefix(text, from);
  if (messageIdLength(text, at) > 0) return true;
  const rest = at === 0 ? text : text.slice(at, at + 200);
  if (SNIFF_PREFIXES.some((p) => rest.startsWith(p))) return true;
  return matchPrefix(PLAIN_RULES, rest) !== null || protocolErrorReason(rest) !== null || isAuthFailure(rest);
}

const sniffStamps = new StampReader();

export const eximParser: FastLogParser = {
  name: 'exim',
  ownsProgram: isEximProgram,
  fast: {
    front: () => new EximFront(),
    sentDelivery,
  },

  sniff(line: string): boolean {
    const stamp = sniffStamps.read(line);
    if (stamp) {
      if (syslogAfterStamp(line, stamp.end)) return true;
      return looksLikeEximText(line, stamp.end);
    }
    const env = new EnvelopeReader(new Date(0)).read(line);
    if (env) return isEximProgram(env.program);
    return bareSyslog(line) !== null;
  },

  create(): FrontMachine {
    let envelopes = new EnvelopeReader(new Date());
    const stamps = new StampReader();
    const body = new EximBody();
    const pieces = new PieceAssembler(MAX_OPEN_STREAMS);
    const lc: LineContext = { time: null, host: null, program: null, raw: '', file: '', line: 0 };
    /** True while the lines that follow may be a rejectlog header dump. */
    let dumpOpen = false;

    /**
     * Exim text that came through syslog: piece marker, optional own stamp, optional pid. The
     * stream (host, program, pid) is one Exim process: its split entries are put together, and
     * its reject copies and header dumps belong to the entry it wrote just before.
     */
    function syslogText(text: string, from: number, time: string | null, host: string | null, program: string, pid: number | null): LineResult {
      lc.host = host;
      lc.program = program;
      const stream = `${host ?? ''} ${program} ${pid ?? ''}`;
      let at = from;
      const piece = pieceMarker(text, at);
      if (piece) {
        const line = pieces.add(stream, piece, text.slice(piece.end));
        // A piece of a line that is not complete yet (or cannot be placed): it counts when complete.
        if (line === null) return ignored('header');
        if (line.logical > 1) return body.dumpLine(line.text, stream);
        text = line.text;
        at = 0;
      }
      const own = stamps.read(at === 0 ? text : text.slice(at));
      if (own) {
        lc.time = own.time;
        at += own.end;
      } else {
        lc.time = time;
        at += pidPrefix(text, at);
      }
      return body.parse(text.slice(at), lc, stream);
    }

    function dispatch(text: string): LineResult {
      const c = text.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        const stamp = stamps.read(text);
        if (stamp) {
          const sys = syslogAfterStamp(text, stamp.end);
          if (sys) return syslogText(text, sys.end, stamp.time, sys.host, sys.program, sys.pid);
          if (otherProgramAfterStamp(text, stamp.end)) return ignored('other-program');
          dumpOpen = true;
          lc.time = stamp.time;
          lc.host = null;
          lc.program = null;
          return body.parse(text.slice(stamp.end), lc, FILE_STREAM);
        }
      }
      if (c === 60 /* < */ || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) {
        const env = envelopes.read(text);
        if (env) {
          if (!isEximProgram(env.program)) return ignored('other-program');
          return syslogText(text, text.length - env.body.length, env.time, env.host, env.program, env.pid);
        }
      }
      if (dumpOpen && isDumpLine(text)) return body.dumpLine(text, FILE_STREAM);
      if (isDumpStart(text)) {
        dumpOpen = true;
        return body.dumpLine(text, FILE_STREAM);
      }
      const bare = bareSyslog(text);
      if (bare) return syslogText(text, bare.end, null, bare.host, bare.program, bare.pid);
      dumpOpen = false;
      if (messageIdLength(text, 0) > 0) {
        // A message line with its stamp cut off (an excerpt pasted into a report): no time.
        lc.time = null;
        lc.host = null;
        lc.program = null;
        return body.parse(text, lc, FILE_STREAM);
      }
      return UNRECOGNISED;
    }

    function whole(text: string, no: number): LineResult {
      if (text.length === 0) return ignored('blank');
      lc.raw = text;
      lc.line = no;
      return dispatch(text);
    }

    return {
      begin(ctx: ParseContext) {
        // Year inference (classic syslog stamps) starts afresh per file: each has its own mtime.
        envelopes = new EnvelopeReader(ctx.reference, ctx.year);
        lc.file = ctx.file;
        body.beginInput(ctx.alone);
        dumpOpen = false;
      },
      line: whole,
      // The front passes lines of Exim's own files with their stamp read (bodyAt: the text after
      // it), anything else whole (bodyAt -1).
      parsed(text, no, time, _host, _program, bodyAt) {
        if (bodyAt < 0) return whole(text, no);
        lc.raw = text;
        lc.line = no;
        dumpOpen = true;
        lc.time = time;
        lc.host = null;
        lc.program = null;
        return body.parse(text.slice(bodyAt), lc, FILE_STREAM);
      },
      // A stamped line of Exim's own files, as parse() would take it (see front.ts).
      sent(queueId, to) {
        dumpOpen = true;
        body.closeFileEntry();
        if (queueId !== null) body.sent(queueId, to);
      },
      update(kind, key, field, extra) {
        dumpOpen = true;
        body.closeFileEntry();
        if (kind === EXIM_ARRIVAL) return body.arrived(key, field, extra ?? '');
        if (kind === EXIM_COMPLETED) body.completed(key);
        return false;
      },
      end() {
        return body.end();
      },
      overflow() {
        const counters: Record<string, number> = {
          eximMessageIdsEvicted: body.messages.evicted,
          eximRejectSignaturesEvicted: body.signaturesEvicted,
        };
        // Caps added with the syslog and rejectlog handling: reported only when hit.
        const more: Record<string, number> = {
          eximHeldRejectsEvicted: body.heldEvicted,
          eximSyslogStreamsEvicted: body.openEvicted + pieces.evicted,
          eximTransportOutputsEvicted: body.notes.outputsEvicted,
          eximDeferralsEvicted: body.notes.deferralsEvicted,
        };
        for (const [k, v] of Object.entries(more)) if (v > 0) counters[k] = v;
        return counters;
      },
    };
  },
};
