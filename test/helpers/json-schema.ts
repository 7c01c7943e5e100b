/**
 * A validator for the subset of JSON Schema (2020-12) that schema/*.schema.json use: type
 * (one or a list), const, enum, properties, required, additionalProperties: false, items,
 * minItems, maxItems, minLength, minimum, maximum, format: date-time. Any other keyword makes
 * it throw, so a schema cannot grow past what is checked without the test saying so.
 */
export type JsonSchema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties',
  'items', 'minItems', 'maxItems', 'minLength', 'minimum', 'maximum', 'format',
]);

/** RFC 3339 date-time (what `format: date-time` means), with a zone. */
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Every violation of `schema` by `value`, as `path: what`; empty when valid. */
export function validate(schema: JsonSchema, value: unknown, path = '$'): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`${path}: schema keyword ${k} is not supported by this validator`);
  const errs: string[] = [];
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const ok = types.some((x) => x === t || (x === 'number' && t === 'integer'));
    if (!ok) return [`${path}: ${t} is not ${types.join(' or ')}`];
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errs.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errs.push(`${path}: ${JSON.stringify(value)} not in enum`);
  }
  if (t === 'string') {
    const s = value as string;
    if (typeof schema.minLength === 'number' && [...s].length < schema.minLength) errs.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.format === 'date-time' && !(DATE_TIME_RE.test(s) && !Number.isNaN(Date.parse(s)))) errs.push(`${path}: not a date-time`);
  }
  if (t === 'integer' || t === 'number') {
    const n = value as number;
    if (typeof schema.minimum === 'number' && n < schema.minimum) errs.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && n > schema.maximum) errs.push(`${path}: above ${schema.maximum}`);
  }
  if (t === 'array') {
    const a = value as unknown[];
    if (typeof schema.minItems === 'number' && a.length < schema.minItems) errs.push(`${path}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && a.length > schema.maxItems) errs.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) a.forEach((x, i) => errs.push(...validate(schema.items as JsonSchema, x, `${path}[${i}]`)));
  }
  if (t === 'object') {
    const o = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in o)) errs.push(`${path}: ${r} is missing`);
    for (const [k, v] of Object.entries(o)) {
      if (props[k]) errs.push(...validate(props[k], v, `${path}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${path}: ${k} is not allowed`);
    }
  }
  return errs;
}
