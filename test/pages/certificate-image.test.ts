// The certificate image's layout (pure) and its replay on a canvas 2d context, without a canvas.
import {
  certificateImage,
  drawCertificateImage,
  IMAGE_WIDTH,
  textWidth,
  wrapText,
  type Canvas2D,
  type DrawOp,
} from '../../miniprogram/pages/certificate/detail/image';
import { certificate, SNAPSHOT } from './fixtures';

type TextOp = Extract<DrawOp, { op: 'text' }>;

function texts(ops: readonly DrawOp[]): TextOp[] {
  return ops.filter((op): op is TextOp => op.op === 'text');
}

describe('certificate image layout', () => {
  it('says everything the certificate says, number and code included, top to bottom', () => {
    const image = certificateImage(certificate('XY2025100800001234'));
    const lines = texts(image.ops).map((t) => t.text);
    for (const expected of [
      '驾驶人信用证明',
      '状态：有效',
      '张*',
      '450***********123X',
      'C1',
      '正常',
      '2025-06-01 至 2026-05-31',
      '6 分',
      '1 笔，共 ¥206.00',
      '近 12 个月共 3 起',
      '1 起 · 记 6 分',
      'XY2025100800001234',
      'ABCD-EFGH-JKMN',
    ]) {
      expect(lines).toContain(expected);
    }
    expect(lines.some((l) => l.includes('有效期至 2025-11-07 10:00'))).toBe(true);
    const number = texts(image.ops).find((t) => t.text === 'XY2025100800001234');
    const code = texts(image.ops).find((t) => t.text === 'ABCD-EFGH-JKMN');
    expect(code?.size).toBeGreaterThan(number?.size ?? 0);
    expect(code?.y).toBeGreaterThan(number?.y ?? 0);
  });

  it('keeps every text inside the image, and a label never runs into its value', () => {
    const image = certificateImage(certificate('XY2025100800001234'));
    expect(image.width).toBe(IMAGE_WIDTH);
    const spans = texts(image.ops).map((t) => {
      const width = textWidth(t.text, t.size);
      const left = t.align === 'left' ? t.x : t.align === 'right' ? t.x - width : t.x - width / 2;
      return { t, left, right: left + width };
    });
    for (const { t, left, right } of spans) {
      expect(left).toBeGreaterThanOrEqual(0);
      expect(right).toBeLessThanOrEqual(image.width);
      expect(t.y).toBeGreaterThan(0);
      expect(t.y).toBeLessThan(image.height);
    }
    for (const a of spans) {
      for (const b of spans) {
        if (a === b || a.t.y !== b.t.y || a.left > b.left) continue;
        expect(a.right).toBeLessThanOrEqual(b.left);
      }
    }
  });

  it('wraps a long behaviour under itself and grows the image; no violations says so', () => {
    const long =
      '驾驶机动车在高速公路、城市快速路以外的道路上不按规定车道行驶且超过规定时速百分之二十以上未达到百分之五十的';
    const short = certificateImage(certificate('XY2025100800001234'));
    const wrapped = certificateImage(
      certificate('XY2025100800001234', {
        snapshot: {
          ...SNAPSHOT,
          violationsByKind: [{ behaviour: long, count: 1, points: 6 }, ...SNAPSHOT.violationsByKind],
        },
      }),
    );
    const behaviourLines = texts(wrapped.ops).filter((t) => t.text.length > 1 && long.includes(t.text));
    expect(behaviourLines.length).toBeGreaterThan(1);
    expect(behaviourLines.map((t) => t.text).join('')).toBe(long);
    // continuation lines start under the text, not under the bullet
    expect(new Set(behaviourLines.map((t) => t.x)).size).toBe(1);
    expect(wrapped.height).toBeGreaterThan(short.height);

    const clean = certificateImage(
      certificate('XY2025100800001234', {
        snapshot: { ...SNAPSHOT, violationsByKind: [], violationCount: 0, unpaidCount: 0, unpaidAmount: 0 },
      }),
    );
    const lines = texts(clean.ops).map((t) => t.text);
    expect(lines).toContain('近 12 个月无违法记录');
    expect(lines).toContain('无');
  });

  it('shows the points from other channels when there are some, and says which records it covers; an old certificate without them still draws', () => {
    const lines = (snapshot: typeof SNAPSHOT) =>
      texts(certificateImage(certificate('XY2025100800001234', { snapshot })).ops).map((t) => t.text);
    const withOther = lines({ ...SNAPSHOT, otherPoints: 3 });
    expect(withOther).toContain('其中：其他渠道记分');
    expect(withOther).toContain('3 分');
    expect(withOther.indexOf('其中：其他渠道记分')).toBe(withOther.indexOf('本周期记分') + 2);
    expect(withOther.join('')).toContain(
      '违法记录和未缴罚款仅含在本小程序处理的违法；本周期记分含在窗口、现场等其他渠道处理的记分。',
    );
    expect(lines({ ...SNAPSHOT, otherPoints: 0 })).not.toContain('其中：其他渠道记分');
    // SNAPSHOT has no otherPoints: a certificate issued before the field existed
    expect(lines(SNAPSHOT)).not.toContain('其中：其他渠道记分');
    expect(lines(SNAPSHOT)).toContain('6 分');
  });

  it('colours the status: revoked is red, expired orange', () => {
    const status = (s: 'expired' | 'revoked') =>
      texts(certificateImage(certificate('XY2025100800001234', { status: s })).ops).find((t) =>
        t.text.startsWith('状态'),
      );
    expect(status('revoked')).toMatchObject({ text: '状态：已撤销', color: '#d54941' });
    expect(status('expired')).toMatchObject({ text: '状态：已过期', color: '#e37318' });
  });

  it('wrapText: by character, never an empty result, a line that fits stays whole', () => {
    expect(wrapText('', 26, 100)).toEqual(['']);
    expect(wrapText('一二三', 26, 78)).toEqual(['一二三']);
    expect(wrapText('一二三四', 26, 78)).toEqual(['一二三', '四']);
    // a character wider than the line still goes somewhere
    expect(wrapText('一二', 26, 10)).toEqual(['一', '二']);
    // closing punctuation hangs at the end of a line rather than starting the next
    expect(wrapText('一二三。四', 26, 78)).toEqual(['一二三。', '四']);
    expect(textWidth('AB', 20)).toBeCloseTo(22);
  });
});

describe('drawing on a canvas 2d context', () => {
  it('replays the layout: scale, background, then each op with its font, colour and alignment', () => {
    const calls: unknown[][] = [];
    const seen: { font: string; fill: unknown; align: string }[] = [];
    const ctx: Canvas2D = {
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 0,
      font: '',
      textAlign: '',
      textBaseline: '',
      fillRect: (...a) => void calls.push(['fillRect', ...a]),
      fillText(...a) {
        calls.push(['fillText', ...a]);
        seen.push({ font: this.font, fill: this.fillStyle, align: this.textAlign });
      },
      beginPath: () => void calls.push(['beginPath']),
      moveTo: (...a) => void calls.push(['moveTo', ...a]),
      lineTo: (...a) => void calls.push(['lineTo', ...a]),
      stroke: () => void calls.push(['stroke']),
      scale: (...a) => void calls.push(['scale', ...a]),
    };
    const image = {
      width: 100,
      height: 80,
      background: '#ffffff',
      ops: [
        { op: 'rect', x: 0, y: 0, width: 100, height: 20, color: '#0052d9' },
        { op: 'line', x1: 0, y1: 30, x2: 100, y2: 30, color: '#e7e7e7' },
        { op: 'text', text: '核验码', x: 90, y: 50, size: 24, bold: true, color: '#000000', align: 'right' },
      ] as const,
    };
    drawCertificateImage(ctx, image, 2);
    expect(calls).toEqual([
      ['scale', 2, 2],
      ['fillRect', 0, 0, 100, 80],
      ['fillRect', 0, 0, 100, 20],
      ['beginPath'],
      ['moveTo', 0, 30],
      ['lineTo', 100, 30],
      ['stroke'],
      ['fillText', '核验码', 90, 50],
    ]);
    expect(seen).toEqual([{ font: 'bold 24px sans-serif', fill: '#000000', align: 'right' }]);
    expect(ctx.strokeStyle).toBe('#e7e7e7');
  });
});
