import { createHash } from 'node:crypto';
import { brotliCompressSync, constants } from 'node:zlib';

/**
 * How a block's text is hashed and compressed, with no store attached: the
 * workstation's blocks table (db/blocks.ts) and the desk's wire format (desk/wire.ts)
 * must agree byte for byte, and the desk has no SQLite.
 */
export function hashText(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// Quality 5 with the text hint: ~0.2 ms for a 250-word paragraph, about 10% larger
// than quality 11, which takes ~5 ms — the whole budget for cutting a revision
// (measured by `npm run bench -- revisions`).
const BROTLI_QUALITY = 5;

export function compress(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  return brotliCompressSync(input, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      // A block is a paragraph, not a file: a 64 KiB window is plenty and cheaper to set up.
      [constants.BROTLI_PARAM_LGWIN]: 16,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
    },
  });
}
