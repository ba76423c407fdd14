/** Text readers take the text or its bytes, and give the same answer as the path forms. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvRows } from '../../src/data/loaders/csvText.js';
import { readSsda903 } from '../../src/data/loaders/ssda903.js';
import { groupSsda903Files, readSsda903Files, ssda903Returns } from '../../src/data/loaders/ssda903Files.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { loadText } from '../../src/data/loaders/textFile.js';
import { blobText, decodeText } from '../../src/data/loaders/textInput.js';
import { datasetToTidyRecords, readTidyCsv, readTidyJson, tidyRecordsToCsv, writeTidyJson } from '../../src/data/loaders/tidy.js';
import { loadSeed, parseSeed } from '../../src/data/seeds.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { dfePanelDataset, loadDfePanelArea } from '../../src/data/panel.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url));
const enc = new TextEncoder();

describe('decodeText and blobText', () => {
  it('decodes bytes as UTF-8 exactly as the path forms read a file (a byte-order mark kept, bad bytes as U+FFFD)', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x2c, 0xc3, 0xa9, 0x0a, 0xff]);
    expect(decodeText(bytes)).toBe('\ufeffa,é\n\ufffd');
    expect(decodeText(bytes.buffer)).toBe(Buffer.from(bytes).toString('utf8'));
    expect(decodeText(new DataView(bytes.buffer, 3, 2))).toBe('a,');
    expect(decodeText('as is')).toBe('as is');
    const file = join(FIXTURES, '2019-header.csv');
    expect(decodeText(readFileSync(file))).toBe(readFileSync(file, 'utf8'));
    expect(loadText(file)).toBe(readFileSync(file, 'utf8'));
  });

  it('reads a Blob (a File) with its byte-order mark, as from disk', async () => {
    expect(await blobText(new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x78])]))).toBe('\ufeffx');
    expect(await blobText(new File(['CHILD\n'], 'h.csv'))).toBe('CHILD\n');
  });

  it('says what to do with a Blob given where bytes are expected', () => {
    expect(() => decodeText(new Blob(['x']) as unknown as string)).toThrow(/got Blob: read a Blob first with await blobText/);
    expect(() => decodeText(42 as unknown as string)).toThrow(/expected text or its bytes/);
  });
});

describe('the text readers take bytes', () => {
  it('readCsvRows, readTidyCsv, readTidyJson and parseSeed give the same from bytes as from text', () => {
    const text = '\ufeffa,b\r\n1,"x, y"\r\n';
    expect(readCsvRows(enc.encode(text), 'f.csv')).toEqual(readCsvRows(text, 'f.csv'));
    const ds = dfePanelDataset(loadDfePanelArea('Derby'));
    const csv = tidyRecordsToCsv(datasetToTidyRecords(ds));
    expect(readTidyCsv(enc.encode(csv), 'd.csv', { allowGaps: true })).toEqual(readTidyCsv(csv, 'd.csv', { allowGaps: true }));
    const json = writeTidyJson(datasetToTidyRecords(ds));
    expect(readTidyJson(enc.encode(json).buffer as ArrayBuffer, 'd.json', { allowGaps: true })).toEqual(readTidyJson(json, 'd.json', { allowGaps: true }));
    const seedText = readFileSync(fileURLToPath(new URL('../../seeds/derby.json', import.meta.url)), 'utf8');
    expect(parseSeed(enc.encode(seedText), 'derby.json').dataset).toEqual(loadSeed('derby').dataset);
  });

  it('readSsda903 takes each file as bytes', () => {
    const names = readdirSync(FIXTURES);
    const grouping = groupSsda903Files(names);
    const asText = readSsda903(ssda903Returns(grouping, (n) => readFileSync(join(FIXTURES, n), 'utf8'), FIXTURES), { lenient: true });
    const asBytes = readSsda903(ssda903Returns(grouping, (n) => readFileSync(join(FIXTURES, n)), FIXTURES), { lenient: true });
    expect(asBytes).toEqual(asText);
  });
});

describe('SSDA903 files grouped by name', () => {
  it('groups by the year and kind in the name, ignoring the rest', () => {
    expect(groupSsda903Files(['2019-episodes.csv', 'header_2019.CSV', '2020-uasc.csv', 'notes.txt', '2019-episodes.xlsx', 'README.csv'])).toEqual({
      groups: [
        { year: '2019', episodes: '2019-episodes.csv', header: 'header_2019.CSV' },
        { year: '2020', uasc: '2020-uasc.csv' },
      ],
      ignored: ['2019-episodes.xlsx', 'README.csv', 'notes.txt'],
    });
  });

  it('reads dropped files as the folder is read, and lists those it did not use', async () => {
    const files = readdirSync(FIXTURES).map((name) => ({ name, content: readFileSync(join(FIXTURES, name)) }));
    const fromFolder = loadSsda903Folder(FIXTURES, { lenient: true });
    const dropped = await readSsda903Files(files, { lenient: true });
    expect(dropped.episodes).toEqual(fromFolder.episodes);
    expect(dropped.fixes).toEqual(fromFolder.fixes);
    expect(dropped.returns).toEqual(fromFolder.returns);
    expect(dropped.notes.slice(0, fromFolder.notes.length)).toEqual(fromFolder.notes);
    expect(dropped.notes.at(-1)).toMatch(/^not read .*MANIFEST\.json/);
  });

  it('refuses two files of one name, and files with no episodes file', async () => {
    await expect(readSsda903Files([{ name: '2019-episodes.csv', content: 'a' }, { name: '2019-episodes.csv', content: 'b' }])).rejects.toThrow(/two files have this name/);
    const err = await readSsda903Files([{ name: '2019-header.csv', content: 'CHILD,DOB\n' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CarecastInputError);
    expect(String((err as Error).message)).toMatch(/no episodes files/);
  });
});
