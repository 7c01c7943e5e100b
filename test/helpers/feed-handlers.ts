/**
 * The Follower handlers that hand a followed log to a FollowFeed, as src/cli.ts follow() wires
 * them (without the CLI's printing, view and warnings), for tests that follow a log themselves.
 */
import type { FollowHandlers } from '../../src/input/follow.js';
import type { Analysis } from '../../src/pipeline/analysis.js';
import type { FollowFeed } from '../../src/pipeline/follow-feed.js';

export function feedHandlers(feed: FollowFeed, analysis: Analysis): Required<Pick<FollowHandlers, 'begin' | 'rawLine' | 'oversized' | 'nulBytes' | 'end' | 'progress'>> {
  return {
    begin: ({ reference, file }) => void feed.begin(file, reference),
    rawLine: (no, bytes, start, end, ascii, offset) => feed.line(no, bytes, start, end, ascii, offset),
    oversized: (head, no, offset) => feed.oversized(head, no, offset),
    nulBytes: (n) => analysis.nulBytes(n),
    end: () => feed.end(),
    progress: () => feed.flush(),
  };
}
