/** The data-quality report of SSDA903 returns: every repair by kind with counts and examples, every row left out. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSsda903 } from '../../src/data/loaders/ssda903.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { formatQualityReport, qualityRecords, REPAIR_GROUPS, REPAIR_KINDS, ssda903QualityReport } from '../../src/data/ssda903Quality.js';
import { toCsv } from '../../src/data/csvFormat.js';

const EP = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const HD = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';
const csv = (head: string, ...rows: string[]): string => [head, ...rows].join('\n') + '\n';
const header = csv(HD, 'A,1,01/01/2010,,,,', 'B,2,01/01/2012,,,,', 'C,1,01/06/2008,,,,', 'D,2,05/05/2006,,,,');
const r2020 = {
  year: 2020,
  sources: { episodes: 'ep2020.csv', header: 'hd2020.csv' },
  episodes: csv(
    EP,
    'A,01/05/2019,S,C2,N1,U4,PR1,,,,,,', // replaced by 2021
    'A,01/05/2019,S,C2,N1,U4,PR1,,,,,,', // duplicate
    'C,01/04/2019,S,C2,N1,K2,PR4,01/03/2020,E8,,,,', // overlap truncated
    'C,01/02/2020,P,C2,N1,U6,PR4,,,,,,',
    'D,01/09/2019,S,C2,N1,U4,PR1,,,,,,', // kept open
    'X,01/09/2019,S,C2,N1,U4,PR1,,,,,,', // not in the header: left out (lenient)
    'B,01/10/2019,S,C2,N1,ZZ,PR1,,,,,,', // unknown placement: left out (lenient)
  ),
  header,
};
const r2021 = {
  year: 2021,
  sources: { episodes: 'ep2021.csv', header: 'hd2021.csv' },
  episodes: csv(EP, 'A,01/05/2019,S,C2,N1,U4,PR1,15/06/2020,E4A,,,,', 'C,01/02/2020,P,C2,N1,U6,PR4,,,,,,'),
  header,
};

describe('ssda903QualityReport', () => {
  const data = readSsda903([r2020, r2021], { lenient: true });
  const q = ssda903QualityReport(data, { examples: 1 });

  it('counts every kind (zeros included), groups them, and lists every row left out', () => {
    expect(q.repairs.map((r) => r.kind).sort()).toEqual(Object.keys(REPAIR_KINDS).sort());
    const count = Object.fromEntries(q.repairs.map((r) => [r.kind, r.count]));
    // A: one exact duplicate (ep2020 rows 2 and 3) and replaced by 2021; C's 2020 episode repeated in 2021 (duplicate)
    expect(count).toMatchObject({ duplicate: 2, replaced: 1, overlap_truncated: 1, open_kept: 1, open_closed: 0, end_after_return: 0 });
    expect(q.byGroup).toEqual({ values_replaced: 1, overlaps_truncated: 1, open_episodes: 1, duplicates_dropped: 2, dates_flagged: 0 });
    expect(REPAIR_GROUPS.reduce((s, g) => s + q.byGroup[g], 0)).toBe(q.totalRepairs);
    expect(q.totalRepairs).toBe(data.fixes.length);
    expect(q.rowsLeftOut.map((p) => [p.source, p.row, p.field])).toEqual([
      ['ep2020.csv', 8, 'PLACE'],
      ['ep2020.csv', 7, 'CHILD'],
    ]);
    expect(q).toMatchObject({ rowsRead: 9, episodes: 4, children: 3, openNotInLaterReturn: 'keep' });
    const kept = q.repairs.find((r) => r.kind === 'open_kept');
    expect(kept?.examples.map((f) => [f.source, f.row, f.child])).toEqual([['ep2020.csv', 6, 'D']]);
    expect(q.repairs.find((r) => r.kind === 'duplicate')?.examples).toHaveLength(1);
  });

  it('as text: a line per group and kind with examples of file and row, and every row left out', () => {
    const text = formatQualityReport(q);
    expect(text.split('\n')[0]).toBe('Data quality: 2 SSDA903 returns (2020-2021), 9 episode rows read; 4 episodes of 3 children after cleaning; 5 repairs');
    expect(text).toContain('- open episodes missing from later returns: 1 (rule: kept open; --open-episodes close closes them)');
    expect(text).toContain('    ep2020.csv:6 D 2019-09-01: 2019-09-01..open U4 is open at the end of the 2020 return but in no later return; kept open (still looked after)');
    expect(text).toContain('- rows left out (--lenient): 2\n    ep2020.csv:8 [PLACE]: unknown placement code \'ZZ\'\n    ep2020.csv:7 [CHILD]: child \'X\' is in no header file, so the date of birth is unknown');
    expect(text).toContain('- dates flagged: 0');
  });

  it('records: every repair and row left out, one CSV row each', () => {
    const recs = qualityRecords(data);
    expect(recs).toHaveLength(data.fixes.length + data.rejected.length);
    expect(recs.find((r) => r.kind === 'overlap_truncated')).toEqual({
      area: 'SSDA903',
      group: 'overlaps_truncated',
      kind: 'overlap_truncated',
      source: 'ep2020.csv',
      row: 4,
      child: 'C',
      decom: '2019-04-01',
      field: '',
      message: '2019-04-01..2020-03-01 K2 E8 overlaps: the next episode starts 2020-02-01; now ends 2020-02-01 X1',
      other: 'ep2021.csv:3',
    });
    expect(recs.at(-1)).toMatchObject({ group: 'rows_left_out', kind: 'row_left_out', source: 'ep2020.csv', row: 7, field: 'CHILD' });
    expect(toCsv(recs).split('\r\n')[0]).toBe('area,group,kind,source,row,child,decom,field,message,other');
  });

  it('the closing rule is reported as such', () => {
    const closing = ssda903QualityReport(readSsda903([r2020, r2021], { lenient: true, openNotInLaterReturn: 'close' }));
    expect(closing.openNotInLaterReturn).toBe('close');
    expect(closing.repairs.find((r) => r.kind === 'open_closed')?.count).toBe(1);
    expect(formatQualityReport(closing)).toContain('(rule: closed on 1 April after the return)');
  });

  it('on the fixture returns: every kind the full sample needs', () => {
    const fx = ssda903QualityReport(loadSsda903Folder(fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url))));
    expect(fx.byGroup).toEqual({ values_replaced: 124, overlaps_truncated: 7, open_episodes: 1, duplicates_dropped: 0, dates_flagged: 1 });
    expect(fx.rowsLeftOut).toEqual([]);
  });
});
