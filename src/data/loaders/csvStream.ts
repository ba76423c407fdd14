/**
 * An incremental CSV parser: text is pushed in chunks of any size (split
 * anywhere, even inside a quoted field or between the two characters of a
 * CRLF) and each record is handed on as soon as it is complete, with the
 * line it starts on. Nothing but the record being read is kept, so a large
 * file never needs to be held whole as text or as rows.
 *
 * It reads what `readCsvRows` reads (RFC 4180 as csv-parse reads it, with
 * `bom`, `relax_column_count` and `skip_empty_lines`): a leading byte-order
 * mark is removed; records end at CRLF, LF or CR (csv-parse takes the
 * first line ending it meets for the whole file, so a lone LF in a CRLF
 * file is text to it and a line break here); empty lines are skipped
 * (and still counted); a field that starts with `"` is quoted, may hold
 * commas, line breaks and `""` for a quote, and must be followed by a comma
 * or a line break; a quote inside an unquoted field is an error. Line
 * numbers count CRLF as one line break, inside quoted fields too.
 *
 * Nothing here touches the file system.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';

/** What {@link csvRecordStream} returns: push text, then end. */
export interface CsvRecordStream {
  /** Parse the next piece of the text (any length, split anywhere); complete records go to `onRecord`. */
  push(text: string): void;
  /** The text has ended: hand on the last record. */
  end(): void;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

function csvError(source: string, row: number, message: string): CarecastInputError {
  return new CarecastInputError([
    {
      source,
      row,
      message: `not valid CSV: ${message}`,
      fix: 'check for an unclosed double quote or a stray quote inside an unquoted field; quote fields that contain commas, quotes or line breaks',
    },
  ]);
}

/**
 * A CSV parser fed a piece of text at a time: every record goes to
 * `onRecord` with its cells and the 1-based line it starts on (the header is
 * line 1) as soon as its last character has been pushed.
 *
 * @param source - the file name, for error messages
 * @param onRecord - called once per record, in order; `cells` is a new array each time
 * @returns the stream: call `push` for each piece of text, then `end`
 * @throws `CarecastInputError` (from `push` or `end`) when the text is not valid CSV (a stray or unclosed quote), naming the line
 * @example
 * ```ts
 * const rows: string[][] = [];
 * const csv = csvRecordStream('f.csv', (cells) => rows.push(cells));
 * csv.push('a,b\n1,"x,');
 * csv.push(' y"\n');
 * csv.end(); // rows: [['a', 'b'], ['1', 'x, y']]
 * ```
 */
export function csvRecordStream(source: string, onRecord: (cells: string[], line: number) => void): CsvRecordStream {
  let cells: string[] = [];
  // text of the current field carried over from earlier chunks
  let carry = '';
  let inQuotes = false;
  let afterQuote = false;
  // the current field has had a character (so a quote now is a stray one)
  let fieldHasText = false;
  // line the current record starts on (0: no record started)
  let recordLine = 0;
  let line = 1;
  let prevCR = false;
  let first = true;

  const emit = (): void => {
    const out = cells;
    cells = [];
    onRecord(out, recordLine);
    recordLine = 0;
  };

  return {
    push(chunk: string): void {
      let text = chunk;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      const n = text.length;
      // start of the current field's text in this chunk
      let seg = 0;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (inQuotes) {
          if (c === QUOTE) {
            carry += text.slice(seg, i);
            inQuotes = false;
            afterQuote = true;
            prevCR = false;
          } else if (c === CR) {
            line++;
            prevCR = true;
          } else if (c === LF) {
            if (!prevCR) line++;
            prevCR = false;
          } else prevCR = false;
          continue;
        }
        if (afterQuote) {
          afterQuote = false;
          if (c === QUOTE) {
            // "" inside a quoted field: one quote
            carry += '"';
            inQuotes = true;
            seg = i + 1;
            continue;
          }
          if (c !== COMMA && c !== CR && c !== LF) {
            throw csvError(source, line, `got ${JSON.stringify(text[i])} after the closing quote of field ${cells.length + 1} at line ${line} instead of a comma or a line break`);
          }
          seg = i;
        }
        if (c === COMMA) {
          if (recordLine === 0) recordLine = line;
          cells.push(carry + text.slice(seg, i));
          carry = '';
          seg = i + 1;
          fieldHasText = false;
          prevCR = false;
        } else if (c === CR || c === LF) {
          const crlf = c === LF && prevCR;
          if (!crlf) {
            if (recordLine !== 0) {
              cells.push(carry + text.slice(seg, i));
              carry = '';
              fieldHasText = false;
              emit();
            }
            line++;
          }
          prevCR = c === CR;
          seg = i + 1;
        } else if (c === QUOTE) {
          if (recordLine === 0) recordLine = line;
          if (fieldHasText || carry !== '' || seg !== i) {
            throw csvError(source, line, `a quote inside the unquoted field ${cells.length + 1} at line ${line}, value is ${JSON.stringify(carry + text.slice(seg, i))}`);
          }
          inQuotes = true;
          fieldHasText = true;
          seg = i + 1;
          prevCR = false;
        } else {
          if (recordLine === 0) recordLine = line;
          fieldHasText = true;
          prevCR = false;
        }
      }
      if (inQuotes || !afterQuote) carry += text.slice(seg);
    },
    end(): void {
      if (inQuotes) throw csvError(source, recordLine, `a quoted field opened at line ${recordLine} is never closed`);
      if (recordLine !== 0) {
        cells.push(carry);
        carry = '';
        emit();
      }
    },
  };
}
