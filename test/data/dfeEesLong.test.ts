import { describe, expect, it } from 'vitest';
import { DFE_CEASED_REASONS, dfeEesLongDataset, readDfeEesLong } from '../../src/data/loaders/dfeEesLong.js';
import { loadDfeEesLong } from '../../src/data/loaders/dfeFiles.js';
import { DatasetSchema, type Dataset } from '../../src/data/schemas.js';
import { EES_FIXTURES, fixtureText } from '../helpers/fixtures.js';
import { errorOf } from '../helpers/inputError.js';

// Fixtures cut from the 2024 publication files (test/fixtures/dfe/FIXTURES.md): England, East Midlands,
// Derby, Derbyshire, City of London, Dorset (838) and Cumberland, 2022-2024, the groups the panel reads, and every group for Derby 2024.
const CH = 'la_cla_on_31_march_by_characteristics_2020_2024.csv';
const ST = 'la_children_who_started_to_be_looked_after_during_the_year_2020_2024.csv';
const CE = 'la_children_who_ceased_during_the_year_2020_2024.csv';
const chText = fixtureText(`${EES_FIXTURES}${CH}`);
const stText = fixtureText(`${EES_FIXTURES}${ST}`);
const ceText = fixtureText(`${EES_FIXTURES}${CE}`);
const ch = readDfeEesLong(chText, CH);
const st = readDfeEesLong(stText, ST);
const ce = readDfeEesLong(ceText, CE);

const at = (ds: Dataset, breakdown: Record<string, string>, year: number) =>
  ds.series.find((s) => JSON.stringify(s.breakdown) === JSON.stringify(breakdown))?.points.find((p) => p.year === year);
const v = (ds: Dataset, breakdown: Record<string, string>, year: number) => {
  const p = at(ds, breakdown, year);
  return p?.value ?? p?.suppressed?.marker;
};

describe('readDfeEesLong: what each file counts, and its groups read on meaning', () => {
  it('tells the three files apart from their groups', () => {
    expect([ch.measure, st.measure, ce.measure]).toEqual(['children_in_care', 'started', 'ceased']);
    expect([ch.kind, st.kind, ce.kind]).toEqual(['snapshot', 'flow', 'flow']);
    expect(ch.years).toEqual([2022, 2023, 2024]);
    expect(ch.areas.map((a) => a.name)).toEqual(['England', 'East Midlands', 'Cumberland', 'Derby', 'Derbyshire', 'Dorset', 'City of London']);
  });

  it('maps every group of the 31 March file to a dimension and every characteristic to a category', () => {
    const groups = Object.fromEntries(ch.groups.map((g) => [g.label, `${g.dimension}: ${[...g.categories].sort().join(' ')}`]));
    expect(groups).toEqual({
      'Age group': 'age: 10_15 16_plus 1_4 5_9 total under_1',
      'Category of need': 'need: absent_parenting abuse_or_neglect child_disability family_dysfunction family_in_acute_stress low_income parental_illness_or_disability socially_unacceptable_behaviour total',
      'Distance between home and placement': 'distance: not_known over_20_miles total within_20_miles',
      'Distance between home and placement and locality of placement':
        'distanceLocality: inside_boundary_not_known inside_boundary_over_20_miles inside_boundary_within_20_miles outside_boundary_not_known outside_boundary_over_20_miles outside_boundary_within_20_miles total',
      Ethnicity: 'ethnicity: asian black mixed not_known other total white',
      Gender: 'gender: female male total',
      'LA of placement': 'laOfPlacement: other_la_children own_la_children total',
      'Legal status': 'legalStatus: detained_child_protection full_care_order interim_care_order placement_order section_20 total youth_justice',
      'Locality of placement': 'location: inside_boundary outside_boundary total',
      'Place providers': 'dfeProvider: not_reported other_la other_public own_la parents private total voluntary',
      Placement: 'dfePlacement: adoption fostering independent_supported other_placements other_residential parents residential_schools secure_childrens_homes total',
      'Unaccompanied asylum-seeking children': 'uasc: not_uasc total uasc',
    });
  });

  it('reads the starters and leavers labels that differ from the 31 March file (N4, legal status, long UASC labels)', () => {
    const need = st.groups.find((g) => g.dimension === 'need')!;
    expect(need.categories).toContain('family_in_acute_stress'); // "N4. Family acute stress" here, "N4. Family in acute stress" at 31 March
    expect(st.rows.find((r) => r.category === 'family_in_acute_stress')?.characteristic).toBe('N4. Family acute stress');
    expect(st.groups.find((g) => g.dimension === 'uasc')?.categories.slice().sort()).toEqual(['not_uasc', 'total', 'uasc']);
    expect(st.groups.find((g) => g.dimension === 'legalStatus')?.categories).toEqual(
      expect.arrayContaining(['section_20', 'interim_care_order', 'police_protection', 'emergency_protection_order', 'remand', 'pace', 'youth_rehabilitation_order', 'child_assessment_order']),
    );
    expect(st.groups.find((g) => g.dimension === 'takenIntoCare')?.categories.slice().sort()).toEqual(['not_taken', 'taken', 'total']);
    expect(ce.groups.find((g) => g.dimension === 'reason')?.categories.slice().sort()).toEqual([...DFE_CEASED_REASONS.map((r) => r.reason), 'total'].sort());
    expect(ce.groups.find((g) => g.dimension === 'ceasedAge')?.categories.slice().sort()).toEqual(['10_15', '16', '17', '18_plus', '1_4', '5_9', 'total', 'under_1']);
  });
});

describe('dfeEesLongDataset: Derby 2024', () => {
  it('placement and providers as published, with file and line; suppressed cells null with their marker', () => {
    const d = dfeEesLongDataset(ch, 'Derby');
    expect(v(d, {}, 2024)).toBe(598);
    expect(v(d, { dfePlacement: 'fostering' }, 2024)).toBe(426);
    expect(v(d, { dfePlacement: 'secure_childrens_homes' }, 2024)).toBe(61);
    expect(v(d, { dfePlacement: 'independent_supported' }, 2024)).toBe(45);
    expect(at(d, { dfePlacement: 'other_residential' }, 2024)).toMatchObject({ value: null, suppressed: { marker: 'c' }, provenance: { source: CH, cell: 'number' } });
    expect(v(d, { dfeProvider: 'own_la' }, 2024)).toBe(176);
    expect(v(d, { dfeProvider: 'private' }, 2024)).toBe(319);
    expect(v(d, { age: '16_plus' }, 2024)).toBe(150);
    expect(v(d, { uasc: 'uasc' }, 2024)).toBe(48);
    expect(v(d, { gender: 'female' }, 2024)).toBe(268);
    expect(v(d, { legalStatus: 'section_20' }, 2024)).toBe(98);
    const line = at(d, { dfePlacement: 'fostering' }, 2024)!.provenance!.line!;
    expect(chText.split('\n')[line - 1]).toMatch(/,Derby,E06000015,Placement,Foster placements,426,71$/);
    expect(DatasetSchema.safeParse(d).success).toBe(true);
    expect(d.notes.join(' ')).toMatch(/LA of placement counts children placed inside the LA boundary by any LA/);
  });

  it('starters and leavers', () => {
    const s = dfeEesLongDataset(st, 'Derby');
    expect(s.series[0]).toMatchObject({ measure: 'started', kind: 'flow', breakdown: {} });
    expect([v(s, {}, 2024), v(s, { age: 'under_1' }, 2024), v(s, { uasc: 'uasc' }, 2024), v(s, { takenIntoCare: 'taken' }, 2024)]).toEqual([233, 48, 35, 122]);
    const c = dfeEesLongDataset(ce, 'Derby');
    expect([v(c, {}, 2024), v(c, { reason: 'adopted' }, 2024), v(c, { reason: 'special_guardianship_order' }, 2024), v(c, { ceasedAge: '18_plus' }, 2024), v(c, { ceasedAge: '16' }, 2024)]).toEqual([260, 29, 30, 70, 'c']);
  });

  it('percentages are read, k (below 0.5%, not zero) as a marker', () => {
    const k = ce.rows.find((r) => r.percentage?.suppressed?.marker === 'k');
    expect(k).toBeDefined();
    expect(k!.number.value).toBeGreaterThan(0);
  });
});

describe('validation', () => {
  const HEAD = 'time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code,cla_group,characteristic,number,percentage';
  const r = (group: string, ch: string, n: string) => `2024,Reporting year,Local authority,E92000001,England,E12000004,East Midlands,831,Derby,E06000015,${group},${ch},${n},1`;

  it('Sex reads as Gender, bracketed markers as markers', () => {
    const t = readDfeEesLong([HEAD, r('Placement', 'Foster placements', '[c]'), r('Sex', 'Female', '10'), r('Sex', 'Male', '[low]')].join('\n'), 'x.csv');
    expect(t.groups.map((g) => g.dimension)).toEqual(['dfePlacement', 'gender']);
    expect(t.rows[0].number).toEqual({ value: null, suppressed: { marker: 'c' } });
    expect(t.rows[2].number).toEqual({ value: null, suppressed: { marker: 'low' } });
  });

  it('an unknown characteristic in a group the panel groups is an error naming the line; elsewhere it keeps its label', () => {
    const err = errorOf(() => readDfeEesLong([HEAD, r('Placement', 'Foster placements', '5'), r('Placement', 'Placed on the moon', '1')].join('\n'), 'x.csv'));
    expect(err.problems[0]).toMatchObject({ source: 'x.csv', row: 3, field: 'characteristic' });
    expect(err.problems[0].message).toContain('"Placed on the moon"');
    expect(err.problems[0].fix).toMatch(/fostering/);
    const t = readDfeEesLong([HEAD, r('Placement', 'Foster placements', '5'), r('Ethnicity', 'Any other ethnic group', '1'), r('Hair colour', 'Dark brown', '2')].join('\n'), 'x.csv');
    expect(t.rows.map((x) => `${x.dimension}=${x.category}`)).toEqual(['dfePlacement=fostering', 'ethnicity=other', 'hairColour=dark_brown']);
  });

  it('duplicates (also two wordings of one category) and bad numbers are listed with their lines', () => {
    const err = errorOf(() => readDfeEesLong([HEAD, r('Placement', 'Foster placements', '5'), r('Placement', 'Foster placement', '6'), r('Placement', 'Total', 'lots')].join('\n'), 'x.csv'));
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'characteristic'],
      [4, 'number'],
    ]);
    expect(err.problems[0].message).toMatch(/lines 2 and 3/);
  });

  it('a file whose kind cannot be told needs options.measure', () => {
    const text = [HEAD, r('Gender', 'Female', '5')].join('\n');
    expect(errorOf(() => readDfeEesLong(text, 'x.csv')).problems[0].fix).toMatch(/options\.measure/);
    expect(readDfeEesLong(text, 'x.csv', { measure: 'started' }).measure).toBe('started');
    expect(readDfeEesLong(text, 'la_children_who_ceased_during_the_year.csv').measure).toBe('ceased');
  });

  it('missing columns', () => {
    expect(errorOf(() => readDfeEesLong('time_period,geographic_level,number\n2024,National,1\n', 'x.csv')).problems.map((p) => p.field)).toEqual(['cla_group', 'characteristic']);
  });

  it('loadDfeEesLong reads by path', () => {
    expect(loadDfeEesLong(`${EES_FIXTURES}${CE}`).rows).toHaveLength(ce.rows.length);
  });
});
