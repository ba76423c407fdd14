/**
 * The data-quality report of a load of SSDA903 returns: every repair the
 * loader made, by kind, with counts and examples of file and row, and every
 * row left out (with `lenient`), so that a data team can see and check what
 * was changed before trusting a projection made from the episodes.
 *
 * @module
 */
import type { InputProblem } from './errors.js';
import type { EpisodeFix, EpisodeFixKind, OpenEpisodeRule, Ssda903Data } from './loaders/ssda903.js';

/** The groups repairs are reported in. */
export const REPAIR_GROUPS = ['values_replaced', 'overlaps_truncated', 'open_episodes', 'duplicates_dropped', 'dates_flagged'] as const;

/** A group of repairs: values replaced, overlaps truncated, open episodes kept open or closed, duplicates dropped, dates flagged. */
export type RepairGroup = (typeof REPAIR_GROUPS)[number];

/** Each kind of repair: its group and what it does, in words. */
export const REPAIR_KINDS: Readonly<Record<EpisodeFixKind, { readonly group: RepairGroup; readonly description: string }>> = {
  replaced: { group: 'values_replaced', description: 'the same episode (CHILD and DECOM) in a later return with different fields: the later return\u2019s row kept' },
  conflict_same_return: { group: 'values_replaced', description: 'the same episode twice in one return with different fields: the later row kept' },
  dob_conflict: { group: 'values_replaced', description: 'a date of birth that differs between header files: the latest return\u2019s kept' },
  overlap_truncated: { group: 'overlaps_truncated', description: 'an episode ending after the child\u2019s next episode starts: cut at that start' },
  open_closed_by_next: { group: 'overlaps_truncated', description: 'an open episode followed by a later episode of the child: ended where the next starts' },
  open_kept: { group: 'open_episodes', description: 'open at the end of its return, the child in no later return: kept open (still looked after; to the 18th birthday at most)' },
  open_closed: { group: 'open_episodes', description: 'open at the end of its return, the child in no later return: closed on 1 April after the return (an exit, reason unknown)' },
  duplicate: { group: 'duplicates_dropped', description: 'the same episode twice with the same fields: one row kept' },
  end_after_return: { group: 'dates_flagged', description: 'an end date after its return\u2019s 31 March, within a later return\u2019s year: kept' },
  end_date_dropped: { group: 'dates_flagged', description: 'an end date after the last return\u2019s 31 March or after today: left out (open at the end of its return)' },
};

const KIND_ORDER: readonly EpisodeFixKind[] = (Object.keys(REPAIR_KINDS) as EpisodeFixKind[]).sort(
  (a, b) => REPAIR_GROUPS.indexOf(REPAIR_KINDS[a].group) - REPAIR_GROUPS.indexOf(REPAIR_KINDS[b].group),
);

/** One kind of repair in a {@link Ssda903QualityReport}. */
export interface RepairKindSummary {
  /** The kind of fix. */
  readonly kind: EpisodeFixKind;
  /** Its group. */
  readonly group: RepairGroup;
  /** What it does, in words. */
  readonly description: string;
  /** How many were made. */
  readonly count: number;
  /** The first few, each with its file and row (all of them are in `data.fixes`). */
  readonly examples: readonly EpisodeFix[];
}

/** What a load of SSDA903 returns changed and left out. */
export interface Ssda903QualityReport {
  /** Area name. */
  readonly area: string;
  /** The returns: year (31 March), episodes file, rows read, whether the year was inferred. */
  readonly returns: readonly { readonly year: number; readonly source: string; readonly rows: number; readonly inferred: boolean }[];
  /** Episode rows read over all returns. */
  readonly rowsRead: number;
  /** Episodes after cleaning. */
  readonly episodes: number;
  /** Children with episodes after cleaning. */
  readonly children: number;
  /** The rule for episodes open at the end of their return and missing from later returns. */
  readonly openNotInLaterReturn: OpenEpisodeRule;
  /** Every kind of repair, grouped, zero counts included. */
  readonly repairs: readonly RepairKindSummary[];
  /** Repairs per group. */
  readonly byGroup: Readonly<Record<RepairGroup, number>>;
  /** All repairs. */
  readonly totalRepairs: number;
  /** Every row left out (only with `lenient`; otherwise the load failed listing them), each with file, row, field, message and fix. */
  readonly rowsLeftOut: readonly InputProblem[];
  /** The loader's notes (years inferred, no header files, ...). */
  readonly notes: readonly string[];
}

/**
 * The data-quality report of cleaned SSDA903 data: every kind of repair with
 * its count and the first few examples (file, row, child, what was done),
 * counts per group, and every row left out by `lenient`.
 *
 * @param data - the cleaned data ({@link "carecast/data"!readSsda903}, `loadSsda903Folder`)
 * @param options - `examples`: how many examples per kind (default 3)
 * @returns the report
 * @example
 * ```ts
 * const data = loadSsda903Folder('returns/', { lenient: true });
 * const q = ssda903QualityReport(data);
 * q.byGroup.open_episodes;      // episodes kept open (or closed, with the closing rule)
 * q.rowsLeftOut.length;         // rows left out by lenient, each with file and row
 * console.log(formatQualityReport(q));
 * ```
 */
export function ssda903QualityReport(data: Ssda903Data, options: { readonly examples?: number } = {}): Ssda903QualityReport {
  const nEx = options.examples ?? 3;
  const counts = new Map<EpisodeFixKind, number>();
  const examples = new Map<EpisodeFixKind, EpisodeFix[]>();
  for (const f of data.fixes) {
    counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    let ex = examples.get(f.kind);
    if (!ex) examples.set(f.kind, (ex = []));
    if (ex.length < nEx) ex.push(f);
  }
  const repairs = KIND_ORDER.map((kind) => ({ kind, ...REPAIR_KINDS[kind], count: counts.get(kind) ?? 0, examples: examples.get(kind) ?? [] }));
  const byGroup = Object.fromEntries(REPAIR_GROUPS.map((g) => [g, repairs.filter((r) => r.group === g).reduce((s, r) => s + r.count, 0)])) as Record<RepairGroup, number>;
  return {
    area: data.area,
    returns: data.returns.map((r) => ({ year: r.year, source: r.source, rows: r.rows, inferred: r.inferred })),
    rowsRead: data.returns.reduce((s, r) => s + r.rows, 0),
    episodes: data.episodes.length,
    children: new Set(data.episodes.map((e) => e.child)).size,
    openNotInLaterReturn: data.openNotInLaterReturn,
    repairs,
    byGroup,
    totalRepairs: data.fixes.length,
    rowsLeftOut: data.rejected,
    notes: data.notes,
  };
}

const GROUP_LABEL: Record<RepairGroup, string> = {
  values_replaced: 'values replaced',
  overlaps_truncated: 'overlaps truncated',
  open_episodes: 'open episodes missing from later returns',
  duplicates_dropped: 'duplicates dropped',
  dates_flagged: 'dates flagged',
};

const where = (p: InputProblem): string => `${p.source}${p.row !== undefined ? `:${p.row}` : ''}${p.field ? ` [${p.field}]` : ''}`;

/**
 * The report as text: one line per group with its count, one per kind with
 * what it does and its examples (file:row child DECOM: what was done), and
 * every row left out, in full.
 *
 * @param report - the report
 * @returns the lines, joined with line breaks
 * @example
 * ```ts
 * console.log(formatQualityReport(ssda903QualityReport(data)));
 * // Data quality: 5 SSDA903 returns (2018-2022), 3,736 episode rows read; 1,985 episodes of 820 children after cleaning; 977 repairs
 * // - values replaced: 910
 * //   - replaced 910: the same episode (CHILD and DECOM) in a later return with different fields: ... e.g.
 * //     2017-episodes.csv:4 296227 2017-09-13: 2017-09-13..open U4 replaced by the later return: ...
 * ```
 */
export function formatQualityReport(report: Ssda903QualityReport): string {
  const n = (v: number): string => v.toLocaleString('en-GB');
  const years = report.returns.map((r) => r.year);
  const lines = [
    `Data quality: ${report.returns.length} SSDA903 return${report.returns.length === 1 ? '' : 's'} (${years[0]}${years.length > 1 ? `-${years[years.length - 1]}` : ''}), ${n(report.rowsRead)} episode rows read; ${n(report.episodes)} episodes of ${n(report.children)} children after cleaning; ${n(report.totalRepairs)} repairs`,
  ];
  for (const g of REPAIR_GROUPS) {
    const extra = g === 'open_episodes' ? ` (rule: ${report.openNotInLaterReturn === 'keep' ? 'kept open; --open-episodes close closes them' : 'closed on 1 April after the return'})` : '';
    lines.push(`- ${GROUP_LABEL[g]}: ${n(report.byGroup[g])}${extra}`);
    for (const r of report.repairs) {
      if (r.group !== g || r.count === 0) continue;
      lines.push(`  - ${r.kind} ${n(r.count)}: ${r.description}; e.g.`);
      for (const f of r.examples) lines.push(`    ${f.source}:${f.row} ${f.child} ${f.decom}: ${f.message}`);
    }
  }
  lines.push(`- rows left out (--lenient): ${n(report.rowsLeftOut.length)}`);
  for (const p of report.rowsLeftOut) lines.push(`    ${where(p)}: ${p.message}`);
  return lines.join('\n');
}

/** One repair or row left out, as a flat record (one CSV row). */
export interface QualityRecord {
  /** Area name. */
  readonly area: string;
  /** The repair group, or `rows_left_out`. */
  readonly group: RepairGroup | 'rows_left_out';
  /** The kind of repair, or `row_left_out`. */
  readonly kind: EpisodeFixKind | 'row_left_out';
  /** The file. */
  readonly source: string;
  /** The row in the file, when known. */
  readonly row: number | null;
  /** The child, when known. */
  readonly child: string;
  /** The episode's DECOM (ISO), when known. */
  readonly decom: string;
  /** The field, for rows left out. */
  readonly field: string;
  /** What was done or found. */
  readonly message: string;
  /** The row the repair was resolved against (`file:row`), if any. */
  readonly other: string;
}

/**
 * Every repair and every row left out, one record each, for a CSV file or
 * a DataFrame (all of them, not the report's examples).
 *
 * @param data - the cleaned data
 * @returns the records: repairs in the order made, then the rows left out
 * @example
 * ```ts
 * writeFileSync('data-quality.csv', toCsv(qualityRecords(data)));
 * ```
 */
export function qualityRecords(data: Ssda903Data): QualityRecord[] {
  const out: QualityRecord[] = data.fixes.map((f) => ({
    area: data.area,
    group: REPAIR_KINDS[f.kind].group,
    kind: f.kind,
    source: f.source,
    row: f.row,
    child: f.child,
    decom: f.decom,
    field: '',
    message: f.message,
    other: f.other ? `${f.other.source}:${f.other.row}` : '',
  }));
  for (const p of data.rejected) {
    out.push({ area: data.area, group: 'rows_left_out', kind: 'row_left_out', source: p.source, row: p.row ?? null, child: '', decom: '', field: p.field ?? '', message: p.fix ? `${p.message}. Fix: ${p.fix}` : p.message, other: '' });
  }
  return out;
}
