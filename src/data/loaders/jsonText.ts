/**
 * Checking JSON input texts (cost models, scenarios, panel evidence) against
 * a zod schema, with problems a person can act on: the file, the line, the
 * field as a path (`capacity[0].utilisation`), what was wrong and how to
 * fix it. An unknown key names the nearest valid key; an unknown kind lists
 * the kinds there are. Browser-safe: the path form, `loadJsonFile`, is in
 * `jsonFile.ts` (Node only).
 *
 * @module
 */
import type { z } from 'zod';
import { CarecastInputError, type InputProblem } from '../errors.js';
import { editDistance } from './csvText.js';

/** A path into a JSON value: keys and array indices. */
export type JsonPath = readonly (string | number)[];

/**
 * The line on which each value of a JSON text starts, by path (an object
 * member: the line of its key). The text must be valid JSON.
 *
 * @param text - the JSON text
 * @returns a map from `JSON.stringify(path)` to the 1-based line
 * @example
 * ```ts
 * jsonLines('{\n  "a": [1,\n    2]\n}').get(JSON.stringify(['a', 1])); // 3
 * ```
 */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const space = (): void => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      i++;
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: JsonPath): void => {
    space();
    const key = JSON.stringify(path);
    if (!lines.has(key)) lines.set(key, line);
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (let k = 0; i < text.length; k++) {
        space();
        if (c === '{') {
          const at = line;
          const name = string();
          lines.set(JSON.stringify([...path, name]), at);
          space();
          i++; // ':'
          value([...path, name]);
        } else {
          value([...path, k]);
        }
        space();
        if (text[i++] !== ',') return; // the closing bracket
      }
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
  };
  value([]);
  return lines;
}

/** A path as a person writes it: `capacity[0].utilisation`, `[1].levers[0].change`; the root is `(root)`. */
function pathText(path: JsonPath): string {
  const s = path.map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? p : `.${p}`)).join('');
  return s === '' ? '(root)' : s;
}

/** The line of a path, or of its nearest ancestor. */
function lineOf(lines: ReadonlyMap<string, number> | undefined, path: JsonPath): number | undefined {
  if (!lines) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const l = lines.get(JSON.stringify(path.slice(0, n)));
    if (l !== undefined) return l;
  }
  return undefined;
}

/** The parts of a zod schema's definition that the key search reads. */
interface SchemaNode {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, SchemaNode>>;
      readonly element?: SchemaNode;
      readonly innerType?: SchemaNode;
      readonly in?: SchemaNode;
      readonly options?: readonly SchemaNode[];
      readonly valueType?: SchemaNode;
      readonly discriminator?: string;
      readonly values?: readonly unknown[];
    };
  };
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function child(v: unknown, key: string | number): unknown {
  return v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined;
}

/** The object, array, record or leaf schemas a schema stands for, given the value it meets. */
function expand(n: SchemaNode, v: unknown): SchemaNode[] {
  const d = n._zod.def;
  if (WRAPPERS.has(d.type) && d.innerType) return expand(d.innerType, v);
  if (d.type === 'pipe' && d.in) return expand(d.in, v);
  if (d.type === 'union' && d.options) {
    let options = d.options;
    const tag = d.discriminator !== undefined ? child(v, d.discriminator) : undefined;
    if (d.discriminator !== undefined && tag !== undefined) {
      const disc = d.discriminator;
      const hit = options.filter((o) => o._zod.def.shape?.[disc]?._zod.def.values?.includes(tag));
      if (hit.length > 0) options = hit;
    }
    return options.flatMap((o) => expand(o, v));
  }
  return [n];
}

/** The keys a schema allows at a path of a value (empty when the path is not an object there). */
function keysAt(schema: SchemaNode, path: JsonPath, data: unknown): string[] {
  let nodes = expand(schema, data);
  let v = data;
  for (const seg of path) {
    const next: SchemaNode[] = [];
    const cv = child(v, seg);
    for (const n of nodes) {
      const d = n._zod.def;
      if (d.type === 'object' && typeof seg === 'string' && d.shape?.[seg]) next.push(...expand(d.shape[seg], cv));
      else if (d.type === 'array' && typeof seg === 'number' && d.element) next.push(...expand(d.element, cv));
      else if (d.type === 'record' && d.valueType) next.push(...expand(d.valueType, cv));
    }
    nodes = next;
    v = cv;
  }
  return [...new Set(nodes.flatMap((n) => (n._zod.def.type === 'object' ? Object.keys(n._zod.def.shape ?? {}) : [])))];
}

/**
 * The valid name nearest to a misspelt one (case ignored), when it is close:
 * within two edits, or a third of the name's length.
 *
 * @param name - what was written
 * @param valid - the valid names
 * @returns the nearest valid name, or undefined when none is close
 * @example
 * ```ts
 * nearestName('utilization', ['name', 'places', 'utilisation']); // 'utilisation'
 * nearestName('inflaton', ['dimension', 'inflation', 'capacity']); // 'inflation'
 * ```
 */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const d = editDistance(name.toLowerCase(), v.toLowerCase());
    if (d < bestD) {
      best = v;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Options of {@link schemaProblems}. */
export interface SchemaProblemOptions {
  /** The file (or a label), for every problem. */
  readonly source: string;
  /** The schema the value was checked against (to suggest keys). */
  readonly schema: z.ZodType;
  /** The value checked. */
  readonly data: unknown;
  /** Lines of the JSON text by path ({@link jsonLines}), to give each problem its line. */
  readonly lines?: ReadonlyMap<string, number>;
  /** The fix of problems that carry none of their own (default: check the field against the guide). */
  readonly fix?: string;
}

/**
 * Turn zod issues into input problems naming the source, the line, the
 * field (as a path) and a fix: an unknown key suggests the nearest valid
 * one and lists the keys allowed there; an unknown kind (a discriminated
 * union) lists the kinds; a missing field says so; a union reports the
 * problems of the branch the value was meant for. A custom issue's
 * `params.fix` becomes the fix.
 *
 * @param issues - the issues of a failed `safeParse`
 * @param options - source, schema, the value, its lines, the default fix
 * @returns the problems, at least one per issue
 * @example
 * ```ts
 * const r = schema.safeParse(json);
 * if (!r.success) throw new CarecastInputError(schemaProblems(r.error.issues, { source: 'costs.json', schema, data: json }));
 * ```
 */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], options: SchemaProblemOptions): InputProblem[] {
  const schema = options.schema as unknown as SchemaNode;
  const fixOf = options.fix ?? 'correct the field';
  const out: InputProblem[] = [];
  // a required key reported missing where a misspelling of it was found is said once, as the misspelling
  const suggested = new Set<string>();
  const missing: InputProblem[] = [];
  const problem = (path: JsonPath, message: string, fix: string): InputProblem => {
    const row = lineOf(options.lines, path);
    return { source: options.source, ...(row !== undefined ? { row } : {}), field: pathText(path), message, fix };
  };
  const at = (path: JsonPath, message: string, fix: string): void => {
    out.push(problem(path, message, fix));
  };
  const visit = (iss: z.core.$ZodIssue, prefix: JsonPath): void => {
    const path = [...prefix, ...(iss.path as (string | number)[])];
    switch (iss.code) {
      case 'unrecognized_keys': {
        const valid = keysAt(schema, path, options.data);
        for (const key of iss.keys) {
          const near = nearestName(key, valid.filter((k) => !iss.keys.includes(k)));
          if (near) suggested.add(pathText([...path, near]));
          at([...path, key], `unknown key "${key}"`, `${near ? `did you mean "${near}"? ` : ''}the keys allowed here are ${valid.map((k) => `"${k}"`).join(', ')}`);
        }
        return;
      }
      case 'invalid_union': {
        const disc = (iss as { discriminator?: string }).discriminator;
        const kinds = (iss as { options?: readonly unknown[] }).options;
        if (disc !== undefined && iss.errors.length === 0) {
          const found = child(path.length > 0 ? path.slice(0, -1).reduce<unknown>((v, k) => child(v, k), options.data) : options.data, disc);
          const names = (kinds ?? []).map(String);
          const near = typeof found === 'string' ? nearestName(found, names) : undefined;
          at(path, found === undefined ? `no "${disc}"` : `unknown ${disc} ${JSON.stringify(found)}`, `${near ? `did you mean "${near}"? ` : ''}use one of ${names.map((k) => `"${k}"`).join(', ')}`);
          return;
        }
        // the branch the value was meant for: not one rejecting its whole type
        const meant = iss.errors.filter((branch) => !(branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0));
        if (meant.length === 1) {
          for (const b of meant[0]) visit(b, path);
          return;
        }
        const expected = iss.errors.flatMap((b) => (b.length === 1 && b[0].code === 'invalid_type' ? [b[0].expected] : []));
        at(path, expected.length > 0 ? `expected ${expected.join(' or ')}` : iss.message, fixOf);
        return;
      }
      case 'invalid_type': {
        const value = path.reduce<unknown>((v, k) => child(v, k), options.data);
        if (value === undefined) {
          missing.push(problem(path, `"${String(path[path.length - 1] ?? '(root)')}" is missing`, `give it (${iss.expected})`));
          return;
        }
        at(path, `expected ${iss.expected}, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `${typeof value} ${JSON.stringify(value)}`}`, fixOf);
        return;
      }
      case 'custom': {
        const fix = (iss.params as { fix?: unknown } | undefined)?.fix;
        at(path, iss.message, typeof fix === 'string' ? fix : fixOf);
        return;
      }
      default:
        at(path, iss.message, fixOf);
    }
  };
  for (const iss of issues) visit(iss, []);
  out.push(...missing.filter((m) => !suggested.has(m.field ?? '')));
  // in file order
  return out.map((p, k) => [p, k] as const).sort((a, b) => (a[0].row ?? 0) - (b[0].row ?? 0) || a[1] - b[1]).map(([p]) => p);
}

/**
 * Parse JSON text and check it against a schema, reporting every problem
 * with its line: a syntax error with the line and column where the JSON
 * breaks, a schema problem as {@link schemaProblems} does.
 *
 * @param text - the JSON text
 * @param source - the file name, for messages
 * @param schema - the schema
 * @param fix - the fix of problems that carry none (e.g. where the format is described)
 * @returns the parsed, checked value
 * @throws CarecastInputError for bad JSON or a value the schema rejects
 * @example
 * ```ts
 * const model = parseJsonWithSchema(text, 'costs.json', CostModelFileSchema, 'see docs/guides/finance.md');
 * ```
 */
export function parseJsonWithSchema<S extends z.ZodType>(text: string, source: string, schema: S, fix?: string): z.output<S> {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const row = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    const column = pos ? Number(pos[1]) - text.lastIndexOf('\n', Number(pos[1]) - 1) : undefined;
    throw new CarecastInputError([
      {
        source,
        ...(row !== undefined ? { row } : {}),
        message: `not valid JSON${column !== undefined ? ` (column ${column})` : ''}: ${msg.replace(/^JSON\.parse: /, '')}`,
        fix: 'check the brackets, commas and quotes there (keys and text need double quotes; no comma after the last item)',
      },
    ]);
  }
  const r = schema.safeParse(data);
  if (r.success) return r.data as z.output<S>;
  throw new CarecastInputError(schemaProblems(r.error.issues, { source, schema, data, lines: jsonLines(text), ...(fix !== undefined ? { fix } : {}) }));
}
