/**
 * `/scan`: point the camera at an equipment label and land on the item. The rear camera's
 * picture is decoded a few times a second (the browser's `BarcodeDetector`, else the bundled
 * zxing-wasm ponyfill, loaded with this page only); a photo of a label is decoded the same way,
 * and the code can be typed. A Bosun label (`…/q/{code}`) goes to `/q/:code`, which looks the
 * code up; anything else is said not to be one. Works offline: the decoder is precached.
 */
import './equipment.css';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { useDocumentTitle } from '../../../components/use-document-title';
import { labelCode } from '../api/label-address';
import type { QrDetector } from './qr-detector';

type Camera = 'off' | 'starting' | 'on' | 'refused' | 'absent';

/** Time between two decodes of the camera's picture. */
const FRAME_GAP_MS = 250;

let detector: Promise<QrDetector> | null = null;
/** The decoder, loaded once (its own chunk). */
function loadDetector(): Promise<QrDetector> {
  detector ??= import('./qr-detector').then((m) => m.createQrDetector());
  detector.catch(() => {
    detector = null;
  });
  return detector;
}

/** The page. */
export function ScanPage() {
  useDocumentTitle('Scan a label');
  const navigate = useNavigate();
  const titleId = useId();
  const [camera, setCamera] = useState<Camera>('off');
  const [message, setMessage] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);

  const stopCamera = useCallback(() => {
    for (const track of streamRef.current?.getTracks() ?? []) track.stop();
    streamRef.current = null;
  }, []);

  /** Goes to the label's item, or says what was read is not a label. */
  const follow = useCallback(
    (text: string): boolean => {
      const code = labelCode(text);
      if (code === null) {
        setMessage(`Not a Bosun label: “${text.length > 80 ? `${text.slice(0, 80)}…` : text}”.`);
        return false;
      }
      stopCamera();
      void navigate(`/q/${encodeURIComponent(code)}`);
      return true;
    },
    [navigate, stopCamera],
  );

  useEffect(() => stopCamera, [stopCamera]);

  async function startCamera() {
    setMessage(null);
    // Absent outside a secure context and on devices without a camera API.
    const media = navigator.mediaDevices as MediaDevices | undefined;
    if (!media) {
      setCamera('absent');
      return;
    }
    setCamera('starting');
    try {
      const [stream, decoder] = await Promise.all([
        media.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
        loadDetector(),
      ]);
      streamRef.current = stream;
      const video = videoRef.current;
      if (!video) {
        stopCamera();
        return;
      }
      video.srcObject = stream;
      await video.play();
      setCamera('on');
      void watch(video, decoder);
    } catch (e) {
      stopCamera();
      const name = e instanceof DOMException ? e.name : '';
      setCamera(name === 'NotAllowedError' || name === 'SecurityError' ? 'refused' : 'absent');
    }
  }

  /** Decodes the picture until a label is read or the camera stops. */
  async function watch(video: HTMLVideoElement, decoder: QrDetector) {
    let lastRefused = '';
    while (streamRef.current) {
      try {
        if (video.readyState >= 2) {
          const found = await decoder.detect(video);
          const text = found[0]?.rawValue;
          // The same wrong code in view is said once, not every frame.
          if (text !== undefined && text !== lastRefused) {
            if (follow(text)) return;
            lastRefused = text;
          }
        }
      } catch {
        // A frame that could not be read: the next one may.
      }
      await new Promise((resolve) => setTimeout(resolve, FRAME_GAP_MS));
    }
  }

  async function scanPhoto(file: File) {
    setMessage('Reading the photo…');
    try {
      const decoder = await loadDetector();
      const found = await decoder.detect(file);
      const text = found[0]?.rawValue;
      if (text === undefined) setMessage('No QR code found in that photo. Try one closer to the label, in focus.');
      else if (follow(text)) setMessage(null);
    } catch {
      setMessage('That photo could not be read.');
    }
  }

  return (
    <section className="scanner" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        Scan a label
      </h1>
      <p className="notice">Point the camera at an equipment label’s QR code to open the item.</p>

      <div className="card">
        <video
          ref={videoRef}
          className="scanner__video"
          hidden={camera !== 'on' && camera !== 'starting'}
          muted
          playsInline
          aria-label="Camera picture"
        />
        {camera === 'on' ? (
          <p role="status">Looking for a label…</p>
        ) : camera === 'starting' ? (
          <p role="status">Starting the camera…</p>
        ) : null}
        {camera === 'refused' ? (
          <p className="notice notice--warning" role="alert">
            The camera was not allowed. Allow it for this site in the browser’s settings, or take a photo of the label, or
            type its code below.
          </p>
        ) : null}
        {camera === 'absent' ? (
          <p className="notice notice--warning" role="alert">
            No camera could be opened on this device. Take a photo of the label, or type its code below.
          </p>
        ) : null}
        <div className="button-row">
          {camera === 'on' || camera === 'starting' ? (
            <button
              className="button"
              type="button"
              onClick={() => {
                stopCamera();
                setCamera('off');
              }}
            >
              Stop the camera
            </button>
          ) : (
            <button className="button button--primary" type="button" onClick={() => void startCamera()}>
              Start the camera
            </button>
          )}
        </div>
      </div>

      <div className="card">
        <div className="field">
          <label htmlFor={`${titleId}-photo`}>Scan from a photo</label>
          <input
            id={`${titleId}-photo`}
            type="file"
            accept="image/*"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void scanPhoto(file);
            }}
          />
        </div>
      </div>

      <form
        className="card"
        aria-label="Type a label code"
        onSubmit={(event) => {
          event.preventDefault();
          setMessage(null);
          follow(typed);
        }}
      >
        <div className="field">
          <label htmlFor={`${titleId}-code`}>Label code</label>
          <input
            id={`${titleId}-code`}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="e.g. 7Q2M-K9XW-4B"
            value={typed}
            onChange={(event) => {
              setTyped(event.target.value);
            }}
          />
          <p className="field__hint">The ten characters printed under the QR code.</p>
        </div>
        <button className="button" type="submit">
          Open the item
        </button>
      </form>

      {message ? (
        <p className="notice" role="alert">
          {message}
        </p>
      ) : null}
      <p className="back-link">
        <Link to="/vessels">Or browse your vessels’ equipment</Link>
      </p>
    </section>
  );
}
