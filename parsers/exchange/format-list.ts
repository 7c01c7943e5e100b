/**
 * `Get-MessageTrackingLog … | Format-List` console output pasted into a file (the `.fl.log`
 * corpus files): one block of `Name : value` lines per record, names padded to one width,
 * long values wrapped onto indented continuation lines, collections shown as `{a, b}` and cut
 * after $FormatEnumerationLimit items (Microsoft Learn: PowerShell "Format-List" and
 * "about_Preference_Variables"). Property names are Get-MessageTrackingLog's (columns.ts).
 *
 * A record ends where the next one begins (a property the open block already has, usually
 * RunspaceId or Timestamp again) or at the end of the input. Blank lines do not end a block:
 * some consoles and pastes put one after every property (Q&A 1407358 in the corpus).
 */
import { fieldOfProperty } from './columns.js';

// `Timestamp               : 4/6/2021 2:46:03 PM` and `ServerHostname          :` (empty value).
// Names are PowerShell identifiers; padding is spaces; nothing after the colon is optional.
const PROPERTY_RE = /^([A-Za-z][A-Za-z0-9]{0,63}) *: ?/;

/** A block holds at most this many properties (Get-MessageTrackingLog has 33 with remoting). */
const MAX_PROPERTIES = 100;
/** A value grows by continuation lines up to this size; a wrapped MessageInfo is a few KB. */
const MAX_VALUE_CHARS = 64 * 1024;
/** The record's text kept as the events' `raw`. */
const MAX_RAW_CHARS = 64 * 1024;

export interface Block {
  /** Lower-cased property name → value. */
  props: Map<string, string>;
  /** The block's non-blank lines, joined with `\n`. */
  raw: string;
  /** 1-based line number of the block's first line. */
  line: number;
  file: string;
}

export type ListLine =
  /** A property or continuation line; `completed` is the previous block when this line began a new one. */
  | { kind: 'property'; completed: Block | null }
  | { kind: 'continuation' }
  | { kind: 'other' };

/** Does this look like a Get-MessageTrackingLog property line? (sniffing: known names only) */
export function isTrackingPropertyLine(line: string): boolean {
  const m = PROPERTY_RE.exec(line);
  return m !== null && fieldOfProperty(m[1]!) !== null;
}

export class FormatListReader {
  private block: Block | null = null;
  private last: string | null = null;
  private rawChars = 0;

  /** Reads one non-blank line. */
  line(text: string, no: number, file: string): ListLine {
    const c = text.charCodeAt(0);
    if ((c === 32 || c === 9) && this.block !== null && this.last !== null) {
      this.continueValue(text.trim());
      this.keepRaw(text);
      return { kind: 'continuation' };
    }
    const m = PROPERTY_RE.exec(text);
    if (!m) return { kind: 'other' };
    const name = m[1]!.toLowerCase();
    const known = fieldOfProperty(name) !== null;
    // An unknown name may belong to an open block (a property added in a later version), but
    // it never starts one: `Note: …` in a pasted forum post is not a record.
    if (!known && this.block === null) return { kind: 'other' };
    let completed: Block | null = null;
    if (this.block !== null && this.block.props.has(name)) {
      completed = this.block;
      this.block = null;
    }
    if (this.block === null) {
      this.block = { props: new Map(), raw: '', line: no, file };
      this.rawChars = 0;
    }
    if (this.block.props.size < MAX_PROPERTIES) this.block.props.set(name, text.slice(m[0].length).trimEnd());
    this.last = name;
    this.keepRaw(text);
    return { kind: 'property', completed };
  }

  /** A blank line: no continuation may follow it. */
  blank(): void {
    this.last = null;
  }

  /** The open block, if any; the reader is empty afterwards. */
  flush(): Block | null {
    const b = this.block;
    this.block = null;
    this.last = null;
    return b;
  }

  private continueValue(more: string): void {
    const props = this.block!.props;
    const v = props.get(this.last!) ?? '';
    if (v.length >= MAX_VALUE_CHARS) return;
    // The console wraps at a space and drops it; a value wrapped inside a word gets one too many.
    props.set(this.last!, v === '' ? more : `${v} ${more}`);
  }

  private keepRaw(text: string): void {
    const b = this.block!;
    if (this.rawChars >= MAX_RAW_CHARS) return;
    b.raw = b.raw === '' ? text : `${b.raw}\n${text}`;
    this.rawChars += text.length + 1;
  }
}
