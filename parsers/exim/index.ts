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
import { ignored, UNRECOGNISED, type LineContext, type LineMachine, type LineResult, type LogParser, type ParseContext } from '../types.js';
import { EximBody } from './body.js';
import { messageIdLength } from './delivery.js';
import { isDumpLine, isDumpStart } from './dump.js';
import {
  bareSyslog,
  isEximProgram,
  otherProgramAfterStamp,
  pidPrefix,
  pieceMarker,
  StampReader,
  syslogAfterStamp,
} from './envelope.js';
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

export const eximParser: LogParser = {
  name: 'exim',
  ownsProgram: isEximProgram,

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

  create(): LineMachine {
    let envelopes = new EnvelopeReader(new Date());
    const stamps = new StampReader();
    const body = new EximBody();
    const lc: LineContext = { time: null, host: null, program: null, raw: '', file: '', line: 0 };
    /** True while the lines that follow may be a rejectlog header dump. */
    let dumpOpen = false;

    /** Exim text that came through syslog: piece marker, optional own stamp, optional pid. */
    function syslogText(text: string, from: number, time: string | null, host: string | null, program: string): LineResult {
      lc.host = host;
      lc.program = program;
      let at = from;
      const piece = pieceMarker(text, at);
      if (piece) {
        // Later pieces of a split entry continue the first one (mostly header dumps).
        if (piece.index > 1) return ignored('header');
        at = piece.end;
      }
      const own = stamps.read(at === 0 ? text : text.slice(at));
      if (own) {
        lc.time = own.time;
        at += own.end;
      } else {
        lc.time = time;
        at += pidPrefix(text, at);
      }
      return body.parse(text.slice(at), lc);
    }

    function dispatch(text: string): LineResult {
      const c = text.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        const stamp = stamps.read(text);
        if (stamp) {
          const sys = syslogAfterStamp(text, stamp.end);
          if (sys) return syslogText(text, sys.end, stamp.time, sys.host, sys.program);
          if (otherProgramAfterStamp(text, stamp.end)) return ignored('other-program');
          dumpOpen = true;
          lc.time = stamp.time;
          lc.host = null;
          lc.program = null;
          return body.parse(text.slice(stamp.end), lc);
        }
      }
      if (c === 60 /* < */ || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) {
        const env = envelopes.read(text);
        if (env) {
          if (!isEximProgram(env.program)) return ignored('other-program');
          return syslogText(text, text.length - env.body.length, env.time, env.host, env.program);
        }
      }
      if (dumpOpen && isDumpLine(text)) return ignored('header');
      if (isDumpStart(text)) {
        dumpOpen = true;
        return ignored('header');
      }
      const bare = bareSyslog(text);
      if (bare) return syslogText(text, bare.end, null, bare.host, bare.program);
      dumpOpen = false;
      if (messageIdLength(text, 0) > 0) {
        // A message line with its stamp cut off (an excerpt pasted into a report): no time.
        lc.time = null;
        lc.host = null;
        lc.program = null;
        return body.parse(text, lc);
      }
      return UNRECOGNISED;
    }

    return {
      begin(ctx: ParseContext) {
        // Year inference (classic syslog stamps) starts afresh per file: each has its own mtime.
        envelopes = new EnvelopeReader(ctx.reference, ctx.year);
        lc.file = ctx.file;
        body.input++;
        dumpOpen = false;
      },
      line(text: string, no: number): LineResult {
        if (text.length === 0) return ignored('blank');
        lc.raw = text;
        lc.line = no;
        return dispatch(text);
      },
      end() {
        return [];
      },
      overflow() {
        return {
          eximMessageIdsEvicted: body.messages.evicted,
          eximRejectSignaturesEvicted: body.rejects.evicted,
        };
      },
    };
  },
};
