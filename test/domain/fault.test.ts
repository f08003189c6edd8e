import { ACTIONS, parseEvent } from '../../cloudfunctions/_shared/parse/event';
import { DomainError } from '../../miniprogram/domain/core/errors';
import {
  type FaultState,
  type FaultStatus,
  transitionFault,
  FAULT_STATUSES,
  FAULT_TRANSITIONS,
  canTransition,
  photoKindOf,
  cloudPathOf,
  isInUploadDir,
  checkPhoto,
  MAX_PHOTO_BYTES,
  isInNanning,
} from '../../miniprogram/domain/fault/fault';

const ctx = { today: '2026-11-24' };
const SUBMITTED: FaultState = {
  status: 'submitted',
  note: '',
  history: [{ status: 'submitted', at: '2026-11-24T01:00:00.000Z', note: '' }],
};

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

function stateIn(status: FaultStatus): FaultState {
  return { status, note: '', history: [{ status, at: '2026-11-24T01:00:00.000Z', note: '' }] };
}

describe('fault report state machine', () => {
  const allowed: Array<[FaultStatus, FaultStatus]> = [
    ['submitted', 'accepted'],
    ['submitted', 'rejected'],
    ['accepted', 'fixed'],
    ['accepted', 'rejected'],
  ];

  it.each(allowed)('%s → %s is allowed and recorded in the history with the note', (from, to) => {
    const next = transitionFault(stateIn(from), to, '  已派维修班组  ', '2026-11-24T02:00:00.000Z');
    expect(next.status).toBe(to);
    expect(next.note).toBe('已派维修班组');
    expect(next.history).toEqual([
      { status: from, at: '2026-11-24T01:00:00.000Z', note: '' },
      { status: to, at: '2026-11-24T02:00:00.000Z', note: '已派维修班组' },
    ]);
  });

  const refused = FAULT_STATUSES.flatMap((from) =>
    FAULT_STATUSES.map((to): [FaultStatus, FaultStatus] => [from, to]),
  ).filter(([from, to]) => !allowed.some(([a, b]) => a === from && b === to));

  it.each(refused)('%s → %s is refused with INVALID_TRANSITION, nothing changed', (from, to) => {
    const state = stateIn(from);
    const error = thrown(() => transitionFault(state, to, '说明', '2026-11-24T02:00:00.000Z'));
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details?.reasons).toEqual([`${from}->${to}`]);
    expect(state.history).toHaveLength(1);
  });

  it('exactly 4 transitions exist; fixed and rejected are final', () => {
    expect(refused).toHaveLength(16 - 4);
    expect(FAULT_TRANSITIONS.fixed).toEqual([]);
    expect(FAULT_TRANSITIONS.rejected).toEqual([]);
    expect(canTransition('submitted', 'fixed')).toBe(false);
    expect(thrown(() => transitionFault(stateIn('fixed'), 'rejected', 'x', 't')).message).toContain('已办结');
    expect(thrown(() => transitionFault(SUBMITTED, 'fixed', '', 't')).message).toContain('只能变更为：已受理、未受理');
  });

  it('a rejection must say why; an acceptance may say nothing', () => {
    expect(thrown(() => transitionFault(SUBMITTED, 'rejected', '   ', 't'))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'note' },
    });
    expect(transitionFault(SUBMITTED, 'accepted', '', 't').note).toBe('');
  });
});

describe('photos', () => {
  const jpeg = [0xff, 0xd8, 0xff, 0xe0, 0, 0x10];
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d];
  const webp = Array.from(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '));
  const gif = Array.from(Buffer.from('GIF89a'));

  it('knows JPEG, PNG and WebP by their first bytes, nothing else', () => {
    expect(photoKindOf(jpeg)).toBe('jpeg');
    expect(photoKindOf(png)).toBe('png');
    expect(photoKindOf(webp)).toBe('webp');
    for (const other of [
      gif,
      [],
      [0xff, 0xd8],
      png.slice(0, 7),
      Array.from(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE')),
      Array.from(Buffer.from('<html>')),
    ]) {
      expect(photoKindOf(other)).toBeNull();
    }
  });

  it('takes the cloud path out of a fileID; paths that could mean another folder are no path', () => {
    expect(cloudPathOf('cloud://local.6c6f-local-1300000000/fault-uploads/k/1.jpg')).toBe('fault-uploads/k/1.jpg');
    for (const bad of [
      'fault-uploads/k/1.jpg',
      'cloud://env/',
      'cloud://env/a//b.jpg',
      'cloud://env/a/../b.jpg',
      'cloud://env/./a.jpg',
      'https://x/a.jpg',
    ]) {
      expect(cloudPathOf(bad)).toBeNull();
    }
  });

  it('a photo is the user’s only directly inside their folder', () => {
    const dir = 'fault-uploads/abc/';
    expect(isInUploadDir('cloud://e.b/fault-uploads/abc/1.jpg', dir)).toBe(true);
    expect(isInUploadDir('cloud://e.b/fault-uploads/abcd/1.jpg', dir)).toBe(false);
    expect(isInUploadDir('cloud://e.b/fault-uploads/abc/', dir)).toBe(false);
    expect(isInUploadDir('cloud://e.b/fault-uploads/abc/x/1.jpg', dir)).toBe(false);
    expect(isInUploadDir('cloud://e.b/fault-uploads/abc/../xyz/1.jpg', dir)).toBe(false);
    expect(isInUploadDir('cloud://e.b/licences/fault-uploads/abc/1.jpg', dir)).toBe(false);
  });

  it('checks whose, there, size (5 MB is fine, a byte more is not), then the bytes', () => {
    const dir = 'fault-uploads/abc/';
    const mine = 'cloud://e.b/fault-uploads/abc/1.jpg';
    expect(checkPhoto({ fileID: 'cloud://e.b/fault-uploads/other/1.jpg', bytes: jpeg }, dir)).toBe('PHOTO_NOT_OWNED');
    expect(checkPhoto({ fileID: mine, bytes: null }, dir)).toBe('PHOTO_NOT_FOUND');
    const atLimit = new Uint8Array(MAX_PHOTO_BYTES);
    atLimit.set(jpeg);
    expect(checkPhoto({ fileID: mine, bytes: atLimit }, dir)).toBeNull();
    const over = new Uint8Array(MAX_PHOTO_BYTES + 1);
    over.set(jpeg);
    expect(checkPhoto({ fileID: mine, bytes: over }, dir)).toBe('PHOTO_TOO_LARGE');
    expect(checkPhoto({ fileID: mine, bytes: gif }, dir)).toBe('PHOTO_TYPE_NOT_ALLOWED');
    expect(checkPhoto({ fileID: mine, bytes: [] }, dir)).toBe('PHOTO_TYPE_NOT_ALLOWED');
  });
});

describe('fault events', () => {
  const event = {
    action: 'submit',
    type: 'signal',
    latitude: 22.8154,
    longitude: 108.3921,
    name: '民族大道与竹溪大道交叉口',
    address: '南宁市青秀区民族大道',
    description: '东向西方向红灯不亮',
    fileIDs: ['cloud://e.b/fault-uploads/abc/1.jpg'],
  };

  function parseError(fn: 'fault' | 'admin', e: unknown): DomainError {
    return thrown(() => parseEvent(fn, e, ctx));
  }

  it('has its actions and the police’s', () => {
    expect(ACTIONS.fault).toEqual(['uploadTarget', 'submit', 'list', 'detail']);
    expect(ACTIONS.admin).toEqual(expect.arrayContaining(['listFaults', 'updateFault']));
  });

  it('submit: type, a point in Nanning, a description, up to 3 distinct photos (none is fine)', () => {
    const { action: _action, ...params } = event;
    expect(parseEvent('fault', event, ctx)).toEqual({ action: 'submit', params });
    expect(parseEvent('fault', { ...event, fileIDs: [], name: '', address: undefined }, ctx).params).toEqual({
      type: 'signal',
      latitude: 22.8154,
      longitude: 108.3921,
      description: '东向西方向红灯不亮',
      fileIDs: [],
    });
  });

  it('submit: refuses a 4th photo, the same photo twice, something not a fileID, an unknown type, a place outside Nanning', () => {
    const four = Array.from({ length: 4 }, (_, i) => `cloud://e.b/fault-uploads/abc/${i}.jpg`);
    expect(parseError('fault', { ...event, fileIDs: four })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '最多上传 3 张照片。',
      details: { field: 'fileIDs', limit: 3 },
    });
    expect(parseError('fault', { ...event, fileIDs: [event.fileIDs[0], event.fileIDs[0]] })).toMatchObject({
      details: { field: 'fileIDs[1]' },
    });
    expect(parseError('fault', { ...event, fileIDs: ['/tmp/a.jpg'] })).toMatchObject({
      details: { field: 'fileIDs[0]' },
    });
    expect(parseError('fault', { ...event, type: 'pothole' })).toMatchObject({ message: '请选择设施类型。' });
    expect(parseError('fault', { ...event, latitude: 23.13, longitude: 113.26 }).message).toContain(
      '只受理南宁市范围内',
    );
    expect(parseError('fault', { ...event, latitude: 108.3921, longitude: 22.8154 })).toMatchObject({
      details: { field: 'latitude' },
    });
    expect(parseError('fault', { ...event, description: '  ' })).toMatchObject({ details: { field: 'description' } });
    expect(parseError('fault', { ...event, description: '坏'.repeat(201) }).message).toBe('问题描述最多 200 个字。');
    expect(isInNanning({ latitude: 22.8154, longitude: 108.3921 })).toBe(true);
  });

  it('admin: list by an optional status; update with a status and an optional note', () => {
    expect(parseEvent('admin', { action: 'listFaults', status: 'submitted' }, ctx).params).toEqual({
      status: 'submitted',
    });
    expect(parseEvent('admin', { action: 'listFaults', status: 'accepted', limit: 5 }, ctx).params).toEqual({
      status: 'accepted',
      limit: 5,
    });
    // no status: every status (the console's 全部)
    expect(parseEvent('admin', { action: 'listFaults' }, ctx).params).toEqual({});
    expect(parseError('admin', { action: 'listFaults', status: 'done' })).toMatchObject({
      details: { field: 'status' },
    });
    expect(parseError('admin', { action: 'listFaults', status: 'submitted', limit: 101 })).toMatchObject({
      details: { field: 'limit' },
    });
    expect(
      parseEvent('admin', { action: 'updateFault', reportId: 'r1', status: 'fixed', note: '已更换灯组' }, ctx).params,
    ).toEqual({ reportId: 'r1', status: 'fixed', note: '已更换灯组' });
    expect(parseError('admin', { action: 'updateFault', reportId: 'r1', status: 'done' })).toMatchObject({
      message: '不支持的报障状态。',
    });
  });
});
