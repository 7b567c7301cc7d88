/**
 * Making a photo small enough to send over a ship's link, on the device: the picture decoded
 * once (`createImageBitmap`, EXIF orientation applied), drawn at most 1600 px on its longest
 * side as a JPEG (quality 0.85), and at most 320 px as its thumbnail. Files that are not images,
 * are too large to decode safely, or cannot be decoded are refused with a sentence to show;
 * the decoded bitmap is closed whatever happens.
 */

/** The longest side of the image sent, px. */
export const FULL_MAX_SIDE = 1600;
/** The longest side of the thumbnail shown until the server's, px. */
export const THUMBNAIL_MAX_SIDE = 320;
/** JPEG quality of both. */
export const JPEG_QUALITY = 0.85;
/** Files larger than this are refused before decoding. */
export const MAX_INPUT_BYTES = 40 * 1024 * 1024;
/** Pictures with more pixels than this are refused after reading their size (a 200-megapixel panorama). */
export const MAX_INPUT_PIXELS = 200_000_000;

/** A photo the device cannot take, with the reason in words. */
export class PhotoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoError';
  }
}

/** Width and height. */
export interface Size {
  width: number;
  height: number;
}

/**
 * The size of a `width` × `height` picture scaled down (never up) so its longest side is at
 * most `maxSide`, keeping its proportions; each side at least 1 px.
 */
export function fitWithin(width: number, height: number, maxSide: number): Size {
  if (!(width > 0 && height > 0)) throw new PhotoError('The picture has no size.');
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A decoded picture (an `ImageBitmap`). */
export interface Decoded extends Size {
  close(): void;
}

/** How pictures are decoded and drawn: the browser's, or a test's. */
export interface ImageTools<D extends Decoded = Decoded> {
  decode(file: Blob): Promise<D>;
  /** Draws `picture` at `size` and encodes it as a JPEG. */
  encode(picture: D, size: Size, quality: number): Promise<Blob>;
}

/** The browser's: `createImageBitmap` honouring EXIF orientation, then an (Offscreen)Canvas. */
export const browserImageTools: ImageTools<ImageBitmap> = {
  decode: (file) => createImageBitmap(file, { imageOrientation: 'from-image' }),
  async encode(picture, size, quality) {
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(size.width, size.height);
      const context = canvas.getContext('2d');
      if (!context) throw new PhotoError('This browser cannot draw the photo.');
      context.imageSmoothingQuality = 'high';
      context.drawImage(picture, 0, 0, size.width, size.height);
      return canvas.convertToBlob({ type: 'image/jpeg', quality });
    }
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    if (!context) throw new PhotoError('This browser cannot draw the photo.');
    context.imageSmoothingQuality = 'high';
    context.drawImage(picture, 0, 0, size.width, size.height);
    return new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => { if (blob) resolve(blob); else reject(new PhotoError('This browser cannot encode the photo.')); }, 'image/jpeg', quality);
    });
  },
};

/** A photo made small. */
export interface ResizedPhoto {
  full: Blob;
  thumbnail: Blob;
  /** The full image's size. */
  size: Size;
}

/** Resizes `file` (see the module documentation). */
export async function resizePhoto<D extends Decoded>(file: Blob, tools: ImageTools<D>): Promise<ResizedPhoto> {
  if (!file.type.startsWith('image/')) throw new PhotoError('That file is not a photo. Choose a picture (JPEG, PNG, WebP…).');
  if (file.size > MAX_INPUT_BYTES) {
    throw new PhotoError(`That photo is too large (over ${MAX_INPUT_BYTES / 1024 / 1024} MB). Take it again at a lower resolution.`);
  }
  let picture: D;
  try {
    picture = await tools.decode(file);
  } catch {
    throw new PhotoError('That photo cannot be read on this device. Take it again, or choose another.');
  }
  try {
    if (picture.width * picture.height > MAX_INPUT_PIXELS) throw new PhotoError('That photo has too many pixels to handle on this device.');
    const size = fitWithin(picture.width, picture.height, FULL_MAX_SIDE);
    const full = await tools.encode(picture, size, JPEG_QUALITY);
    const thumbnail = await tools.encode(picture, fitWithin(picture.width, picture.height, THUMBNAIL_MAX_SIDE), JPEG_QUALITY);
    return { full, thumbnail, size };
  } finally {
    picture.close();
  }
}

/** SHA-256 of `bytes`, lowercase hex (WebCrypto). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `bytes` as a `data:` URL (the Content-Security-Policy allows images from `data:`, not `blob:`). */
export function dataUrlOf(bytes: ArrayBuffer, contentType: string): string {
  const view = new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return `data:${contentType};base64,${btoa(binary)}`;
}

/** The name a photo is sent under: the picture's own name with `.jpg`, or `photo.jpg`. */
export function photoFileName(original: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = (dot > 0 ? base.slice(0, dot) : base).replace(/[^\p{L}\p{N} _-]/gu, '_').trim().slice(0, 100);
  return `${stem || 'photo'}.jpg`;
}
