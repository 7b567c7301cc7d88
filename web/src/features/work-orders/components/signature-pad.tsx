/**
 * A signature drawn with a finger, a stylus or a mouse on a canvas (pointer events; the page
 * does not scroll while signing), exported as a PNG with a smaller PNG as its thumbnail, to be
 * kept and uploaded like a photo. Drawing a signature follows the path of the hand, so it has
 * no keyboard equivalent (WCAG 2.1.1's exception); the signer's typed name goes with it.
 */
import { useCallback, useId, useImperativeHandle, useRef, useState, type PointerEvent, type Ref } from 'react';

/** The canvas's drawing size; it is shown at the card's width. */
const WIDTH = 600;
const HEIGHT = 240;
/** The thumbnail's width (its height in proportion), as a photo's. */
const THUMBNAIL_WIDTH = 320;

/** What the page does with a signature. */
export interface SignaturePadHandle {
  /** The signature as a PNG and a smaller PNG. */
  toPng(): Promise<{ png: ArrayBuffer; thumbnail: ArrayBuffer }>;
  /** Wipes it. */
  clear(): void;
}

function blobOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob) resolve(blob);
      else reject(new Error('The signature could not be saved on this device.'));
    }, 'image/png');
  });
}

function blank(context: CanvasRenderingContext2D) {
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, WIDTH, HEIGHT);
  context.strokeStyle = '#111111';
  context.lineWidth = 3;
  context.lineCap = 'round';
  context.lineJoin = 'round';
}

/** The pad; `onSignedChange` hears whether something is drawn. */
export function SignaturePad({
  label,
  onSignedChange,
  ref,
}: {
  label: string;
  onSignedChange: (signed: boolean) => void;
  ref: Ref<SignaturePadHandle>;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  /** The pen is set (and the page whitened) at the first stroke, not before: nothing to draw till then. */
  const ready = useRef(false);
  const [signed, setSigned] = useState(false);
  const labelId = useId();
  const hintId = useId();

  const mark = useCallback(
    (value: boolean) => {
      setSigned(value);
      onSignedChange(value);
    },
    [onSignedChange],
  );

  const clear = useCallback(() => {
    const c = ready.current ? canvas.current?.getContext('2d') : null;
    if (c) blank(c);
    last.current = null;
    mark(false);
  }, [mark]);

  useImperativeHandle(
    ref,
    () => ({
      async toPng() {
        const source = canvas.current;
        if (!source) throw new Error('The signature could not be saved on this device.');
        const small = document.createElement('canvas');
        small.width = THUMBNAIL_WIDTH;
        small.height = Math.round((HEIGHT * THUMBNAIL_WIDTH) / WIDTH);
        small.getContext('2d')?.drawImage(source, 0, 0, small.width, small.height);
        const [png, thumbnail] = await Promise.all([blobOf(source), blobOf(small)]);
        return { png: await png.arrayBuffer(), thumbnail: await thumbnail.arrayBuffer() };
      },
      clear,
    }),
    [clear],
  );

  /** Where the pointer is, in the canvas's own pixels. */
  function point(e: PointerEvent<HTMLCanvasElement>): { x: number; y: number } {
    const c = e.currentTarget;
    const box = c.getBoundingClientRect();
    const scaleX = box.width > 0 ? WIDTH / box.width : 1;
    const scaleY = box.height > 0 ? HEIGHT / box.height : 1;
    const x = ((Number.isFinite(e.clientX) ? e.clientX : 0) - box.left) * scaleX;
    const y = ((Number.isFinite(e.clientY) ? e.clientY : 0) - box.top) * scaleY;
    return { x, y };
  }

  function down(e: PointerEvent<HTMLCanvasElement>) {
    e.preventDefault();
    if (typeof e.currentTarget.setPointerCapture === 'function' && Number.isFinite(e.pointerId)) {
      try {
        e.currentTarget.setPointerCapture(e.pointerId);
      } catch {
        // A pointer that has already gone: the stroke still draws.
      }
    }
    if (!ready.current) {
      const c = e.currentTarget.getContext('2d');
      if (c) blank(c);
      ready.current = true;
    }
    last.current = point(e);
  }

  function move(e: PointerEvent<HTMLCanvasElement>) {
    const from = last.current;
    if (!from) return;
    const to = point(e);
    const c = canvas.current?.getContext('2d');
    if (c) {
      c.beginPath();
      c.moveTo(from.x, from.y);
      c.lineTo(to.x, to.y);
      c.stroke();
    }
    last.current = to;
    if (!signed) mark(true);
  }

  function up() {
    last.current = null;
  }

  return (
    <div className="field signature-pad">
      <span id={labelId} className="signature-pad__label">
        {label}
      </span>
      <canvas
        ref={canvas}
        className="signature-pad__canvas"
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-labelledby={labelId}
        aria-describedby={hintId}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onPointerLeave={up}
      />
      <p id={hintId} className="field__hint">
        {signed ? 'Signed.' : 'Sign inside the box with your finger or a stylus.'}
      </p>
      <button className="link-button" type="button" onClick={clear} disabled={!signed}>
        Clear signature
      </button>
    </div>
  );
}
