/**
 * Starts the interactive view on the terminal: the alternate screen (so quitting gives the
 * terminal back as it was), Ink with its own Ctrl-C handling off (keymap.ts quits), and the
 * store's publishing timer. `quit()` is for signals; `done` settles when the view is gone and
 * the terminal restored.
 */
import { render } from 'ink';
import App from './App.js';
import type { LiveStore } from './live.js';

export interface TuiOptions {
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export interface TuiSession {
  /** Settles once the view is closed and the terminal restored. */
  done: Promise<void>;
  /** Closes the view (for SIGTERM, or when the program ends on its own). */
  quit(): void;
}

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

export function startTui(live: LiveStore, opts: TuiOptions): TuiSession {
  const stdout = opts.stdout ?? process.stdout;
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    stdout.write(LEAVE_ALT_SCREEN);
  };
  stdout.write(ENTER_ALT_SCREEN);
  // Whatever ends the process, the user gets the normal screen back.
  process.on('exit', restore);
  live.start();
  const instance = render(<App live={live} color={opts.color} />, {
    stdout,
    stdin: opts.stdin ?? process.stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 20,
    onRender: ({ renderTime }) => live.rendered(renderTime),
  });
  const done = instance.waitUntilExit().then(
    () => undefined,
    () => undefined,
  );
  const finished = done.then(() => {
    live.stop();
    restore();
  });
  return { done: finished, quit: () => instance.unmount() };
}
