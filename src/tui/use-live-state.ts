/** The latest published LiveState; re-renders only when the store publishes (about 10 a second at most). */
import { useCallback, useSyncExternalStore } from 'react';
import type { LiveState } from './live.js';

/** What the TUI reads from: LiveStore, or a fixed state in tests. */
export interface LiveSource {
  readonly state: LiveState;
  subscribe(listener: (s: LiveState) => void): () => void;
}

export default function useLiveState(source: LiveSource): LiveState {
  const subscribe = useCallback((onChange: () => void) => source.subscribe(onChange), [source]);
  return useSyncExternalStore(subscribe, () => source.state);
}
