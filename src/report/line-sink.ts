/**
 * A file descriptor written in buffered, checked writes (writeAllSync), for outputs that grow
 * while the run goes on (`--events FILE`, the ClickHouse spool, `--unrecognised`): what is
 * buffered is written once the current batch of input is done, so a follow run's output keeps
 * up; the first error stops the writing and is kept for close().
 */
import { closeSync, openSync } from 'node:fs';
import { escapeControls } from '../text/sanitize.js';
import { writeAllSync, writeFailure } from './output.js';

export interface LineSink {
  write(text: string): void;
  /** Writes what is buffered and closes; why the output is incomplete, or null. */
  close(): string | null;
}

/** Characters buffered before a write: big enough to cost little, small enough not to matter. */
const FLUSH_AT = 64 * 1024;

export class BufferedFd implements LineSink {
  private pending: string[] = [];
  private pendingLength = 0;
  private error: unknown = null;
  private scheduled = false;

  constructor(private fd: number | null) {}

  write(text: string): void {
    if (this.error !== null || this.fd === null) return;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        if (this.error === null) this.flush();
      });
    }
  }

  /** Writes what is buffered now; false once a write failed. */
  flush(): boolean {
    if (this.pending.length === 0 || this.fd === null) return this.error === null;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    try {
      writeAllSync(this.fd, data);
    } catch (err) {
      this.error = err;
    }
    return this.error === null;
  }

  close(): string | null {
    if (this.fd === null) return this.error === null ? null : writeFailure(this.error);
    if (this.error === null) this.flush();
    try {
      closeSync(this.fd);
    } catch (err) {
      this.error ??= err;
    }
    this.fd = null;
    return this.error === null ? null : writeFailure(this.error);
  }
}

/**
 * The `--unrecognised` file: `file:line: text` lines, with control and invisible characters
 * escaped (escapeControls); close() says why it is incomplete (or null when every line reached
 * the file).
 */
export class LineFile {
  private readonly out: BufferedFd;

  /** Opens (creates or truncates) `path` (a name, or its bytes); throws the system error when it cannot. */
  constructor(readonly path: string | Buffer) {
    this.out = new BufferedFd(openSync(path, 'w'));
  }

  line(file: string, no: number, text: string): void {
    this.out.write(`${escapeControls(file)}:${no}: ${escapeControls(text)}\n`);
  }

  close(): string | null {
    return this.out.close();
  }
}
