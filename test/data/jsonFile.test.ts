/** Reading JSON input files against a schema: lines, paths, nearest keys, kinds, missing files and bad JSON. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CarecastInputError } from '../../src/data/errors.js';
import { loadJsonFile } from '../../src/data/loaders/jsonFile.js';
import { jsonLines, nearestName, parseJsonWithSchema } from '../../src/data/loaders/jsonText.js';

const Kind = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('walk'), steps: z.number() }), z.strictObject({ kind: z.literal('swim'), lengths: z.number() })]);
const Schema = z.strictObject({
  name: z.string(),
  places: z.union([z.number(), z.array(z.strictObject({ from: z.number(), places: z.number() }))]).optional(),
  moves: z.array(Kind).optional(),
});

function problems(text: string) {
  try {
    parseJsonWithSchema(text, 'f.json', Schema, 'see the guide');
  } catch (e) {
    if (e instanceof CarecastInputError) return e.problems;
    throw e;
  }
  throw new Error('no error');
}

describe('jsonLines', () => {
  it('gives the line of every value by path (a member: the line of its key)', () => {
    const lines = jsonLines('{\n  "a": [1,\n    {"b": 2}],\n  "c":\n    "x"\n}');
    expect(lines.get('[]')).toBe(1);
    expect(lines.get('["a"]')).toBe(2);
    expect(lines.get('["a",0]')).toBe(2);
    expect(lines.get('["a",1]')).toBe(3);
    expect(lines.get('["a",1,"b"]')).toBe(3);
    expect(lines.get('["c"]')).toBe(4);
    expect(jsonLines('\uFEFF[]').get('[]')).toBe(1);
    expect(jsonLines('{"k\\"q": {}}').get(JSON.stringify(['k"q']))).toBe(1);
  });
});

describe('nearestName', () => {
  it('suggests the nearest valid name within two edits (or a third of the length), case ignored', () => {
    expect(nearestName('utilization', ['name', 'places', 'utilisation'])).toBe('utilisation');
    expect(nearestName('inflaton', ['dimension', 'inflation', 'capacity'])).toBe('inflation');
    expect(nearestName('Places', ['places'])).toBe('places');
    expect(nearestName('zzz', ['places', 'name'])).toBeUndefined();
  });
});

describe('parseJsonWithSchema', () => {
  it('names the line and the field of an unknown key, with the nearest valid key and the keys allowed', () => {
    const [p] = problems('{\n  "name": "x",\n  "plcaes": 3\n}');
    expect(p).toEqual({ source: 'f.json', row: 3, field: 'plcaes', message: 'unknown key "plcaes"', fix: 'did you mean "places"? the keys allowed here are "name", "places", "moves"' });
  });

  it('finds the keys allowed inside arrays, unions and the branch of a kind', () => {
    const ps = problems('{"name": "x",\n "places": [{"frm": 2024, "places": 3}],\n "moves": [{"kind": "swim", "lenghts": 4},\n {"kind": "wlak"}]}');
    expect(ps.map((p) => [p.row, p.field, p.message])).toEqual([
      // "from" is missing too, but said once: as the misspelling
      [2, 'places[0].frm', 'unknown key "frm"'],
      [3, 'moves[0].lenghts', 'unknown key "lenghts"'],
      [4, 'moves[1].kind', 'unknown kind "wlak"'],
    ]);
    expect(ps[0].fix).toMatch(/^did you mean "from"\?/);
    expect(ps[1].fix).toBe('did you mean "lengths"? the keys allowed here are "kind", "lengths"');
    expect(ps[2].fix).toBe('did you mean "walk"? use one of "walk", "swim"');
  });

  it('says what is missing, and what type was expected', () => {
    const ps = problems('{"places": "many"}');
    expect(ps.map((p) => [p.field, p.message])).toEqual([
      ['places', 'expected number or array'],
      ['name', '"name" is missing'],
    ]);
  });

  it('gives the line and column of a syntax error', () => {
    const [p] = problems('{\n  "name": "x",\n  "places": 3,\n}');
    expect(p.row).toBe(4);
    expect(p.message).toMatch(/^not valid JSON \(column 1\)/);
  });
});

describe('loadJsonFile', () => {
  it('reports a missing file as missing, and a folder as a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-json-'));
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as CarecastInputError).problems[0];
      }
      throw new Error('no error');
    };
    expect(err(() => loadJsonFile(join(dir, 'nope.json'), Schema, 'cost model'))).toMatchObject({ source: join(dir, 'nope.json'), message: 'no such file (the cost model)' });
    expect(err(() => loadJsonFile(dir, Schema, 'cost model')).message).toBe('a folder, not a cost model file');
    writeFileSync(join(dir, 'ok.json'), '{"name": "x", "places": [{"from": 2024, "places": 3}]}');
    expect(loadJsonFile(join(dir, 'ok.json'), Schema, 'cost model')).toEqual({ name: 'x', places: [{ from: 2024, places: 3 }] });
  });
});
