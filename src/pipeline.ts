/**
 * The pipeline's public face; the code is in src/pipeline/: run.ts (the inputs, the threads),
 * analysis.ts (event → classify → aggregate, a line at a time), front-reader.ts (an input
 * through its format's front, on either thread), reader-thread.ts, reader-worker.ts and
 * batch.ts (the second thread, when it is used, and what it sends), follow-feed.ts (follow
 * mode's lines), detection.ts, young-generation.ts (the aggregating thread's young generation).
 */
export { analyse, eventLoopTurns, PROGRESS_EVERY_LINES, type PipelineOptions, type Progress } from './pipeline/run.js';
export { PARALLEL_MIN_BYTES } from './pipeline/reader-worker.js';
export { Analysis, FOLLOW_ROTATIONS_KEPT, MAX_PARSE_CHARS, type AnalysisOptions, type PipelineResult } from './pipeline/analysis.js';
export { DETECT_BUFFER_CHARS } from './pipeline/detection.js';
export { FollowFeed } from './pipeline/follow-feed.js';
export { capYoungGeneration } from './pipeline/young-generation.js';
