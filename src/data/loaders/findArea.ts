/**
 * Finding one area in a list by what a user types: a name, an ONS code or
 * a DfE code, with close names suggested when nothing matches.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';
import type { Area } from '../schemas.js';
import { closestMatches, ENGLISH_REGIONS, normaliseName } from './csvText.js';

/** An area that may also answer to other names or codes (a published name, a former ONS code). */
export type SearchableArea = Area & {
  /** Other names or codes the area is known by, e.g. `Dorset` for `Dorset (838)`, or a former ONS code. */
  readonly aliases?: readonly string[];
};

/** How many close names an unknown-area error suggests at most. */
const MAX_SUGGESTIONS = 3;

/**
 * An area with its codes, for messages: `Derbyshire (830, E10000007)`.
 *
 * @param a - the area
 * @returns the name followed by its DfE and ONS codes in brackets, when it has any
 * @example
 * ```ts
 * describeArea({ name: 'Derby', code: 'E06000015', oldCode: '831', level: 'local_authority' }); // 'Derby (831, E06000015)'
 * ```
 */
export function describeArea(a: Area): string {
  // A name already told apart by its DfE code ("Dorset (835)") does not repeat it.
  const codes = [a.oldCode, a.code].filter((c): c is string => c !== undefined && c !== '' && !a.name.endsWith(`(${c})`)).join(', ');
  return codes ? `${a.name} (${codes})` : a.name;
}

/**
 * Find an area by name (case and punctuation ignored: `derby`, `St Helens`),
 * ONS code (`E10000007`), DfE code (`830`) or one of its aliases (a name as
 * published, a former ONS code). A name alone never picks one of two areas
 * that share it: asking for `Dorset` when the list holds the county (835)
 * and the unitary authority (838) is an error that lists both codes.
 *
 * @param areas - the areas to search
 * @param query - what the user asked for
 * @param source - the file or panel, for messages
 * @returns the index of the one matching area
 * @throws `CarecastInputError` when nothing matches (suggesting at most three close names) or several areas match (listing their codes)
 * @example
 * ```ts
 * findArea(table.areas, 'Derby', 'cla.csv'); // index of Derby, not Derbyshire
 * ```
 */
export function findArea(areas: readonly SearchableArea[], query: string, source: string): number {
  const q = query.trim();
  const nq = normaliseName(q);
  const upper = q.toUpperCase();
  const hit = (text: string | undefined) => text !== undefined && text !== '' && (normaliseName(text) === nq || text.toUpperCase() === upper);
  const exact: number[] = [];
  areas.forEach((a, i) => {
    if (hit(a.name) || hit(a.code) || hit(a.oldCode)) exact.push(i);
  });
  const matches = exact.length > 0 ? exact : areas.flatMap((a, i) => ((a.aliases ?? []).some(hit) ? [i] : []));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new CarecastInputError([
      {
        source,
        field: 'la',
        message: `${JSON.stringify(query)} matches ${matches.length} areas: ${matches.map((i) => `${describeArea(areas[i])} [${areas[i].level}]`).join('; ')}`,
        fix: `ask by code instead: ${matches.map((i) => areas[i].oldCode ?? areas[i].code ?? areas[i].name).join(' or ')}`,
      },
    ]);
  }
  const names = areas.map((a) => a.name);
  const close = closestMatches(q, [...names, ...areas.flatMap((a) => (a.aliases ?? []).filter((x) => !/^[A-Z]\d{8}$/.test(x)))], MAX_SUGGESTIONS * 2)
    .flatMap((n) => (names.includes(n) ? [n] : areas.filter((a) => a.aliases?.includes(n)).map((a) => a.name)))
    .filter((n, i, all) => all.indexOf(n) === i)
    .slice(0, MAX_SUGGESTIONS);
  const regions = ENGLISH_REGIONS.map((r) => r.name).filter((n) => names.includes(n));
  throw new CarecastInputError([
    {
      source,
      field: 'la',
      message: `no area called ${JSON.stringify(query)}`,
      fix:
        close.length > 0
          ? `did you mean ${close.map((n) => JSON.stringify(n)).join(', ')}? You can also give the ONS code (E10000007) or DfE code (830)`
          : `give a local authority name, ONS code (E10000007) or DfE code (830), 'England'${regions.length > 0 ? ` or a region (${regions.slice(0, 3).join(', ')}, ...)` : ''}`,
    },
  ]);
}
