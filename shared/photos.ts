import { z } from 'zod';

export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_PHOTO_BYTES = 50 * 1024 * 1024;
/**
 * A small file can still be a huge image (a 14,000 × 14,000 PNG of one colour is under
 * 1 MB): decoding it took 16–23 s and 300 MB here. 120 megapixels takes the largest
 * press and medium-format cameras (about 102 MP) and refuses the rest before decoding.
 */
export const MAX_PHOTO_PIXELS = 120_000_000;

/** What a caption document can take from a photo's embedded IPTC/XMP metadata. */
export const PhotoMetadata = z.object({
  caption: z.string(),
  photographer: z.string(),
  credit: z.string(),
  copyright: z.string(),
  altText: z.string(),
  dateTaken: z.string(),
  location: z.string(),
});
export type PhotoMetadata = z.infer<typeof PhotoMetadata>;

export const Asset = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mime: z.enum(PHOTO_MIME_TYPES),
  size: z.number(),
  width: z.number(),
  height: z.number(),
  originalName: z.string(),
  metadata: PhotoMetadata,
});
export type Asset = z.infer<typeof Asset>;

export const ImageSize = z.enum(['thumb', 'preview']);
export type ImageSize = z.infer<typeof ImageSize>;
