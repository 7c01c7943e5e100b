/** Runs one corpus file through the real pipeline (streaming, detection, parse, classify). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyse } from '../../src/pipeline.js';
import { skipNote } from '../helpers/skip.js';

/** ../shared/corpus beside the repository (as in CI). */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const haveCorpus = existsSync(CORPUS);
skipNote('corpus tests', haveCorpus ? null : 'no ../shared/corpus beside the repository');

export async function corpusCounts(path: string) {
  const { stats, errors, aggregator } = await analyse([path], { now: new Date('2026-11-23T12:00:00Z') });
  const f = stats.files[0]!;
  return {
    format: f.format,
    read: stats.linesRead,
    recognised: stats.linesRecognised,
    ignored: stats.linesIgnored,
    unrecognised: stats.linesUnrecognised,
    errors: errors.map((e) => e.message),
    aggregator,
    stats,
  };
}
