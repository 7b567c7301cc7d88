/**
 * The `otpauth://` link of a new second factor as a QR code, for an authenticator app to scan.
 * Drawn here from the link (the `qrcode` package renders the SVG): the seed never leaves the
 * browser for an image service.
 */
import { toString as renderQrCode } from 'qrcode';
import { useEffect, useState } from 'react';

/** The QR code image; nothing until it is drawn (a moment). */
export function OtpauthQrCode({ url }: { url: string }) {
  const [drawn, setDrawn] = useState<{ url: string; src: string } | null>(null);

  useEffect(() => {
    let live = true;
    renderQrCode(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } })
      .then((svg) => {
        if (live) setDrawn({ url, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      })
      .catch(() => {
        // A link too long to draw: the key below it can still be typed in.
      });
    return () => {
      live = false;
    };
  }, [url]);

  if (drawn?.url !== url) return <div className="qr-code qr-code--drawing" aria-hidden="true" />;
  return <img className="qr-code" src={drawn.src} alt="QR code to scan with your authenticator app" />;
}
