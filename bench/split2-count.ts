#!/usr/bin/env node
/**
 * The floor for a Node log tool: read FILE through split2 and count the lines, nothing else.
 * `npm run bench` times it next to maillog-doctor on the same file.
 *
 *   node dist/bench/split2-count.js FILE   → prints the number of lines
 */
import { createReadStream } from 'node:fs';
import split2 from 'split2';

const file = process.argv[2];
if (!file) {
  console.error('usage: split2-count.js FILE');
  process.exit(2);
}
let lines = 0;
createReadStream(file)
  .pipe(split2())
  .on('data', () => lines++)
  .on('end', () => console.log(lines))
  .on('error', (err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
