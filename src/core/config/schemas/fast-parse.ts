// A fast path for parsing specs that are valid, which nearly all are: the schema
// is compiled once into plain checks that give a valid value as zod's parse would
// (objects with their fields in the schema's order), and give up on anything else.
// A part that is already that value (its fields in the schema's order, every item
// unchanged) is returned as it is, not copied: nothing changes a spec after loading
// (test/config/spec-frozen.test.ts). A spec it gives up on, or a schema using a zod
// feature it does not know, goes through zod, which reports the issues.
import type { z } from 'zod';

/** What a compiled check returns when the value is not plainly valid. */
const GIVE_UP: unique symbol = Symbol('give up');
type Compiled = (value: unknown) => unknown;

interface Def {
  type: string;
  checks?: { _zod: { def: { check: string; format?: string; value?: unknown; inclusive?: boolean } } }[];
  shape?: Record<string, Node>;
  catchall?: Node;
  element?: Node;
  innerType?: Node;
  keyType?: Node;
  valueType?: Node;
  mode?: string;
  entries?: Record<string, unknown>;
}
interface Node {
  _zod: { def: Def; values?: Set<unknown> };
}

const compiledSchemas = new WeakMap<object, Compiled | null>();

/**
 * The value zod's `safeParse` would return as data for `raw`, or undefined when the
 * fast path cannot tell (invalid, or a schema feature it does not know): then ask zod.
 */
export function fastParse(schema: z.ZodType, raw: unknown): Record<string, unknown> | undefined {
  let compiled = compiledSchemas.get(schema);
  if (compiled === undefined) {
    compiled = compile(schema as unknown as Node) ?? null;
    compiledSchemas.set(schema, compiled);
  }
  if (!compiled) return undefined;
  const out = compiled(raw);
  return out === GIVE_UP ? undefined : (out as Record<string, unknown>);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  // a YAML `__proto__` key is an own property, which zod treats apart: leave it to zod
  return Object.getPrototypeOf(v) === Object.prototype && !Object.hasOwn(v, '__proto__');
}

/** A compiled check, or undefined when the schema uses something not handled here. */
function compile(node: Node): Compiled | undefined {
  const def = node._zod.def;
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'string':
      return checks.length ? undefined : (v) => (typeof v === 'string' ? v : GIVE_UP);
    case 'boolean':
      return checks.length ? undefined : (v) => (typeof v === 'boolean' ? v : GIVE_UP);
    case 'number': {
      let integer = false;
      let nonNegative = false;
      for (const c of checks) {
        const d = c._zod.def;
        if (d.check === 'number_format' && d.format === 'safeint') integer = true;
        else if (d.check === 'greater_than' && d.value === 0 && d.inclusive === true) nonNegative = true;
        else return undefined;
      }
      return (v) =>
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (!integer || Number.isSafeInteger(v)) &&
        (!nonNegative || v >= 0)
          ? v
          : GIVE_UP;
    }
    case 'enum': {
      const values = node._zod.values;
      if (!values || checks.length) return undefined;
      return (v) => (values.has(v) ? v : GIVE_UP);
    }
    case 'optional': {
      const inner = def.innerType && compile(def.innerType);
      if (!inner || checks.length) return undefined;
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case 'array': {
      const element = def.element && compile(def.element);
      if (!element || checks.length) return undefined;
      return (v) => {
        if (!Array.isArray(v)) return GIVE_UP;
        // copied only from the first item that changes (none, mostly)
        let out: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
          const item = element(v[i]);
          if (item === GIVE_UP) return GIVE_UP;
          if (out) out[i] = item;
          else if (item !== v[i]) {
            out = v.slice(0, i);
            out[i] = item;
          }
        }
        return out ?? v;
      };
    }
    case 'record': {
      // string keys (any string is a valid key), values checked
      const keyDef = def.keyType?._zod.def;
      const value = def.valueType && compile(def.valueType);
      if (!value || keyDef?.type !== 'string' || keyDef.checks?.length || def.mode || checks.length)
        return undefined;
      return (v) => {
        if (!isMapping(v)) return GIVE_UP;
        const keys = Object.keys(v);
        let changed = false;
        const items = new Array(keys.length);
        for (let i = 0; i < keys.length; i++) {
          const item = value(v[keys[i] as string]);
          if (item === GIVE_UP) return GIVE_UP;
          items[i] = item;
          if (item !== v[keys[i] as string]) changed = true;
        }
        if (!changed) return v;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) out[keys[i] as string] = items[i];
        return out;
      };
    }
    case 'object': {
      // strict objects only: an unknown field is an issue zod reports
      if (def.catchall?._zod.def.type !== 'never' || !def.shape || checks.length) return undefined;
      const keys = Object.keys(def.shape);
      const fields: Compiled[] = [];
      const optional = new Set<string>();
      for (const key of keys) {
        const field = def.shape[key] as Node;
        const compiled = compile(field);
        // `key in value` must mean the spec sets it: no field may share a name with Object.prototype's
        if (!compiled || key in Object.prototype) return undefined;
        fields.push(compiled);
        if (field._zod.def.type === 'optional') optional.add(key);
      }
      // each field's place in the schema's order
      const known = new Map(keys.map((k, i) => [k, i]));
      // with every field optional, the walk can stop once the fields set are copied
      const allOptional = optional.size === keys.length;
      return (v) => {
        if (!isMapping(v)) return GIVE_UP;
        let present = 0;
        // the value can be returned as it is when its fields come in the schema's order and none changes
        let same = true;
        let last = -1;
        for (const key in v) {
          const at = known.get(key);
          if (at === undefined) return GIVE_UP;
          if (at < last) same = false;
          last = at;
          present++;
        }
        // a copy only when needed: from the first changed field, the fields before it copied as they are
        let out: Record<string, unknown> | undefined = same ? undefined : {};
        // the schema's field order, as zod writes its result
        for (let i = 0; i < keys.length && (present > 0 || !allOptional); i++) {
          const key = keys[i] as string;
          if (!(key in v)) {
            if (!optional.has(key)) return GIVE_UP;
            continue;
          }
          present--;
          const field = (fields[i] as Compiled)(v[key]);
          if (field === GIVE_UP) return GIVE_UP;
          if (!out && field !== v[key]) {
            out = {};
            for (let j = 0; j < i; j++) {
              const before = keys[j] as string;
              if (before in v) out[before] = v[before];
            }
          }
          if (out) out[key] = field;
        }
        return out ?? v;
      };
    }
    default:
      return undefined;
  }
}
