import { dataUrlOf, fitWithin, FULL_MAX_SIDE, JPEG_QUALITY, MAX_INPUT_BYTES, photoFileName, PhotoError, resizePhoto, sha256Hex, THUMBNAIL_MAX_SIDE, type Decoded, type ImageTools, type Size } from './resize';

/** Decodes to a picture of `size` (or fails), and records what was drawn and what was closed. */
function fakeTools(size: Size | null) {
  const drawn: [Size, number][] = [];
  const closed: Decoded[] = [];
  const tools: ImageTools = {
    decode: () => {
      if (size === null) return Promise.reject(new DOMException('The source image could not be decoded.', 'InvalidStateError'));
      const picture: Decoded = { ...size, close: () => closed.push(picture) };
      return Promise.resolve(picture);
    },
    encode: (_picture, to, quality) => {
      drawn.push([to, quality]);
      return Promise.resolve(new Blob([new Uint8Array(to.width)], { type: 'image/jpeg' }));
    },
  };
  return { tools, drawn, closed };
}

const picture = (type = 'image/jpeg', bytes = 10) => new Blob([new Uint8Array(bytes)], { type });

describe('resizing photos on the device', () => {
  test('the longest side is brought down to the bound, proportions kept, never enlarged', () => {
    expect(fitWithin(4032, 3024, 1600)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032, 1600)).toEqual({ width: 1200, height: 1600 });
    expect(fitWithin(4000, 3000, 320)).toEqual({ width: 320, height: 240 });
    expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 });
    expect(fitWithin(1600, 1600, 1600)).toEqual({ width: 1600, height: 1600 });
    // A sliver keeps at least one pixel.
    expect(fitWithin(10_000, 2, 320)).toEqual({ width: 320, height: 1 });
    expect(fitWithin(1999, 1001, 1600)).toEqual({ width: 1600, height: 801 });
    expect(() => fitWithin(0, 10, 320)).toThrow(PhotoError);
  });

  test('a photo is drawn at 1600 px and as a 320 px thumbnail, JPEG 0.85, and its bitmap closed', async () => {
    const { tools, drawn, closed } = fakeTools({ width: 4032, height: 3024 });
    const resized = await resizePhoto(picture(), tools);
    expect(resized.size).toEqual({ width: FULL_MAX_SIDE, height: 1200 });
    expect(drawn).toEqual([
      [{ width: 1600, height: 1200 }, JPEG_QUALITY],
      [{ width: THUMBNAIL_MAX_SIDE, height: 240 }, JPEG_QUALITY],
    ]);
    expect(closed).toHaveLength(1);
  });

  test('what is not a photo, too large or unreadable is refused in words, and the bitmap closed', async () => {
    const { tools, closed } = fakeTools({ width: 100, height: 100 });
    await expect(resizePhoto(picture('application/pdf'), tools)).rejects.toThrow('not a photo');
    await expect(resizePhoto(picture('image/jpeg', MAX_INPUT_BYTES + 1), tools)).rejects.toThrow('too large');
    await expect(resizePhoto(picture(), fakeTools(null).tools)).rejects.toThrow('cannot be read');
    expect(closed).toHaveLength(0);

    const huge = fakeTools({ width: 20_000, height: 20_000 });
    await expect(resizePhoto(picture(), huge.tools)).rejects.toThrow('too many pixels');
    expect(huge.closed).toHaveLength(1);

    const failing = fakeTools({ width: 100, height: 100 });
    failing.tools.encode = () => Promise.reject(new Error('out of memory'));
    await expect(resizePhoto(picture(), failing.tools)).rejects.toThrow('out of memory');
    expect(failing.closed).toHaveLength(1);
  });

  test('hashes, data URLs and names', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc').buffer)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(dataUrlOf(new TextEncoder().encode('hi').buffer, 'image/jpeg')).toBe('data:image/jpeg;base64,aGk=');
    expect(photoFileName('IMG_0042.HEIC')).toBe('IMG_0042.jpg');
    expect(photoFileName('image.jpg')).toBe('image.jpg');
    expect(photoFileName('')).toBe('photo.jpg');
    expect(photoFileName('pump/../"x".png')).toBe('_x_.jpg');
  });
});
