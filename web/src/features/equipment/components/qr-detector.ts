/**
 * The QR decoder the scanner uses, loaded only when the scanner opens (its own chunk): the
 * browser's `BarcodeDetector` where it has one that reads QR codes, else the `barcode-detector`
 * ponyfill on zxing-wasm. The ponyfill's `.wasm` would come from a CDN by default; here it is the
 * copy Vite bundles (hashed, under /assets, precached by the service worker), so scanning works
 * offline and under the server's CSP (`'self'`, plus `'wasm-unsafe-eval'` to compile it).
 */
import { BarcodeDetector as Ponyfill, prepareZXingModule } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** What the scanner needs of a detector. */
export interface QrDetector {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}

interface NativeDetectorClass {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats(): Promise<string[]>;
}

let prepared = false;

/** A detector of QR codes: the browser's own when it has one for them, else the ponyfill. */
export async function createQrDetector(): Promise<QrDetector> {
  const native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (native) {
    try {
      if ((await native.getSupportedFormats()).includes('qr_code')) return new native({ formats: ['qr_code'] });
    } catch {
      // A browser that lists no formats (no platform support): the ponyfill does.
    }
  }
  if (!prepared) {
    prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path),
      },
    });
    prepared = true;
  }
  return new Ponyfill({ formats: ['qr_code'] });
}
