/**
 * The fixes' `decom` and `message` are formatted when read (issue 14, for
 * speed): what they read, and the data-quality report built from them, must
 * be exactly what the loader wrote when it formatted them as it made them.
 * The expected values below were written by that eager loader (main at
 * e1c1c1b) on the same input.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatEpisodeFix, readSsda903, type EpisodeFix, type OpenEpisodeRule } from '../../src/data/loaders/ssda903.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { formatQualityReport, qualityRecords, ssda903QualityReport } from '../../src/data/ssda903Quality.js';
import { toCsv } from '../../src/data/csvFormat.js';

const EP = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const HD = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';
const csv = (head: string, ...rows: string[]): string => [head, ...rows].join('\n') + '\n';
const header = ['A,1,01/01/2010,,,,', 'B,2,01/01/2012,,,,', 'C,1,01/06/2008,,,,', 'D,2,05/05/2002,,,,', 'E,1,01/01/2011,,,,', 'F,1,01/01/2009,,,,', 'G,2,01/01/2007,,,,'];
// every kind of fix: duplicate, replaced, conflict_same_return, open_closed_by_next,
// overlap_truncated, open_kept / open_closed (D, 18 on 5 May 2020), end_date_dropped,
// end_after_return, dob_conflict (B)
const RETURNS = [
  {
    year: 2020,
    sources: { episodes: 'ep2020.csv', header: 'hd2020.csv' },
    episodes: csv(
      EP,
      'A,01/05/2019,S,C2,N1,U4,PR1,,,,,,',
      'A,01/05/2019,S,C2,N1,U4,PR1,,,,,,',
      'C,01/04/2019,S,C2,N1,K2,PR4,01/03/2020,E8,,,,',
      'C,01/02/2020,P,C2,N1,U6,PR4,,,,,,',
      'D,01/09/2019,S,C2,N1,U4,PR1,,,,,,',
      'E,01/05/2019,S,C2,N1,U4,PR1,,,,,,',
      'E,01/08/2019,P,C2,N1,K2,PR4,,,,,,',
      'F,01/06/2019,S,C2,N1,U4,PR1,01/06/2020,E4A,,,,',
      'G,01/07/2019,S,C2,N1,U4,PR1,,,,,,',
      'G,01/07/2019,S,C2,N1,U5,PR1,,,,,,',
      'B,01/10/2019,S,C2,N1,U4,PR1,,,,,,',
    ),
    header: csv(HD, ...header),
  },
  {
    year: 2021,
    sources: { episodes: 'ep2021.csv', header: 'hd2021.csv' },
    episodes: csv(EP, 'A,01/05/2019,S,C2,N1,U4,PR1,15/06/2020,E4A,,,,', 'C,01/02/2020,P,C2,N1,U6,PR4,,,,,,', 'B,01/10/2019,S,C2,N1,U4,PR1,01/05/2021,E8,,,,', 'G,01/07/2019,S,C2,N1,U5,PR1,,,,,,'),
    header: csv(HD, ...header.map((h) => (h.startsWith('B,') ? 'B,2,02/01/2012,,,,' : h))),
  },
];

const everything = (rule: OpenEpisodeRule, data = readSsda903(RETURNS, { openNotInLaterReturn: rule })): string =>
  [JSON.stringify(data.fixes), data.fixes.map(formatEpisodeFix).join('\n'), formatQualityReport(ssda903QualityReport(data)), toCsv(qualityRecords(data))].join('\n');

const EXPECTED_KEEP: string[] = [
  "ep2020.csv:9 F 2019-06-01 end_after_return: DEC 2020-06-01 (REC E4A) is after the end of the return (31 March 2020), within a later return's year: kept (a later return's row for the episode would replace it)",
  "ep2021.csv:4 B 2019-10-01 end_date_dropped: DEC 2021-05-01 (REC E8) is after the end of the return (31 March 2021) and of the data: left out, so the episode is open at the end of the return",
  "hd2020.csv:3 B 2012-01-02 dob_conflict: date of birth 2012-01-01 (return 2020) replaced by 2012-01-02 from the later return 2021",
  "ep2020.csv:2 A 2019-05-01 duplicate: duplicate of ep2020.csv:3; one kept",
  "ep2020.csv:3 A 2019-05-01 replaced: 2019-05-01..open U4 replaced by the later return: 2019-05-01..2020-06-15 U4 E4A",
  "ep2020.csv:12 B 2019-10-01 duplicate: duplicate of ep2021.csv:4; one kept",
  "ep2020.csv:5 C 2020-02-01 duplicate: duplicate of ep2021.csv:3; one kept",
  "ep2020.csv:10 G 2019-07-01 conflict_same_return: 2019-07-01..open U4 replaced by the later row: 2019-07-01..open U5",
  "ep2020.csv:11 G 2019-07-01 duplicate: duplicate of ep2021.csv:5; one kept",
  "ep2020.csv:4 C 2019-04-01 overlap_truncated: 2019-04-01..2020-03-01 K2 E8 overlaps: the next episode starts 2020-02-01; now ends 2020-02-01 X1",
  "ep2020.csv:6 D 2019-09-01 open_kept: 2019-09-01..open U4 is open at the end of the 2020 return but in no later return; kept open (still looked after), to the 18th birthday 2020-05-05, when care ends",
  "ep2020.csv:7 E 2019-05-01 open_closed_by_next: 2019-05-01..open U4 is open but the next episode starts 2019-08-01; now ends 2019-08-01 X1",
  "ep2020.csv:8 E 2019-08-01 open_kept: 2019-08-01..open K2 is open at the end of the 2020 return but in no later return; kept open (still looked after)"
];
const EXPECTED_CLOSED: string[] = [
  "ep2020.csv:6 D 2019-09-01 open_closed: 2019-09-01..open U4 is open at the end of the 2020 return but in no later return; closed: now ends 2020-04-01 (reason unknown)",
  "ep2020.csv:8 E 2019-08-01 open_closed: 2019-08-01..open K2 is open at the end of the 2020 return but in no later return; closed: now ends 2020-04-01 (reason unknown)"
];
const FIXTURE_SHA256: Record<OpenEpisodeRule, string> = {"keep":"8f276dd8b99c3ee53f68df79f91458603e2333ffa94a59ba189fe34124142720","close":"5c89df00f21882e85a94283d8489bd595d1af6751e95452d3886a21cb2d581ee"};
const CRAFTED_SHA256: Record<OpenEpisodeRule, string> = {"keep":"a1435bf06464f99b588285f6c18ef863e0a4a1058a263061e3d0b3935292a70f","close":"be7d27e0118f432494e850c9845a677bdda63b238e145e534e0ea9e7af3c90f9"};

describe('fixes formatted when read', () => {
  it('read exactly as the eager loader wrote them, every kind', () => {
    expect(readSsda903(RETURNS).fixes.map(formatEpisodeFix)).toEqual(EXPECTED_KEEP);
    expect(readSsda903(RETURNS, { openNotInLaterReturn: 'close' }).fixes.map(formatEpisodeFix).filter((l) => l.includes(' open_closed:'))).toEqual(EXPECTED_CLOSED);
  });

  it('read as plain data: JSON gives every field in order, the getters the same values', () => {
    const f = readSsda903(RETURNS).fixes.find((x) => x.kind === 'replaced') as EpisodeFix;
    expect(Object.keys(JSON.parse(JSON.stringify(f)))).toEqual(['kind', 'child', 'decom', 'source', 'row', 'other', 'message']);
    expect({ kind: f.kind, child: f.child, decom: f.decom, source: f.source, row: f.row, other: f.other, message: f.message }).toEqual(JSON.parse(JSON.stringify(f)));
    expect(JSON.parse(JSON.stringify(f)).decom).toBe(f.decom);
  });

  it('the report, records and JSON of the fixture returns are byte for byte those of the eager loader', () => {
    const dir = fileURLToPath(new URL('../fixtures/ssda903', import.meta.url));
    for (const [rule, sha] of Object.entries(FIXTURE_SHA256) as [OpenEpisodeRule, string][]) {
      const text = everything(rule, loadSsda903Folder(dir, { openNotInLaterReturn: rule }));
      expect(createHash('sha256').update(text).digest('hex')).toBe(sha);
    }
    for (const [rule, sha] of Object.entries(CRAFTED_SHA256) as [OpenEpisodeRule, string][]) {
      expect(createHash('sha256').update(everything(rule)).digest('hex')).toBe(sha);
    }
  });
});
