/**
 * Errors that reach the user as one line on stderr, and the documented exit codes.
 * Only src/cli.ts prints them and exits.
 */
export const EXIT = {
  /** Every input was read (findings or not). */
  ok: 0,
  /** Some input or output failed (missing file, no permission, corrupt gzip, unknown format, write error); the rest was processed. */
  inputError: 1,
  /** Bad command line. */
  usage: 2,
  /** --fail-on N: rejections and bounces reached N. */
  threshold: 3,
} as const;

/** A problem with one input or output, named in one line: `maillog-doctor: FILE: message`. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A short reason from a Node system error, without stack or errno noise. */
export function describeSystemError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return `corrupt gzip data (${e.message})`;
    case 'ERR_STRING_TOO_LONG':
      return 'a line is too long to read';
    default:
      return e?.message ? String(e.message).split('\n')[0]! : String(err);
  }
}
