/**
 * `-` for null, else the text's length, `:` and the text: fields written one after another this
 * way cannot run into each other whatever they hold, so no two lists of fields give one string
 * (the rule cache's keys) and the list can be read back (Exchange's packed message facts).
 */
export function lengthPrefixed(s: string | null): string {
  return s === null ? '-' : `${s.length}:${s}`;
}
