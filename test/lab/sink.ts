/**
 * A scripted SMTP server on 127.0.0.1 that plays the remote side of a lab: the next hop an MTA
 * relays to (a provider's MX, a smarthost, an after-queue content filter). It answers each
 * recipient as the script says, at RCPT time or at the end of DATA, with single- or multi-line
 * replies, and accepts everything else. It only ever listens on loopback, on a free port the
 * kernel picks, and closes itself after `lifetimeMs` even if the test forgets to.
 *
 *   const sink = await startSink({ answers: { 'nobody@gmail.test': atRcpt(reply(550, '5.1.1 …')) } });
 *   // relayhost = [127.0.0.1]:${sink.port}
 *   …
 *   await sink.close();
 *
 * Shared by the Postfix and the Exim labs: keep the API small.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** One SMTP reply: the code and one text per line (each line usually starts with the enhanced status). */
export interface Reply {
  code: number;
  lines: readonly string[];
}

/** When the sink gives a recipient its reply: at `RCPT TO`, or after the message data (`.`). */
export interface Answer {
  at: 'rcpt' | 'data';
  reply: Reply;
}

export interface SinkScript {
  /** Answers by recipient address (compared lower-case); recipients not listed are accepted. */
  answers?: Readonly<Record<string, Answer>>;
  /** Answer for recipients not in `answers` (default: accept with 250). */
  fallback?: (address: string) => Answer | undefined;
  /** The greeting; a 4xx/5xx greeting refuses every session (`refused to talk to me`). */
  greeting?: Reply;
  /** Host name in the greeting and the EHLO reply. */
  name?: string;
  /** The sink closes itself after this long (default 5 minutes): a forgotten sink never outlives the test run. */
  lifetimeMs?: number;
}

/** What one mail transaction brought to the sink. */
export interface Transaction {
  from: string;
  /** Every RCPT TO, in order. */
  recipients: string[];
  /** Those that got a 250 at RCPT time. */
  accepted: string[];
  /** The reply given after DATA (null when the transaction never reached the end of DATA). */
  dataReply: Reply | null;
  /** Size of the message data in bytes (after dot-unstuffing, without the final dot). */
  size: number;
}

export interface Sink {
  port: number;
  /** Transactions so far, in the order they ended (RSET, QUIT, end of DATA or a dropped connection). */
  readonly transactions: readonly Transaction[];
  close(): Promise<void>;
}

/** `reply(550, '5.1.1 first line', '5.1.1 second line')`. */
export function reply(code: number, ...lines: string[]): Reply {
  if (lines.length === 0) throw new Error('a reply needs at least one line');
  return { code, lines };
}

export const atRcpt = (r: Reply): Answer => ({ at: 'rcpt', reply: r });
export const atData = (r: Reply): Answer => ({ at: 'data', reply: r });

/** The reply on the wire: `550-5.1.1 a\r\n550 5.1.1 b\r\n`. */
export function formatReply(r: Reply): string {
  return r.lines.map((l, i) => `${r.code}${i === r.lines.length - 1 ? ' ' : '-'}${l}\r\n`).join('');
}

const OK = reply(250, '2.0.0 Ok');
/** Longest command line the sink buffers; a longer one ends the session (a crafted peer cannot grow memory). */
const MAX_LINE = 64 * 1024;
/** Largest message the sink takes; it advertises it in SIZE and stops buffering past it. */
const MAX_DATA = 10 * 1024 * 1024;
const IDLE_MS = 30_000;

export async function startSink(script: SinkScript = {}): Promise<Sink> {
  const name = script.name ?? 'sink.lab.test';
  const answers = new Map(Object.entries(script.answers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const answerFor = (address: string): Answer | undefined => answers.get(address.toLowerCase()) ?? script.fallback?.(address);
  const transactions: Transaction[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const send = (r: Reply) => socket.write(formatReply(r));
    let tx: Transaction | null = null;
    let inData = false;
    let data: string[] = [];
    let dataSize = 0;
    let buf = '';
    const end = () => {
      if (tx) transactions.push(tx);
      tx = null;
    };
    socket.on('close', end);

    const greeting = script.greeting ?? reply(220, `${name} ESMTP lab sink`);
    send(greeting);
    if (greeting.code >= 400) {
      socket.end();
      return;
    }

    const command = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      const arg = line.slice(4);
      switch (verb) {
        case 'EHLO':
          return send(reply(250, name, 'PIPELINING', `SIZE ${MAX_DATA}`, '8BITMIME', 'ENHANCEDSTATUSCODES'));
        case 'HELO':
          return send(reply(250, name));
        case 'MAIL': {
          end();
          const addr = /^ FROM:\s*<([^<>]*)>/i.exec(arg);
          if (!addr) return send(reply(501, '5.5.4 Syntax: MAIL FROM:<address>'));
          tx = { from: addr[1]!, recipients: [], accepted: [], dataReply: null, size: 0 };
          return send(OK);
        }
        case 'RCPT': {
          const addr = /^ TO:\s*<([^<>]*)>/i.exec(arg);
          if (!tx) return send(reply(503, '5.5.1 Error: need MAIL command'));
          if (!addr) return send(reply(501, '5.5.4 Syntax: RCPT TO:<address>'));
          const to = addr[1]!;
          tx.recipients.push(to);
          const a = answerFor(to);
          if (a && a.at === 'rcpt') return send(a.reply);
          tx.accepted.push(to);
          return send(OK);
        }
        case 'DATA':
          if (!tx || tx.accepted.length === 0) return send(reply(554, '5.5.1 Error: no valid recipients'));
          inData = true;
          data = [];
          dataSize = 0;
          return send(reply(354, 'End data with <CR><LF>.<CR><LF>'));
        case 'RSET':
          end();
          return send(OK);
        case 'NOOP':
          return send(OK);
        case 'QUIT':
          end();
          send(reply(221, '2.0.0 Bye'));
          return socket.end();
        default:
          return send(reply(502, '5.5.2 Error: command not recognized'));
      }
    };

    const dataLine = (line: string) => {
      if (line !== '.') {
        const l = line.startsWith('.') ? line.slice(1) : line;
        if (dataSize <= MAX_DATA) data.push(l);
        dataSize += l.length + 2;
        return;
      }
      inData = false;
      const t = tx!;
      t.size = dataSize;
      // The first recipient with an end-of-DATA answer decides the reply for the whole message,
      // as a real server's single reply does; a lab sends one such recipient per message.
      const a = t.accepted.map(answerFor).find((x) => x?.at === 'data');
      t.dataReply = a ? a.reply : reply(250, '2.0.0 Ok: queued as LABSINK');
      send(t.dataReply);
      data = [];
      end();
    };

    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (inData) dataLine(line);
        else command(line);
        if (socket.destroyed) return;
      }
      if (buf.length > MAX_LINE) socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('sink: no TCP address');

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }));
  const timer = setTimeout(() => void close(), script.lifetimeMs ?? 5 * 60_000);
  timer.unref();

  return { port: address.port, transactions, close };
}
