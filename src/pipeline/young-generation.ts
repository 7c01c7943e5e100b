/**
 * The aggregating thread's young generation, held at YOUNG_SEMI_SPACE_MB per semi-space instead
 * of V8's 16 MiB: two semi-spaces of 16 MiB were 32 MB of the peak RSS, and half of that costs
 * about 2 % of the thread's time in more scavenges (bench/README.md, "Memory"). V8 reads --max-semi-space-size only when an isolate
 * is made, before any of our code runs; what it reads whenever the young generation grows is
 * --semi-space-growth-factor, so growth is stopped (factor 1) once the space has reached the
 * size wanted. V8 sets the factor back to 2 whenever it makes a heap, a worker thread's too: the
 * reader thread starts before the space is that big, and for a thread started later the factor
 * is set again at every call (a growth in between stays). A V8 that ignored the flag would only
 * use more memory.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Semi-space size kept, in MiB (V8 grows it 1, 2, 4, 8, 16 by default). */
export const YOUNG_SEMI_SPACE_MB = 8;

const STOP = '--semi-space-growth-factor=1';
let wanted = false;
let reached = false;

/** Holds the young generation from now on (the CLI's choice: a library caller keeps V8's defaults). */
export function capYoungGeneration(): void {
  wanted = true;
}

/**
 * Called on the aggregating thread after each batch: a batch allocates a few MB, so the space
 * is seen at the wanted size before it can double again.
 */
export function holdYoungGeneration(): void {
  if (!wanted) return;
  if (!reached) {
    const spaces = getHeapSpaceStatistics();
    for (let i = 0; i < spaces.length; i++) {
      // new_space's size is its two semi-spaces.
      if (spaces[i]!.space_name === 'new_space') reached = spaces[i]!.space_size >= 2 * YOUNG_SEMI_SPACE_MB * 1024 * 1024;
    }
    if (!reached) return;
  }
  setFlagsFromString(STOP);
}
