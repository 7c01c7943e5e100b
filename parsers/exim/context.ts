/** What the line's form (own log file or syslog) tells about it: the fields every event shares. */
export interface LineContext {
  time: string | null;
  /** Syslog host, when the line came through syslog. */
  host: string | null;
  /** Syslog program (`exim`, `exim4`); null for Exim's own log files. */
  program: string | null;
  raw: string;
  file: string;
  line: number;
}
