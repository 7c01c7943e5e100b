/**
 * `1 line`, `2 lines`, `0 findings`: a count with its noun in the right number. English nouns
 * here take `s`, except those given their plural (`1 entry` / `entries`).
 */
export function plural(n: number, noun: string, nouns = `${noun}s`, fmt: (n: number) => string = String): string {
  return `${fmt(n)} ${n === 1 ? noun : nouns}`;
}
