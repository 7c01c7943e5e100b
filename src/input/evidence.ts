/**
 * Reads a finding's log lines back from their files, for the evidence view: the analysis keeps
 * only where each line is (file index, line number, byte offset: FindingDetails.evidence), never
 * the lines themselves. A plain file is read at each offset; a gzip file is decompressed from its
 * start up to the last line wanted (gzip has no random access); a line whose offset is unknown is
 * found by its number. Standard input and pipes cannot be read again: their lines are reported
 * as unreadable, and the caller shows the finding's kept examples instead.
 *
 * Lines come back as read (decoded as the pipeline decodes them, CR and NUL bytes dropped), cut
 * to EVIDENCE_LINE_MAX_BYTES; the caller sanitises them before display.
 */
import { open as openFile, stat } from 'node:fs/promises';
import { describeSystemError } from '../errors.js';
import { startsGzip } from './gzip.js';
import { decodeLine, LineSplitter } from './lines.js';
import { openInput } from './open.js';
import { fsPath } from './paths.js';

/** Bytes of a line read back and shown; a longer line is cut and ends with `…`. */
export const EVIDENCE_LINE_MAX_BYTES = 16 * 1024;

export interface EvidenceLine {
  /** Index of the ref in the list asked for. */
  index: number;
  file: string;
  line: number;
  text: string;
}

export interface EvidenceRead {
  /** The lines found, in the order of the refs asked for. */
  lines: EvidenceLine[];
  /** Refs whose line could not be read back, with why, per file (`-`: standard input). */
  unreadable: Array<{ file: string; refs: number; why: string }>;
}

/** One ref: where a line is (see FindingDetails.evidence). */
interface Ref {
  index: number;
  file: number;
  line: number;
  offset: number;
}

/** The refs of a FindingDetails.evidence array: (file index, line, offset or -1) triples. */
function refsOf(evidence: Float64Array | readonly number[]): Ref[] {
  const out: Ref[] = [];
  for (let i = 0; i + 2 < evidence.length; i += 3) {
    out.push({ index: i / 3, file: evidence[i]!, line: evidence[i + 1]!, offset: evidence[i + 2]! });
  }
  return out;
}

/** A line's bytes as shown: cut to the limit, without NUL bytes and a final CR. */
function lineText(buf: Buffer, start: number, end: number): string {
  let cut = false;
  if (end - start > EVIDENCE_LINE_MAX_BYTES) {
    end = start + EVIDENCE_LINE_MAX_BYTES;
    cut = true;
  } else if (end > start && buf[end - 1] === 13) {
    end--;
  }
  let bytes = buf.subarray(start, end);
  if (bytes.indexOf(0) >= 0) bytes = Buffer.from(bytes.filter((b) => b !== 0));
  // A cut in the middle of a UTF-8 sequence decodes to U+FFFD; the `…` says it was cut anyway.
  return decodeLine(bytes, 0, bytes.length, false) + (cut ? '…' : '');
}

/**
 * The lines `evidence` points at in `files` (summary.files paths, by index). Never rejects: a
 * file that cannot be read (gone, rotated away, standard input) is listed in `unreadable`.
 */
export async function readEvidence(files: readonly string[], evidence: Float64Array | readonly number[]): Promise<EvidenceRead> {
  const refs = refsOf(evidence);
  const byFile = new Map<number, Ref[]>();
  for (const r of refs) {
    const list = byFile.get(r.file);
    if (list) list.push(r);
    else byFile.set(r.file, [r]);
  }
  const lines: EvidenceLine[] = [];
  const unreadable: EvidenceRead['unreadable'] = [];
  for (const [index, list] of byFile) {
    const path = files[index];
    if (path === undefined || index < 0) {
      unreadable.push({ file: '?', refs: list.length, why: 'the file is not known' });
      continue;
    }
    if (path === '-') {
      unreadable.push({ file: path, refs: list.length, why: 'standard input cannot be read again' });
      continue;
    }
    // Follow mode lists a file again for each generation (rotation, truncation): the name now
    // holds other lines than those of an earlier generation.
    if (files.indexOf(path, index + 1) > index) {
      unreadable.push({ file: path, refs: list.length, why: 'the file was rotated away since' });
      continue;
    }
    try {
      // A FIFO or a device would block, or give other bytes: only regular files are read again.
      if (!(await stat(fsPath(path))).isFile()) {
        unreadable.push({ file: path, refs: list.length, why: 'a pipe or device cannot be read again' });
        continue;
      }
      const found = list.every((r) => r.offset >= 0) ? await readAtOffsets(path, list) : null;
      const got = found ?? (await scan(path, list));
      for (const r of list) {
        const text = got.get(r.index);
        if (text !== undefined) lines.push({ index: r.index, file: path, line: r.line, text });
      }
      const missing = list.length - list.filter((r) => got.has(r.index)).length;
      if (missing > 0) unreadable.push({ file: path, refs: missing, why: 'the file is shorter than when it was read' });
    } catch (err) {
      unreadable.push({ file: path, refs: list.length, why: describeSystemError(err) });
    }
  }
  lines.sort((a, b) => a.index - b.index);
  return { lines, unreadable };
}

/**
 * A plain file read at each offset: the line from there to its newline. Null for a gzip file
 * (offsets are in the decompressed bytes: scan() instead).
 */
async function readAtOffsets(path: string, refs: readonly Ref[]): Promise<Map<number, string> | null> {
  const fh = await openFile(fsPath(path), 'r');
  try {
    const buf = Buffer.alloc(EVIDENCE_LINE_MAX_BYTES + 2);
    const head = await fh.read(buf, 0, 2, 0);
    if (startsGzip(buf, head.bytesRead)) return null;
    const out = new Map<number, string>();
    for (const r of refs) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, r.offset);
      if (bytesRead === 0) continue;
      const nl = buf.subarray(0, bytesRead).indexOf(10);
      out.set(r.index, lineText(buf, 0, nl >= 0 ? nl : bytesRead));
    }
    return out;
  } finally {
    await fh.close();
  }
}

/**
 * Reads the (decompressed) input from its start, cutting lines as the pipeline does, and keeps
 * those at a wanted offset, or with a wanted number when the offset is unknown; stops after the
 * last one wanted.
 */
async function scan(path: string, refs: readonly Ref[]): Promise<Map<number, string>> {
  const byOffset = new Map<number, number[]>();
  const byLine = new Map<number, number[]>();
  let last = 0;
  for (const r of refs) {
    const [map, key] = r.offset >= 0 ? [byOffset, r.offset] : [byLine, r.line];
    const list = map.get(key);
    if (list) list.push(r.index);
    else map.set(key, [r.index]);
  }
  const wanted = refs.length;
  const out = new Map<number, string>();
  const opened = await openInput(path, new Date());
  const take = (no: number, offset: number, text: () => string): void => {
    const hits = [...(byOffset.get(offset) ?? []), ...(byLine.get(no) ?? [])];
    if (hits.length === 0) return;
    const t = text();
    for (const i of hits) out.set(i, t);
    last += hits.length;
  };
  await new Promise<void>((resolve, reject) => {
    const splitter = new LineSplitter({
      line: (no, bytes, start, end, _ascii, offset) => take(no, offset, () => lineText(bytes, start, end)),
      oversized: (no, head, offset) => take(no, offset, () => head + '…'),
    });
    const stream = opened.stream;
    const done = () => {
      stream.off('data', onData);
      opened.close();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      splitter.push(chunk);
      if (last >= wanted) done();
    };
    stream.on('data', onData);
    stream.once('error', (err) => {
      opened.close();
      reject(err);
    });
    stream.once('end', () => {
      splitter.end();
      done();
    });
  });
  return out;
}
