/**
 * Postfix: syslog envelope (parsers/syslog.ts) → program filter → message body (body.ts).
 * Any syslog_name works (`postfix-out/smtp`, `postfix/submission/smtpd`, `mx1/smtpd`), as do
 * message-only lines (log excerpts with the prefix cut off). Lines of other programs in the same
 * file (dovecot, amavis, opendkim, sendmail, …) are ignored with reason `other-program`.
 */
import { EnvelopeReader } from '../syslog.js';
import { ignored, type LineMachine, type LogParser, type ParseContext } from '../types.js';
import { PostfixBody, daemonOf, type LineContext } from './body.js';

/** Postfix daemons and commands that log; a program `something/<daemon>` is Postfix too. */
const DAEMONS = new Set([
  'anvil', 'bounce', 'cleanup', 'discard', 'dnsblog', 'error', 'flush', 'lmtp', 'local', 'master',
  'oqmgr', 'pickup', 'pipe', 'postdrop', 'postfix', 'postfix-script', 'postlog', 'postlogd', 'postmap',
  'postalias', 'postqueue', 'postscreen', 'postsuper', 'proxymap', 'qmgr', 'qmqpd', 'retry', 'scache',
  'sendmail', 'showq', 'smtp', 'smtpd', 'spawn', 'tlsmgr', 'tlsproxy', 'trivial-rewrite', 'verify',
  'virtual', 'smtpd_check', 'postconf', 'postkick', 'postlock', 'postcat', 'posttls-finger',
]);

/** Is this syslog program Postfix? `postfix/smtpd`, `postfix-in/…`, `/postfix-script`, `mx1/smtpd`. */
export function isPostfixProgram(program: string): boolean {
  if (program.startsWith('postfix') || program === '/postfix-script' || program === 'smtpd_check') return true;
  const slash = program.lastIndexOf('/');
  return slash > 0 && DAEMONS.has(program.slice(slash + 1));
}

// A message body that only Postfix writes, for message-only lines and format detection.
const BODY_HINT_RE = /^(?:[0-9A-F]{5,16}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,20}|NOQUEUE): (?:to=<|from=<|client=|reject: |milter-reject: |removed$|message-id=)/;

export const postfixParser: LogParser = {
  name: 'postfix',

  sniff(line: string): boolean {
    const env = new EnvelopeReader(new Date(0)).read(line);
    if (env) return isPostfixProgram(env.program);
    return BODY_HINT_RE.test(line);
  },

  create(): LineMachine {
    let envelopes = new EnvelopeReader(new Date());
    const body = new PostfixBody();
    const lc: LineContext = { time: null, host: null, program: null, raw: '', file: '', line: 0 };
    return {
      begin(ctx: ParseContext) {
        // Year inference starts afresh per file: each has its own mtime.
        envelopes = new EnvelopeReader(ctx.reference, ctx.year);
        lc.file = ctx.file;
      },
      line(text: string, no: number) {
        if (text.length === 0) return ignored('blank');
        const env = envelopes.read(text);
        lc.raw = text;
        lc.line = no;
        if (env) {
          if (!isPostfixProgram(env.program)) return ignored('other-program');
          lc.time = env.time;
          lc.host = env.host;
          lc.program = env.program;
          return body.parse(env.body, lc);
        }
        // No envelope: a message-only line, or a wrapped/truncated fragment.
        lc.time = null;
        lc.host = null;
        lc.program = null;
        return body.parse(text, lc);
      },
      end() {
        return [];
      },
      overflow() {
        return {
          postfixQueueIdsEvicted: body.queue.evicted,
          postfixDeferralsDropped: body.queue.deferralsDropped,
        };
      },
    };
  },
};

export { daemonOf };
