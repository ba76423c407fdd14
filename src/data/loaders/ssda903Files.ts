/**
 * SSDA903 returns from a set of named files: the files a user picks or
 * drops in a browser, or the files of a folder on disk. Files are grouped
 * into returns by their names (a year and `episodes`, `header` or `uasc`,
 * e.g. `2019-episodes.csv`, `header_2019.csv`), then read by
 * {@link readSsda903}. The grouping is the same for both doors
 * (`loadSsda903Folder` reads a folder with it), so the same files give the
 * same data.
 *
 * Nothing here touches the file system.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';
import { readSsda903, type Ssda903Data, type Ssda903Options, type Ssda903ReturnText } from './ssda903.js';
import { decodeText, type TextInput } from './textInput.js';

/** The part of a yearly return a file holds. */
export type Ssda903FileKind = 'episodes' | 'header' | 'uasc';

/** The files of one yearly return, by kind (each a file name). */
export interface Ssda903FileGroup {
  /** The year written in the file names (it only groups them: the return's year is read from its dates). */
  readonly year: string;
  /** The episodes file. */
  readonly episodes?: string;
  /** The header file. */
  readonly header?: string;
  /** The UASC file. */
  readonly uasc?: string;
}

/** How a list of file names was grouped into returns. */
export interface Ssda903FileGrouping {
  /** One group per year written in the names, in year order (groups without an episodes file included). */
  readonly groups: readonly Ssda903FileGroup[];
  /** Names that are not an SSDA903 CSV file with a year and a kind in the name. */
  readonly ignored: readonly string[];
}

/**
 * Group file names into yearly SSDA903 returns: a `.csv` name with a year
 * (four digits) and `episodes`, `header` or `uasc` (any case) belongs to
 * that year's return; other names are ignored. When two names give the
 * same year and kind, the later name in sort order is used.
 *
 * @param names - file names (without folders)
 * @returns the groups in year order, and the names ignored
 * @example
 * ```ts
 * groupSsda903Files(['2019-episodes.csv', 'header_2019.csv', 'notes.txt']);
 * // { groups: [{ year: '2019', episodes: '2019-episodes.csv', header: 'header_2019.csv' }], ignored: ['notes.txt'] }
 * ```
 */
export function groupSsda903Files(names: readonly string[]): Ssda903FileGrouping {
  const groups = new Map<string, { year: string; episodes?: string; header?: string; uasc?: string }>();
  const ignored: string[] = [];
  for (const f of [...names].sort()) {
    const year = /\.csv$/i.test(f) ? /(\d{4})/.exec(f)?.[1] : undefined;
    const kind: Ssda903FileKind | undefined = /episodes/i.test(f) ? 'episodes' : /header/i.test(f) ? 'header' : /uasc/i.test(f) ? 'uasc' : undefined;
    if (!year || !kind) {
      ignored.push(f);
      continue;
    }
    const g = groups.get(year) ?? { year };
    g[kind] = f;
    groups.set(year, g);
  }
  return { groups: [...groups.values()].sort((a, b) => a.year.localeCompare(b.year)), ignored };
}

/**
 * The returns of a grouping, ready for {@link readSsda903}: one per group
 * with an episodes file, each file's content got by name.
 *
 * @param grouping - from {@link groupSsda903Files}
 * @param content - the content of a file, by name
 * @param where - what the files are, for the message when there is no episodes file (a folder's path, or `the files given`)
 * @returns the returns, oldest year first
 * @throws CarecastInputError when no group has an episodes file
 * @example
 * ```ts
 * const returns = ssda903Returns(groupSsda903Files(names), (name) => texts.get(name) ?? '', 'the files given');
 * readSsda903(returns);
 * ```
 */
export function ssda903Returns(grouping: Ssda903FileGrouping, content: (name: string) => TextInput, where: string): Ssda903ReturnText[] {
  const returns: Ssda903ReturnText[] = [];
  for (const g of grouping.groups) {
    if (!g.episodes) continue;
    returns.push({
      episodes: content(g.episodes),
      header: g.header ? content(g.header) : undefined,
      uasc: g.uasc ? content(g.uasc) : undefined,
      sources: { episodes: g.episodes, header: g.header, uasc: g.uasc },
    });
  }
  if (returns.length === 0) {
    throw new CarecastInputError([{ source: where, message: 'no episodes files (names with a year and "episodes", ending .csv)', fix: 'name the files like 2021-episodes.csv, 2021-header.csv, 2021-uasc.csv' }]);
  }
  return returns;
}

/** A file given by name and content: a browser `File`, or any name with text, bytes or a `Blob`. */
export type Ssda903FileInput = (Blob & { readonly name: string }) | { readonly name: string; readonly content: TextInput | Blob };

/**
 * Read SSDA903 returns from files picked or dropped in a browser (or any
 * named texts): the files are grouped into returns by name, as a folder is
 * by `loadSsda903Folder` (a year and `episodes`, `header` or `uasc` in the
 * name, ending `.csv`), then read, checked and cleaned by
 * {@link readSsda903}. Files whose names do not fit are left out and
 * listed in the result's `notes`.
 *
 * @param files - `File` objects (from an `<input type="file" multiple>` or a drop), or `{ name, content }` with text, bytes or a `Blob`
 * @param options - `lenient`, `area`
 * @returns the cleaned data, as {@link readSsda903}
 * @throws CarecastInputError when no file is an episodes file, two files have the same name, or any row is bad (unless `lenient`)
 * @example
 * ```ts
 * input.addEventListener('change', async () => {
 *   const data = await readSsda903Files([...input.files], { lenient: true });
 *   const { dataset } = deriveAnnualDataset(data);
 * });
 * ```
 */
export async function readSsda903Files(files: readonly Ssda903FileInput[], options: Ssda903Options = {}): Promise<Ssda903Data> {
  const byName = new Map<string, TextInput>();
  for (const f of files) {
    if (byName.has(f.name)) {
      throw new CarecastInputError([{ source: f.name, message: 'two files have this name', fix: 'give each file once' }]);
    }
    const content = 'content' in f ? f.content : f;
    byName.set(f.name, isBlob(content) ? decodeText(await content.arrayBuffer()) : content);
  }
  const grouping = groupSsda903Files([...byName.keys()]);
  const data = readSsda903(
    ssda903Returns(grouping, (name) => byName.get(name) ?? '', 'the files given'),
    options,
  );
  const unused = [...grouping.ignored, ...grouping.groups.filter((g) => !g.episodes).flatMap((g) => [g.header, g.uasc].filter((n): n is string => n !== undefined))];
  if (unused.length === 0) return data;
  return { ...data, notes: [...data.notes, `not read (not an SSDA903 episodes, header or UASC CSV with a year in its name, or no episodes file for its year): ${unused.join(', ')}`] };
}

function isBlob(x: unknown): x is Blob {
  return typeof Blob !== 'undefined' && x instanceof Blob;
}
