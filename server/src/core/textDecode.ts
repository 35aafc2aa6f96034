// A file's bytes → the text every reader sees, decoded as kubectl (go-yaml) and editors decode it:
// - a UTF-16 file with its byte order mark (FF FE little-endian, FE FF big-endian) is decoded: `kubectl kustomize`
//   reads such resources, kustomization files, patches and replacement files like their UTF-8 text (checked with
//   kustomize v5.5.0); without a BOM UTF-16 stays bytes, which kubectl refuses ("control characters are not allowed");
// - a UTF-8 byte order mark is dropped: go-yaml skips it, and editors (VS Code, Neovim) keep it out of the document's
//   text, so offsets of the index, the engine, LSP positions and quick-fix edits all count from the first character
//   after it (an editor writes the BOM back itself on save).
// Generator inputs are bytes, not text (FileSystem.readBytes): kustomize puts a UTF-16 file into binaryData as is.

const utf16be = new TextDecoder('utf-16be');
const utf16le = new TextDecoder('utf-16le');

/**
 * Whether `text`, decoded from `bytes` (the first `length`), is their plain UTF-8 reading: no byte order mark, no
 * invalid sequence (read as U+FFFD: a text holding one is not vouched for). Then the bytes are the text's UTF-8.
 */
export function isPlainUtf8(bytes: Uint8Array, length: number, text: string): boolean {
  if (length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return false;
  if (length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return false;
  return !text.includes('\ufffd');
}

/** The text of `bytes` (the first `length` of them). */
export function decodeText(bytes: Uint8Array, length = bytes.length): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (length >= 2 && b0 === 0xff && b1 === 0xfe) return utf16le.decode(bytes.subarray(2, length));
  if (length >= 2 && b0 === 0xfe && b1 === 0xff) return utf16be.decode(bytes.subarray(2, length));
  const start = length >= 3 && b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return Buffer.isBuffer(bytes) ? bytes.toString('utf8', start, length) : Buffer.from(bytes.buffer, bytes.byteOffset + start, length - start).toString('utf8');
}
