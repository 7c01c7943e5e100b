#!/usr/bin/env node
/**
 * The ceiling for a two-thread run: FILE read through its format's front on the reader thread,
 * as a run reads it, with every batch taken and dropped on this thread (no parsing of the lines
 * passed whole, no classification, no aggregation). A two-thread report cannot take less wall
 * time than its reader thread alone, so this run's ratio to the split2 count is the highest
 * ratio the report can reach on this machine. `npm run bench` times it in the same rounds.
 *
 *   node dist/bench/reader-alone.js MTA FILE   → prints the number of lines
 */
import { open } from 'node:fs/promises';
import type { Mta } from '../src/event.js';
import { prestartReader } from '../src/pipeline/reader-worker.js';

const [mta, file] = process.argv.slice(2) as [Mta | undefined, string | undefined];
if (!mta || !file) {
  console.error('usage: reader-alone.js MTA FILE');
  process.exit(2);
}
// As bin/maillog-doctor does: the worker starts while the pipeline's modules load.
await prestartReader([file]);
const { catchUpOnThread } = await import('../src/pipeline/run.js');
const fh = await open(file, 'r');
const { size, mtime } = await fh.stat();
// The reader thread's range must end a line, as follow mode's does.
const last = Buffer.alloc(1);
await fh.read(last, 0, 1, size - 1);
if (size === 0 || last[0] !== 10) {
  console.error(`${file}: does not end with a newline`);
  process.exit(1);
}
let lines = 0;
const ended = await catchUpOnThread(file, { fd: fh.fd, end: size, reference: mtime }, { mta, threads: 2 }, (b) => {
  lines += b.lines;
  return true;
});
await fh.close();
if (ended === null || ended === 'stopped' || ended.error) {
  console.error(`${file}: the reader thread did not read it (${ended === null ? 'no thread or no front' : ended === 'stopped' ? 'stopped' : ended.error?.message})`);
  process.exit(1);
}
console.log(lines);
