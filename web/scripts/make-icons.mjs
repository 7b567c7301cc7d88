// Draws the app's PNG icons (web app manifest, home screens) from the SVGs in web/icons, so
// they can be made again exactly whenever the mark changes: `npm run icons`, then commit
// web/public/icons. The output is committed so a build needs no native renderer.
import { Resvg } from '@resvg/resvg-js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(web, 'public', 'icons');

/** Each PNG: its source SVG (in web/icons) and its width in pixels. */
const ICONS = [
  { name: 'icon-192.png', source: 'icon.svg', size: 192 },
  { name: 'icon-512.png', source: 'icon.svg', size: 512 },
  // Maskable: full-bleed background, the mark inside the central safe circle (W3C manifest §
  // "icon masks"), which a launcher crops to its own shape.
  { name: 'maskable-512.png', source: 'maskable.svg', size: 512 },
  // iOS takes no manifest icons; it reads `<link rel="apple-touch-icon">` and rounds it itself.
  { name: 'apple-touch-icon-180.png', source: 'maskable.svg', size: 180 },
];

await mkdir(out, { recursive: true });
for (const icon of ICONS) {
  const svg = await readFile(path.join(web, 'icons', icon.source));
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: icon.size } }).render().asPng();
  await writeFile(path.join(out, icon.name), png);
  console.log(`icons: wrote public/icons/${icon.name} (${icon.size} px, ${png.length} bytes)`);
}
