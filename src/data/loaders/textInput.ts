/**
 * What the text readers take: the text itself, or its bytes. A file picked
 * or dropped in a browser (a `File`, which is a `Blob`) becomes bytes with
 * `await file.arrayBuffer()`, or text with {@link blobText}; a file on disk
 * is read by the path forms (`loadTidyCsv`, `loadSsda903Folder`, ...),
 * which decode its bytes with the same {@link decodeText}, so a file gives
 * the same answer through every door.
 *
 * Nothing here touches the file system.
 *
 * @module
 */

/**
 * Text, or the bytes of UTF-8 text: a string, an `ArrayBuffer` (e.g. from
 * `await file.arrayBuffer()` in a browser), or a typed array or `DataView`
 * over one (e.g. a `Uint8Array`, or Node's `Buffer`).
 */
export type TextInput = string | ArrayBuffer | ArrayBufferView;

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The text of a {@link TextInput}: a string as it is; bytes decoded as
 * UTF-8, exactly as Node's `readFileSync(path, 'utf8')` decodes a file (a
 * byte-order mark is kept, for the readers to remove; a byte sequence that
 * is not UTF-8 becomes U+FFFD).
 *
 * @param input - text or its bytes
 * @returns the text
 * @throws TypeError when `input` is none of these (a `Blob` or `File` needs {@link blobText}, which is asynchronous)
 * @example
 * ```ts
 * decodeText('a,b\n');                                  // 'a,b\n'
 * decodeText(new TextEncoder().encode('CHILD,DOB\n'));  // 'CHILD,DOB\n'
 * decodeText(await file.arrayBuffer());                 // a dropped file's text
 * ```
 */
export function decodeText(input: TextInput): string {
  if (typeof input === 'string') return input;
  if (input instanceof ArrayBuffer) return decoder.decode(input);
  if (ArrayBuffer.isView(input)) return decoder.decode(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  // an ArrayBuffer from another realm (a worker, an iframe) fails instanceof but has byteLength
  if (input !== null && typeof input === 'object' && Object.prototype.toString.call(input) === '[object ArrayBuffer]') return decoder.decode(input as ArrayBuffer);
  const what = input === null ? 'null' : typeof input === 'object' ? ((input as object).constructor?.name ?? 'an object') : typeof input;
  throw new TypeError(
    `expected text or its bytes (a string, an ArrayBuffer or a Uint8Array), got ${what}` + (what === 'File' || what === 'Blob' ? `: read a ${what} first with await blobText(file) or await file.arrayBuffer()` : ''),
  );
}

/**
 * The text of a `Blob` or `File` (what a browser's file input or drop
 * gives), decoded as {@link decodeText} decodes bytes (a byte-order mark is
 * kept, as when the same file is read from disk; `Blob.text()` would drop it).
 *
 * @param blob - the file
 * @returns its text
 * @example
 * ```ts
 * const [file] = input.files;
 * const datasets = readTidyCsv(await blobText(file), file.name);
 * ```
 */
export async function blobText(blob: Blob): Promise<string> {
  return decodeText(await blob.arrayBuffer());
}
