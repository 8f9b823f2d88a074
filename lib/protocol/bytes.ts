/**
 * Bytes on Drip's ports. Messages are structured clones, so a body arrives
 * as a `Uint8Array` made in the receiver's own realm; a page-world value
 * seen from Firefox's content script is a wrapper, so the check reads the
 * internal tag rather than `instanceof`.
 */

/** True for a `Uint8Array` (of any realm). */
export function isBytes(value: unknown): value is Uint8Array<ArrayBuffer> {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]'
}

/** The bytes with a buffer of their own, exactly as long: what a page's `ArrayBuffer` should be, and what is cheap to post. */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? (bytes as Uint8Array<ArrayBuffer>)
    : bytes.slice()
}
