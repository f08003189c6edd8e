/** The seed's demo evidence: real PNGs drawn in Node, some of 李明's violations with photos and the rest without. */
import { inflateSync } from 'node:zlib';
import { parseEvent } from '../../cloudfunctions/_shared/parse/event';
import { evidencePhoto } from '../../scripts/seed/evidence';
import { DEMO_SIZE, demoEvidence, generate, type ViolationRow } from '../../scripts/seed/nanning';

function demoViolations(evidence?: ReadonlyMap<string, readonly string[]>): ViolationRow[] {
  for (const batch of generate(DEMO_SIZE, 1000, undefined, evidence))
    if (batch.kind === 'violations') return batch.rows as ViolationRow[];
  throw new Error('no violations');
}

describe('demo evidence photos', () => {
  it('are 640×400 truecolour PNGs whose pixels inflate, the same bytes every time', () => {
    const shot = {
      plate: '桂AD12345',
      plateType: '52',
      occurredAt: '2026-03-05T08:12:00+08:00',
      device: '45010306',
      shot: 1,
      shots: 2,
    } as const;
    const png = evidencePhoto(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([640, 400, 8, 2]);
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength))).toHaveLength((640 * 3 + 1) * 400);
    expect(evidencePhoto(shot).equals(png)).toBe(true);
    expect(evidencePhoto({ ...shot, shot: 2 }).equals(png)).toBe(false);
  });

  it('go with some of 李明’s violations only, and only once uploaded', () => {
    const files = demoEvidence();
    const ids = [...new Set(files.map((f) => f.violationId))];
    const rows = demoViolations();
    const liMing = rows.filter((r) => r.plate === '桂A12345' || r.plate === '桂AD12345');
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(liMing.length);
    for (const id of ids) expect(liMing.map((r) => r.violationId)).toContain(id);
    for (const file of files) expect(file.cloudPath).toMatch(/^evidence\/\d+\/[1-3]\.png$/);
    // without storage no row claims a photo; every row carries its code and legal basis
    expect(rows.filter((r) => r.photos !== undefined)).toEqual([]);
    for (const row of rows) {
      expect(row.code).toMatch(/^\d{4,5}$/);
      expect(row.lawBasis).toMatch(/^《中华人民共和国道路交通安全法》第/);
    }

    const fileIds = new Map(ids.map((id) => [id, [`cloud://env.bucket/evidence/${id}/1.png`]]));
    const withPhotos = demoViolations(fileIds);
    expect(withPhotos.filter((r) => r.photos !== undefined).map((r) => r.violationId)).toEqual(ids);
    // and the import takes every one of them
    const parsed = parseEvent('admin', { action: 'importViolations', rows: withPhotos }, { today: '2026-12-31' });
    if (parsed.action !== 'importViolations') throw new Error('wrong action');
    expect(parsed.params.errors).toEqual([]);
  });
});
