/**
 * Decompression through the platform's DecompressionStream (browsers since
 * 2023, Node 18+), with a cap on the output so a small "zip bomb" cannot
 * exhaust memory.
 */

/** No DecompressionStream here (very old browser). */
export class NoDecompressionError extends Error {
  constructor() {
    super('this browser cannot decompress data (no DecompressionStream)');
    this.name = 'NoDecompressionError';
  }
}

/**
 * @param {Uint8Array} bytes
 * @param {'gzip'|'deflate'} format - 'deflate' is zlib (RFC 1950), as PNG uses
 * @param {number} maxBytes - refuse output larger than this
 * @returns {Promise<Uint8Array>}
 * @throws {NoDecompressionError|Error}
 */
export async function inflate(bytes, format, maxBytes) {
  if (typeof DecompressionStream === 'undefined') throw new NoDecompressionError();
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch {
      throw new Error(`the ${format} data is corrupt`);
    }
    if (step.done) break;
    total += step.value.length;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      throw new Error(`the ${format} data expands to more than ${maxBytes} bytes`);
    }
    chunks.push(step.value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
