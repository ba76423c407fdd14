/**
 * Which published areas are the same area, across years and files.
 *
 * Local authorities are joined on the three-digit DfE code (`old_la_code`
 * in the EES files, `geog_c` in the SFR tables), which DfE keeps when an
 * authority's ONS code changes without a change of authority, and never on
 * the name alone: two authorities can share a name (Dorset county 835 and
 * the Dorset unitary authority 838), and names are spelt differently from
 * one file to the next ("Durham" and "County Durham"). England is one
 * area; regions are joined on their ONS code.
 *
 * ## Reorganisations
 *
 * These authorities are separate series, never joined:
 *
 * - 1 April 2019: Bournemouth (837), Poole (836) and the Dorset county
 *   (835) became Bournemouth, Christchurch and Poole (839) and the Dorset
 *   unitary authority (838). Christchurch moved from the county into BCP,
 *   so neither new authority is a sum of old ones.
 * - 1 April 2021: Northamptonshire (928) became North Northamptonshire
 *   (940) and West Northamptonshire (941).
 * - 1 April 2023: Cumbria (909) became Cumberland (942) and Westmorland and
 *   Furness (943).
 *
 * North Yorkshire (815) and Somerset (933) became unitary on 1 April 2023
 * with the same boundaries and new ONS codes (E10000023 to E06000065,
 * E10000027 to E06000066): each is one series under its DfE code, with
 * both ONS codes. Gateshead (390), Northumberland (929) and
 * Buckinghamshire (825) also have newer ONS codes than in the SFR tables.
 *
 * @module
 */
import { ENGLISH_REGIONS, normaliseName } from '../loaders/csvText.js';
import type { Area } from '../schemas.js';
import type { DfeCell } from './cells.js';
import type { DfePanelArea } from './panelTypes.js';

/** A reorganisation of local authorities: the DfE codes involved and what happened. */
export interface LaReorganisation {
  /** When the new authorities were created. */
  readonly date: string;
  /** DfE codes of the authorities abolished. */
  readonly from: readonly string[];
  /** DfE codes of the authorities created. */
  readonly to: readonly string[];
  /** What happened, and why the series are not joined. */
  readonly text: string;
}

/** The English local authority reorganisations in the years the DfE panel covers. */
export const LA_REORGANISATIONS: readonly LaReorganisation[] = [
  {
    date: '2019-04-01',
    from: ['835', '836', '837'],
    to: ['838', '839'],
    text:
      '1 April 2019: Bournemouth (837), Poole (836) and Christchurch (part of the Dorset county, 835) became Bournemouth, Christchurch and Poole (839); ' +
      'the rest of the county became the Dorset unitary authority (838). The old authorities have figures to 31 March 2019, the new ones from 2020; ' +
      'neither new authority is a sum of old ones, so they are separate series, never joined.',
  },
  {
    date: '2021-04-01',
    from: ['928'],
    to: ['940', '941'],
    text:
      '1 April 2021: Northamptonshire (928) was split into North Northamptonshire (940) and West Northamptonshire (941). ' +
      'Northamptonshire has figures to 31 March 2021, the new authorities from 2022: separate series.',
  },
  {
    date: '2023-04-01',
    from: ['909'],
    to: ['942', '943'],
    text:
      '1 April 2023: Cumbria (909) was split into Cumberland (942) and Westmorland and Furness (943). ' +
      'Cumbria has figures to 31 March 2023, the new authorities from 2024: separate series.',
  },
];

const idCache = new WeakMap<Area, string>();

/**
 * The key an area is joined on: `national`, `region:<ONS code>` or
 * `la:<DfE code>`.
 *
 * @param a - the area as published
 * @returns the key
 * @example
 * ```ts
 * areaId({ name: 'Derby', code: 'E06000015', oldCode: '831', level: 'local_authority' }); // 'la:831'
 * ```
 */
export function areaId(a: Area): string {
  let id = idCache.get(a);
  if (id === undefined) {
    id = computeAreaId(a);
    idCache.set(a, id);
  }
  return id;
}

function computeAreaId(a: Area): string {
  if (a.level === 'national') return 'national';
  if (a.level === 'region') {
    const known = ENGLISH_REGIONS.find((r) => normaliseName(r.name) === normaliseName(a.name));
    return `region:${known?.code ?? a.code ?? normaliseName(a.name)}`;
  }
  return `la:${a.oldCode ?? a.code ?? normaliseName(a.name)}`;
}

/** The panel's areas: one per id, named and coded as in the latest source. */
export interface AreaRegistry {
  /** Area by id. */
  readonly byId: ReadonlyMap<string, DfePanelArea>;
  /** Notes on code changes, names told apart and reorganisations. */
  readonly notes: readonly string[];
}

/**
 * Years as ranges: `2011-2017, 2019-2024`.
 *
 * @param years - the years, in any order
 * @returns the ranges, comma-separated
 * @example
 * ```ts
 * yearRanges([2011, 2012, 2013, 2019, 2020]); // '2011-2013, 2019-2020'
 * ```
 */
export function yearRanges(years: readonly number[]): string {
  const ys = [...new Set(years)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < ys.length; i++) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j] + 1) j++;
    out.push(i === j ? String(ys[i]) : `${ys[i]}-${ys[j]}`);
    i = j;
  }
  return out.join(', ');
}

/**
 * Work out the panel's areas from the cells: the name and ONS code of the
 * latest year published (a tie goes to the later kind of file, then the
 * name first in alphabetical order, so the order of the cells does not matter), every other
 * ONS code as a former code, every other published name as an alias, and
 * `Name (code)` for authorities that share a name.
 *
 * @param cells - every cell
 * @param laIdsWithData - the local authorities kept in the panel (names are told apart among these only)
 * @param rankOf - the rank of a source file (higher is later)
 * @returns the areas by id, and notes
 * @example
 * ```ts
 * areaRegistry(dfeCellsFrom(sources).cells).byId.get('la:815')?.formerCodes; // ['E10000023']
 * ```
 */
export function areaRegistry(cells: readonly DfeCell[], laIdsWithData?: ReadonlySet<string>, rankOf: (source: string) => number = () => 0): AreaRegistry {
  interface Seen {
    level: Area['level'];
    oldCode?: string;
    latest: { year: number; rank: number; name: string; code?: string };
    names: Set<string>;
    codes: Map<string, number[]>;
  }
  const seen = new Map<string, Seen>();
  for (const c of cells) {
    const id = areaId(c.area);
    let s = seen.get(id);
    if (!s) {
      s = { level: c.area.level, latest: { year: -Infinity, rank: -Infinity, name: c.area.name }, names: new Set(), codes: new Map() };
      if (c.area.level === 'local_authority' && c.area.oldCode) s.oldCode = c.area.oldCode;
      seen.set(id, s);
    }
    s.names.add(c.area.name);
    if (c.area.code) {
      const ys = s.codes.get(c.area.code) ?? [];
      ys.push(c.year);
      s.codes.set(c.area.code, ys);
    }
    const rank = rankOf(c.source);
    const l = s.latest;
    if (c.year > l.year || (c.year === l.year && (rank > l.rank || (rank === l.rank && c.area.name < l.name)))) {
      s.latest = { year: c.year, rank, name: c.area.name, ...(c.area.code ? { code: c.area.code } : {}) };
    }
  }
  const codeNotes: string[] = [];
  const areas = new Map<string, DfePanelArea>();
  for (const [id, s] of [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let name = s.latest.name;
    let code = s.latest.code;
    if (s.level === 'national') name = 'England';
    if (s.level === 'region') {
      const known = ENGLISH_REGIONS.find((r) => `region:${r.code}` === id);
      if (known) {
        name = known.name;
        code = known.code;
      }
    }
    const formerCodes = [...s.codes].filter(([c]) => c !== code).sort((a, b) => Math.min(...a[1]) - Math.min(...b[1])).map(([c]) => c);
    if (s.level === 'local_authority' && formerCodes.length > 0 && code) {
      const parts = [...s.codes].sort((a, b) => Math.min(...a[1]) - Math.min(...b[1])).map(([c, ys]) => `${c} in ${yearRanges(ys)}`).join(', ');
      codeNotes.push(`${name} (${s.oldCode ?? '?'}): published under ONS code ${parts}; one series, joined on the DfE code ${s.oldCode ?? '?'}, with the latest ONS code ${code}.`);
    }
    const aliases = [...s.names].filter((n) => normaliseName(n) !== normaliseName(name)).sort();
    const area: DfePanelArea = {
      name,
      level: s.level,
      ...(code ? { code } : {}),
      ...(s.oldCode ? { oldCode: s.oldCode } : {}),
      ...(formerCodes.length > 0 ? { formerCodes } : {}),
      ...(aliases.length > 0 || formerCodes.length > 0 ? { aliases: [...aliases, ...formerCodes] } : {}),
    };
    areas.set(id, area);
  }
  const notes = codeNotes.sort();
  // An ONS code under two DfE codes would mean two authorities mixed up in a source.
  const byCode = new Map<string, string[]>();
  for (const [id, s] of [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) for (const c of s.codes.keys()) byCode.set(c, [...(byCode.get(c) ?? []), id]);
  for (const [c, ids] of byCode) if (ids.length > 1) notes.push(`ONS code ${c} is published for more than one area (${ids.join(', ')}); they are kept apart by their DfE codes.`);
  // Authorities sharing a name get their DfE code added.
  const kept = [...areas].sort(([, a], [, b]) => a.name.localeCompare(b.name, 'en') || (a.oldCode ?? '').localeCompare(b.oldCode ?? '')).filter(([id, a]) => a.level === 'local_authority' && (laIdsWithData === undefined || laIdsWithData.has(id)));
  const count = new Map<string, number>();
  for (const [, a] of kept) count.set(normaliseName(a.name), (count.get(normaliseName(a.name)) ?? 0) + 1);
  const renamed: string[] = [];
  for (const [id, a] of kept) {
    if ((count.get(normaliseName(a.name)) ?? 0) < 2) continue;
    const published = a.name;
    const name = `${published} (${a.oldCode ?? a.code ?? '?'})`;
    areas.set(id, { ...a, name, aliases: [published, ...(a.aliases ?? [])] });
    renamed.push(`"${name}"`);
  }
  if (renamed.length > 0) notes.push(`Authorities that share a name are told apart by their DfE code: ${renamed.join(', ')}; the name alone finds neither.`);
  const codes = new Set([...areas.values()].flatMap((a) => (a.oldCode ? [a.oldCode] : [])));
  for (const r of LA_REORGANISATIONS) if ([...r.from, ...r.to].some((c) => codes.has(c))) notes.push(r.text);
  return { byId: areas, notes };
}
