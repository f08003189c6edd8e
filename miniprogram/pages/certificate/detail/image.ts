/**
 * The certificate as an image: `certificateImage` lays it out (pure: every text, line and box with its position, in
 * image pixels), `drawCertificateImage` replays that on a canvas 2d context. No wx here, so both are unit-tested.
 */
import type { CertificateDetail } from '../../../domain/certificate/contract';
import { certificateHeader, snapshotView } from '../snapshot';

export const IMAGE_WIDTH = 750;
const MARGIN = 48;
const RIGHT = IMAGE_WIDTH - MARGIN;
const ROW_HEIGHT = 60;
const BRAND = '#0052d9';
const INK = 'rgba(0, 0, 0, 0.9)';
const MUTED = 'rgba(0, 0, 0, 0.55)';
const RULE = '#e7e7e7';
const STATUS_COLOUR = { success: '#2ba471', warning: '#e37318', danger: '#d54941' } as const;

export type DrawOp =
  | {
      readonly op: 'rect';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly color: string;
    }
  | {
      readonly op: 'line';
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly color: string;
    }
  | {
      readonly op: 'text';
      readonly text: string;
      /** The baseline's left, right or centre point, as `align` says. */
      readonly x: number;
      readonly y: number;
      readonly size: number;
      readonly bold: boolean;
      readonly color: string;
      readonly align: 'left' | 'right' | 'center';
    };

export interface CertificateImage {
  readonly width: number;
  readonly height: number;
  readonly background: string;
  readonly ops: readonly DrawOp[];
}

/** Approximate width of `text` at `size` px: CJK and full-width characters are square, the rest about half. */
export function textWidth(text: string, size: number): number {
  let width = 0;
  for (const ch of Array.from(text)) width += (ch.codePointAt(0) ?? 0) > 0x2e80 ? size : size * 0.55;
  return width;
}

/** Punctuation a Chinese line never starts with (避头): it hangs at the end of the line before instead. */
const NO_LINE_START = '，。、；：！？）》」』”’…,.;:!?)';

/** `text` broken into lines no wider than `maxWidth` (by character: Chinese has no spaces to break at). */
export function wrapText(text: string, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of Array.from(text)) {
    if (line !== '' && textWidth(line + ch, size) > maxWidth && NO_LINE_START.indexOf(ch) < 0) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

function text(
  t: string,
  x: number,
  y: number,
  size: number,
  color: string,
  align: 'left' | 'right' | 'center' = 'left',
  bold = false,
): DrawOp {
  return { op: 'text', text: t, x, y, size, bold, color, align };
}

function rule(y: number): DrawOp {
  return { op: 'line', x1: MARGIN, y1: y, x2: RIGHT, y2: y, color: RULE };
}

export function certificateImage(cert: CertificateDetail): CertificateImage {
  const header = certificateHeader(cert);
  const view = snapshotView(cert.snapshot);
  const ops: DrawOp[] = [
    { op: 'rect', x: 0, y: 0, width: IMAGE_WIDTH, height: 168, color: BRAND },
    text('驾驶人信用证明', IMAGE_WIDTH / 2, 84, 44, '#ffffff', 'center', true),
    text('南宁市公安局交通警察支队 · 桂A交管', IMAGE_WIDTH / 2, 136, 24, 'rgba(255, 255, 255, 0.85)', 'center'),
    text(`状态：${header.status}`, MARGIN, 232, 32, STATUS_COLOUR[header.statusTheme], 'left', true),
    text(`签发 ${header.issuedAt}`, RIGHT, 232, 24, MUTED, 'right'),
  ];
  let y = 264;
  ops.push(rule(y));
  for (const row of view.rows) {
    ops.push(text(row.label, MARGIN, y + 40, 26, MUTED), text(row.value, RIGHT, y + 40, 28, INK, 'right'));
    y += ROW_HEIGHT;
    ops.push(rule(y));
  }

  y += 56;
  ops.push(text(view.violations, MARGIN, y, 28, INK, 'left', true));
  y += 12;
  // the count column takes the right 220 px; a long behaviour wraps under itself, after the bullet
  const bullet = textWidth('· ', 26);
  const behaviourWidth = RIGHT - MARGIN - 220 - bullet;
  for (const kind of view.kinds) {
    const lines = wrapText(kind.behaviour, 26, behaviourWidth);
    ops.push(text('·', MARGIN, y + 40, 26, INK), text(kind.text, RIGHT, y + 40, 26, INK, 'right'));
    lines.forEach((line, i) => ops.push(text(line, MARGIN + bullet, y + 40 + i * 36, 26, INK)));
    y += 40 + (lines.length - 1) * 36 + 8;
  }

  y += 32;
  ops.push(rule(y));
  ops.push(text('证明编号', MARGIN, y + 52, 26, MUTED), text(cert.number, RIGHT, y + 52, 34, INK, 'right', true));
  y += 80;
  ops.push(text('核验码', MARGIN, y + 56, 26, MUTED), text(cert.code, RIGHT, y + 56, 48, BRAND, 'right', true));
  y += 96;
  ops.push(rule(y));

  y += 20;
  const notes = [
    `有效期至 ${header.expiresAt}（签发后 30 日内有效）。`,
    '核验方法：微信搜索小程序“桂A交管”，进入“信用证明核验”，输入证明编号和核验码。',
    view.note,
    '本证明由驾驶人本人申请，内容为签发时的记录，以核验结果为准。',
  ];
  for (const note of notes) {
    for (const line of wrapText(note, 22, RIGHT - MARGIN)) {
      y += 34;
      ops.push(text(line, MARGIN, y, 22, MUTED));
    }
  }
  return { width: IMAGE_WIDTH, height: y + MARGIN, background: '#ffffff', ops };
}

/** The part of a canvas 2d context (WeChat's `canvas.getContext('2d')`, the browser's) the drawing uses. */
export interface Canvas2D {
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, width: number, height: number): void;
  fillText(text: string, x: number, y: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  scale(x: number, y: number): void;
}

/** Replays `image` on `ctx`; `scale` = canvas pixels per image pixel. */
export function drawCertificateImage(ctx: Canvas2D, image: CertificateImage, scale = 1): void {
  ctx.scale(scale, scale);
  ctx.fillStyle = image.background;
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.textBaseline = 'alphabetic';
  ctx.lineWidth = 1;
  for (const op of image.ops) {
    if (op.op === 'rect') {
      ctx.fillStyle = op.color;
      ctx.fillRect(op.x, op.y, op.width, op.height);
    } else if (op.op === 'line') {
      ctx.strokeStyle = op.color;
      ctx.beginPath();
      ctx.moveTo(op.x1, op.y1);
      ctx.lineTo(op.x2, op.y2);
      ctx.stroke();
    } else {
      ctx.fillStyle = op.color;
      ctx.font = `${op.bold ? 'bold ' : ''}${op.size}px sans-serif`;
      ctx.textAlign = op.align;
      ctx.fillText(op.text, op.x, op.y);
    }
  }
}
