/**
 * Demo evidence photos: a camera frame drawn in Node — the road, the car from behind with its plate (blue for small
 * cars, green for new-energy ones) boxed in red, and the camera's caption of time, plate and device — written as a
 * PNG with zlib alone, so the seed needs no image library. Deterministic: the same violation yields the same bytes.
 */
import { deflateSync } from 'node:zlib';
import type { EvidenceFile, EvidenceShot } from './nanning';

const WIDTH = 640;
const HEIGHT = 400;

type Rgb = readonly [number, number, number];

class Canvas {
  readonly pixels = Buffer.alloc(WIDTH * HEIGHT * 3);

  fill(x0: number, y0: number, w: number, h: number, color: Rgb, alpha = 1): void {
    const x1 = Math.min(WIDTH, Math.round(x0 + w));
    const y1 = Math.min(HEIGHT, Math.round(y0 + h));
    for (let y = Math.max(0, Math.round(y0)); y < y1; y += 1) {
      for (let x = Math.max(0, Math.round(x0)); x < x1; x += 1) {
        const i = (y * WIDTH + x) * 3;
        for (let c = 0; c < 3; c += 1) {
          const old = this.pixels[i + c] ?? 0;
          this.pixels[i + c] = Math.round(old * (1 - alpha) + (color[c] ?? 0) * alpha);
        }
      }
    }
  }

  frame(x: number, y: number, w: number, h: number, color: Rgb, width: number): void {
    this.fill(x, y, w, width, color);
    this.fill(x, y + h - width, w, width, color);
    this.fill(x, y, width, h, color);
    this.fill(x + w - width, y, width, h, color);
  }

  /** Text in the bitmap font at `scale` pixels a dot; returns the x after the last glyph. */
  text(x: number, y: number, text: string, color: Rgb, scale: number): number {
    let at = x;
    for (const ch of text) {
      const glyph = GLYPHS[ch] ?? GLYPHS[' '] ?? [];
      glyph.forEach((row, r) => {
        for (let c = 0; c < row.length; c += 1)
          if (row[c] === '#') this.fill(at + c * scale, y + r * scale, scale, scale, color);
      });
      const width = glyph[0]?.length ?? 5;
      // the Chinese glyph is drawn on an 11-dot grid and stands as tall as the 7-dot letters
      at += (width + 1) * scale;
    }
    return at;
  }
}

function textWidth(text: string, scale: number): number {
  let width = 0;
  for (const ch of text) width += ((GLYPHS[ch]?.[0]?.length ?? 5) + 1) * scale;
  return width - scale;
}

/** A 5×7 font for the caption and the plate, and 桂 (the province on every Guangxi plate). */
const GLYPHS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries({
    '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
    '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
    '2': '.###. #...# ....# ...#. ..#.. .#... #####',
    '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
    '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
    '5': '##### #.... ####. ....# ....# #...# .###.',
    '6': '..##. .#... #.... ####. #...# #...# .###.',
    '7': '##### ....# ...#. ..#.. .#... .#... .#...',
    '8': '.###. #...# #...# .###. #...# #...# .###.',
    '9': '.###. #...# #...# .#### ....# ...#. .##..',
    A: '.###. #...# #...# ##### #...# #...# #...#',
    B: '####. #...# #...# ####. #...# #...# ####.',
    C: '.###. #...# #.... #.... #.... #...# .###.',
    D: '###.. #..#. #...# #...# #...# #..#. ###..',
    E: '##### #.... #.... ####. #.... #.... #####',
    F: '##### #.... #.... ####. #.... #.... #....',
    G: '.###. #...# #.... #.### #...# #...# .####',
    H: '#...# #...# #...# ##### #...# #...# #...#',
    J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
    K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
    L: '#.... #.... #.... #.... #.... #.... #####',
    M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
    N: '#...# #...# ##..# #.#.# #..## #...# #...#',
    P: '####. #...# #...# ####. #.... #.... #....',
    Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
    R: '####. #...# #...# ####. #.#.. #..#. #...#',
    S: '.#### #.... #.... .###. ....# ....# ####.',
    T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
    U: '#...# #...# #...# #...# #...# #...# .###.',
    V: '#...# #...# #...# #...# #...# .#.#. ..#..',
    W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
    X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
    Y: '#...# #...# #...# .#.#. ..#.. ..#.. ..#..',
    Z: '##### ....# ...#. ..#.. .#... #.... #####',
    '-': '..... ..... ..... ##### ..... ..... .....',
    ':': '..... .##.. .##.. ..... .##.. .##.. .....',
    '/': '....# ...#. ...#. ..#.. .#... .#... #....',
    '·': '..... ..... ..... .##.. .##.. ..... .....',
    ' ': '..... ..... ..... ..... ..... ..... .....',
  }).map(([ch, rows]) => [ch, rows.split(' ')] as const),
);

// 桂 on 11×11 dots; drawn at 7/11 of the letters' scale it is as tall as they are (see plateText)
const GUI = [
  '..#.....#..',
  '..#....###.',
  '..#.....#..',
  '#####...#..',
  '.###..#####',
  '#.#.#...#..',
  '..#.....#..',
  '..#....###.',
  '..#.....#..',
  '..#.....#..',
  '..#...#####',
];

/** A plate as it is drawn: 桂 scaled to the letters' height, then the rest with a middle dot after the city letter. */
function plateText(canvas: Canvas, x: number, y: number, plate: string, color: Rgb, scale: number): number {
  const dot = (scale * 7) / 11;
  GUI.forEach((row, r) => {
    for (let c = 0; c < row.length; c += 1)
      if (row[c] === '#') canvas.fill(x + c * dot, y + r * dot, dot + 0.5, dot + 0.5, color);
  });
  const rest = plate.slice(1);
  return canvas.text(x + 12 * dot, y, `${rest.slice(0, 1)}·${rest.slice(1)}`, color, scale);
}

function plateWidth(plate: string, scale: number): number {
  const dot = (scale * 7) / 11;
  const rest = plate.slice(1);
  return 12 * dot + textWidth(`${rest.slice(0, 1)}·${rest.slice(1)}`, scale);
}

const CAR_COLOURS: readonly Rgb[] = [
  [236, 236, 236],
  [40, 44, 52],
  [150, 24, 30],
  [168, 172, 178],
];

/** One frame of the camera as PNG bytes. */
export function evidencePhoto(s: EvidenceShot): Buffer {
  const canvas = new Canvas();
  // the street beyond, then the road with its lane markings
  for (let y = 0; y < 150; y += 1) canvas.fill(0, y, WIDTH, 1, [120 + y / 3, 140 + y / 4, 160 + y / 5]);
  canvas.fill(0, 110, WIDTH, 40, [78, 98, 84]);
  for (let y = 150; y < HEIGHT; y += 1)
    canvas.fill(0, y, WIDTH, 1, [70 + (y - 150) / 10, 72 + (y - 150) / 10, 76 + (y - 150) / 10]);
  for (let y = 150; y < HEIGHT; y += 34) {
    const spread = (y - 150) * 0.9;
    canvas.fill(WIDTH / 2 - 150 - spread, y, 6 + (y - 150) / 40, 18, [230, 230, 230]);
    canvas.fill(WIDTH / 2 + 150 + spread, y, 6 + (y - 150) / 40, 18, [230, 230, 230]);
  }
  // the stop line: ahead of the car in the first shot, behind it in the next
  canvas.fill(0, s.shot === 1 ? 190 : 330, WIDTH, 8, [240, 240, 240]);
  // the signal, red
  canvas.fill(560, 40, 40, 100, [24, 24, 24]);
  canvas.fill(568, 50, 24, 24, [230, 40, 40]);
  canvas.fill(568, 80, 24, 24, [60, 60, 60]);
  canvas.fill(568, 110, 24, 24, [60, 60, 60]);

  // the car from behind: nearer (bigger, lower) in the first shot
  const near = s.shot === 1;
  const scale = near ? 1.25 : 0.9;
  const carW = 230 * scale;
  const carH = 130 * scale;
  const carX = (WIDTH - carW) / 2 + (near ? -20 : 30);
  const carY = near ? 170 : 200 - carH / 2;
  const body = CAR_COLOURS[s.plate.charCodeAt(s.plate.length - 1) % CAR_COLOURS.length] ?? [236, 236, 236];
  canvas.fill(carX + 20 * scale, carY, carW - 40 * scale, 45 * scale, [50, 60, 70]);
  canvas.fill(carX + 26 * scale, carY + 6 * scale, carW - 52 * scale, 36 * scale, [110, 130, 150]);
  canvas.fill(carX, carY + 45 * scale, carW, carH - 55 * scale, body);
  canvas.fill(carX + 8 * scale, carY + 55 * scale, 36 * scale, 14 * scale, [200, 30, 30]);
  canvas.fill(carX + carW - 44 * scale, carY + 55 * scale, 36 * scale, 14 * scale, [200, 30, 30]);
  canvas.fill(carX + 10 * scale, carY + carH - 10 * scale, 40 * scale, 14 * scale, [20, 20, 20]);
  canvas.fill(carX + carW - 50 * scale, carY + carH - 10 * scale, 40 * scale, 14 * scale, [20, 20, 20]);

  // the plate, boxed in red as the camera marks what it read
  const green = s.plateType === '52';
  const letters = near ? 3 : 2;
  const textW = plateWidth(s.plate, letters);
  const plateW = textW + 8 * letters;
  const plateH = 7 * letters + 6 * letters;
  const plateX = carX + (carW - plateW) / 2;
  const plateY = carY + 80 * scale;
  if (green) {
    for (let y = 0; y < plateH; y += 1) canvas.fill(plateX, plateY + y, plateW, 1, [245 - y * 2, 252 - y, 245 - y * 5]);
  } else {
    canvas.fill(plateX, plateY, plateW, plateH, [22, 72, 190]);
  }
  canvas.frame(plateX, plateY, plateW, plateH, green ? [40, 40, 40] : [235, 235, 235], 1);
  plateText(
    canvas,
    plateX + 4 * letters,
    plateY + 3 * letters,
    s.plate,
    green ? [20, 20, 20] : [250, 250, 250],
    letters,
  );
  canvas.frame(plateX - 8, plateY - 8, plateW + 16, plateH + 16, [240, 30, 30], 3);

  // the caption the camera burns in: time, plate, device and shot
  canvas.fill(0, 0, WIDTH, 56, [0, 0, 0], 0.6);
  const when = `${s.occurredAt.slice(0, 10)} ${s.occurredAt.slice(11, 19)}`;
  canvas.text(12, 8, when, [255, 255, 255], 2);
  const shot = `${s.shot}/${s.shots}`;
  canvas.text(WIDTH - 12 - textWidth(shot, 2), 8, shot, [255, 220, 0], 2);
  const after = plateText(canvas, 12, 32, s.plate, [255, 255, 255], 2);
  canvas.text(after + 24, 32, `DEV ${s.device}`, [255, 255, 255], 2);
  return png(canvas.pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGB pixels, row by row, as an 8-bit truecolour PNG (every row unfiltered). */
function png(pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y += 1) pixels.copy(rows, y * (WIDTH * 3 + 1) + 1, y * WIDTH * 3, (y + 1) * WIDTH * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Draws a demo file and writes it into the local cloud's storage as the police system would (no user behind it). */
export function uploadEvidence(baseUrl: string): (file: EvidenceFile) => Promise<string> {
  return async (file) => {
    const reply = await fetch(`${baseUrl}/storage/upload?cloudPath=${encodeURIComponent(file.cloudPath)}`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: Uint8Array.from(evidencePhoto(file.shot)),
    });
    const body = (await reply.json()) as { fileID?: string };
    if (!reply.ok || !body.fileID) throw new Error(`evidence upload of ${file.cloudPath} answered ${reply.status}`);
    return body.fileID;
  };
}
