/**
 * Deterministic Nanning demo data in the police system's import format (the admin import rows: docs/ARCHITECTURE.md):
 * the same seed always yields the same drivers, cars and camera violations. A handful of named demo people come
 * first so the README can point at them; the rest is generated to the requested size.
 */
import { fromDayNumber, toDayNumber } from '../../miniprogram/domain/core/dates';
import { idCheckChar } from '../../miniprogram/domain/account/id-number';
import { cityServiceBatches, type CityServiceKind } from './city-services';

export interface DriverRow {
  idNumber: string;
  name: string;
  licenceClass: string;
  firstIssueDate: string;
  validUntil: string;
  status: 'valid' | 'expired' | 'revoked' | 'suspended';
  cyclePoints: number;
  /** The registry's points include every online decision decided up to and including this instant. */
  onlinePointsThrough?: string;
}

export interface VehicleRow {
  plate: string;
  plateType: '02' | '52';
  ownerIdNumber: string;
  ownerName: string;
  inspectionDue?: string;
}

export interface ViolationRow {
  violationId: string;
  plate: string;
  plateType: '02' | '52';
  occurredAt: string;
  place: string;
  behaviour: string;
  fine: number;
  points: number;
  source: 'camera' | 'onsite';
  status: 'unprocessed' | 'processed' | 'paid';
  disputed: boolean;
  code?: string;
  lawBasis?: string;
  photos?: string[];
  /** When the bank took the fine (status paid only). */
  paidAt?: string;
}

export interface SeedSize {
  drivers: number;
  vehicles: number;
  violations: number;
}

/** Small enough to load in a second; big enough for paging and filters. */
export const DEMO_SIZE: SeedSize = { drivers: 300, vehicles: 240, violations: 600 };
/** Nanning's own numbers: 2.33 M drivers, 1.2 M small cars; 5 M violations for the benchmark. */
export const NANNING_SIZE: SeedSize = { drivers: 2_330_000, vehicles: 1_200_000, violations: 5_000_000 };

/** Nanning's district and county codes (GB/T 2260), the first six digits of a local ID number. */
const AREA_CODES = [
  '450102',
  '450103',
  '450105',
  '450107',
  '450108',
  '450109',
  '450110',
  '450123',
  '450124',
  '450125',
  '450126',
  '450181',
];
const SURNAMES = '黄李陈韦梁刘覃蒙莫农卢罗林周吴杨张王何谢蓝廖唐邓陆苏';
const GIVEN = [
  '伟',
  '芳',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '海燕',
  '志强',
  '建华',
  '丽娟',
  '桂兰',
  '春梅',
  '家豪',
  '宇航',
  '思琪',
];
const PLACES = [
  '民族大道与桃源路交叉口',
  '民族大道与青秀路交叉口',
  '友爱北路与北湖路交叉口',
  '大学东路广西大学路段',
  '朝阳路与华东路交叉口',
  '竹溪大道与长湖路交叉口',
  '五象大道五象湖公园路段',
  '东葛路与葛村路交叉口',
  '星光大道与五一路交叉口',
  '南宁快速环道安吉立交路段',
  '白沙大道与亭洪路交叉口',
  '园湖南路与中泰路交叉口',
  '南宁绕城高速那洪收费站附近',
  '金湖路与金浦路交叉口',
];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const ALNUM = `${LETTERS}0123456789`;
const GREEN_SECOND = 'DFABCEGHJK';

/**
 * Behaviours with the fine (fen) and points the rules tell apart: at and over each online limit; each with its 违法代码
 * and 法律依据 as the registry sends them (demo values in the national code table's format).
 */
const LAW = '《中华人民共和国道路交通安全法》';
const BEHAVIOURS = [
  { behaviour: '机动车违反禁止标线指示的', fine: 10_000, points: 1, code: '1345', lawBasis: `${LAW}第九十条` },
  { behaviour: '机动车违反禁令标志指示的', fine: 10_000, points: 1, code: '1352', lawBasis: `${LAW}第九十条` },
  {
    behaviour: '驾驶机动车不按规定使用安全带的',
    fine: 5_000,
    points: 1,
    code: '6011',
    lawBasis: `${LAW}第五十一条、第九十条`,
  },
  {
    behaviour: '驾驶机动车有拨打、接听手持电话等妨碍安全驾驶行为的',
    fine: 10_000,
    points: 3,
    code: '1223',
    lawBasis: `${LAW}第九十条`,
  },
  {
    behaviour: '机动车行经人行横道时未按规定减速、停车、避让行人的',
    fine: 20_000,
    points: 3,
    code: '1357',
    lawBasis: `${LAW}第四十七条、第九十条`,
  },
  {
    behaviour: '在城市道路上超过规定时速百分之二十以上未达到百分之五十的',
    fine: 20_000,
    points: 3,
    code: '1636',
    lawBasis: `${LAW}第四十二条、第九十条`,
  },
  {
    behaviour: '驾驶机动车违反道路交通信号灯通行的',
    fine: 20_000,
    points: 6,
    code: '1625',
    lawBasis: `${LAW}第三十八条、第九十条`,
  },
  {
    behaviour: '机动车在禁止停放路段停放且驾驶人不在现场的',
    fine: 15_000,
    points: 0,
    code: '1039',
    lawBasis: `${LAW}第五十六条、第九十三条`,
  },
  {
    behaviour: '驾驶机动车在高速公路应急车道内行驶的',
    fine: 20_000,
    points: 9,
    code: '4408',
    lawBasis: `${LAW}第九十条`,
  },
  {
    behaviour: '在城市道路上超过规定时速百分之五十以上的',
    fine: 150_000,
    points: 6,
    code: '1721',
    lawBasis: `${LAW}第四十二条、第九十九条`,
  },
  { behaviour: '驾驶机动车逆向行驶的', fine: 20_001, points: 3, code: '1301', lawBasis: `${LAW}第三十五条、第九十条` },
] as const;

/** Mulberry32: tiny, fast and good enough for demo data; the point is determinism, not randomness. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function makeIdNumber(area: string, birth: string, sequence: number): string {
  const first17 = `${area}${birth.replaceAll('-', '')}${pad(sequence % 1000, 3)}`;
  const check = idCheckChar(first17);
  if (!check) throw new Error(`cannot make an ID number from ${first17}`);
  return first17 + check;
}

/** The named people the README introduces; their data exercises every rule. */
export const DEMO_PEOPLE = {
  /** 李明: C1, 2 points this cycle, owns a blue and a green car with processable and non-processable violations. */
  liMing: { idNumber: makeIdNumber('450103', '1988-03-15', 21), name: '李明' },
  /** 王芳: owner of two cars others ask to drive; she approves bindings with her face. */
  wangFang: { idNumber: makeIdNumber('450102', '1979-11-02', 42), name: '王芳' },
  /** 黄伟: a driver with no car of his own; binds 王芳's car and pays for its violations. */
  huangWei: { idNumber: makeIdNumber('450107', '1995-07-30', 13), name: '黄伟' },
  /** 韦丽: 10 points this cycle, so a 3-point violation would reach 12. */
  weiLi: { idNumber: makeIdNumber('450105', '1990-01-20', 64), name: '韦丽' },
  /** 覃强: licence expired. */
  qinQiang: { idNumber: makeIdNumber('450108', '1969-05-05', 35), name: '覃强' },
} as const;

export interface SeedData {
  drivers: DriverRow[];
  vehicles: VehicleRow[];
  violations: ViolationRow[];
}

/** 李明's violations the camera's photos come with (by position in the demo rows) and how many shots each has. */
const DEMO_SHOTS: ReadonlyMap<number, number> = new Map([
  [0, 2],
  [1, 2],
  [4, 1],
  [5, 2],
]);

/** A demo violation's photos: fileIDs by violationId, once they are in cloud storage (see demoEvidence). */
export type EvidenceFileIds = ReadonlyMap<string, readonly string[]>;

export interface EvidenceShot {
  readonly plate: string;
  /** '02' small car (blue plate), '52' small new-energy car (green plate). */
  readonly plateType: '02' | '52';
  /** As the registry writes it: `YYYY-MM-DDTHH:mm:ss+08:00`. */
  readonly occurredAt: string;
  /** The camera, e.g. `45010306`. */
  readonly device: string;
  /** 1-based: a red-light camera takes the car before the stop line, then past it. */
  readonly shot: number;
  readonly shots: number;
}

/** One demo evidence photo: the violation it shows, where it goes in cloud storage, what it shows. */
export interface EvidenceFile {
  readonly violationId: string;
  readonly cloudPath: string;
  readonly shot: EvidenceShot;
}

/** The demo evidence photos to draw and upload (scripts/seed/evidence.ts), for `generate`'s fileIDs. */
export function demoEvidence(): EvidenceFile[] {
  return demoRows().violations.flatMap((row, index) => {
    const shots = DEMO_SHOTS.get(index) ?? 0;
    return Array.from({ length: shots }, (_, i) => ({
      violationId: row.violationId,
      cloudPath: `evidence/${row.violationId}/${i + 1}.png`,
      shot: {
        plate: row.plate,
        plateType: row.plateType,
        occurredAt: row.occurredAt,
        device: `4501${pad(PLACES.indexOf(row.place) + 1, 2)}${pad(index + 1, 2)}`,
        shot: i + 1,
        shots,
      },
    }));
  });
}

/**
 * The demo registry's export date: its points include every online decision made before then, which is none (the
 * app's first decision comes later), so the decisions the demo makes are added to them, never lost to a re-seed.
 */
const DEMO_POINTS_THROUGH = '2026-10-01T00:00:00+08:00';

function demoRows(): SeedData {
  const { liMing, wangFang, huangWei, weiLi, qinQiang } = DEMO_PEOPLE;
  const listed: DriverRow[] = [
    {
      ...liMing,
      licenceClass: 'C1',
      firstIssueDate: '2010-06-18',
      validUntil: '2032-06-18',
      status: 'valid',
      cyclePoints: 2,
    },
    {
      ...wangFang,
      licenceClass: 'C1',
      firstIssueDate: '2005-09-01',
      validUntil: '2035-09-01',
      status: 'valid',
      cyclePoints: 0,
    },
    {
      ...huangWei,
      licenceClass: 'C2',
      firstIssueDate: '2017-04-12',
      validUntil: '2027-01-10',
      status: 'valid',
      cyclePoints: 0,
    },
    {
      ...weiLi,
      licenceClass: 'B2',
      firstIssueDate: '2012-12-03',
      validUntil: '2030-12-03',
      status: 'valid',
      cyclePoints: 10,
    },
    {
      ...qinQiang,
      licenceClass: 'C1',
      firstIssueDate: '1996-08-08',
      validUntil: '2024-08-08',
      status: 'expired',
      cyclePoints: 0,
    },
  ];
  const drivers = listed.map((row) => ({ ...row, onlinePointsThrough: DEMO_POINTS_THROUGH }));
  const owner = (p: { idNumber: string; name: string }) => ({ ownerIdNumber: p.idNumber, ownerName: p.name });
  const vehicles: VehicleRow[] = [
    { plate: '桂A12345', plateType: '02', ...owner(liMing), inspectionDue: '2026-12-10' },
    { plate: '桂AD12345', plateType: '52', ...owner(liMing), inspectionDue: '2028-03-01' },
    { plate: '桂AB2C34', plateType: '02', ...owner(wangFang), inspectionDue: '2027-05-20' },
    { plate: '桂AF35678', plateType: '52', ...owner(wangFang), inspectionDue: '2029-09-09' },
    { plate: '桂AK6N88', plateType: '02', ...owner(weiLi), inspectionDue: '2027-02-14' },
    { plate: '桂AR7Q21', plateType: '02', ...owner(qinQiang), inspectionDue: '2026-11-30' },
  ];
  let n = 0;
  const v = (plate: string, plateType: '02' | '52', b: number, extra: Partial<ViolationRow> = {}): ViolationRow => {
    n += 1;
    const behaviour = BEHAVIOURS[b] ?? BEHAVIOURS[0];
    return {
      violationId: `4501002026${pad(n, 8)}`,
      plate,
      plateType,
      occurredAt: `2026-${pad(1 + (n % 10), 2)}-${pad(3 + n, 2)}T0${n % 10}:1${n % 6}:00+08:00`,
      place: PLACES[n % PLACES.length] ?? PLACES[0] ?? '',
      behaviour: behaviour.behaviour,
      fine: behaviour.fine,
      points: behaviour.points,
      code: behaviour.code,
      lawBasis: behaviour.lawBasis,
      source: 'camera',
      status: 'unprocessed',
      disputed: false,
      ...extra,
    };
  };
  const violations: ViolationRow[] = [
    v('桂A12345', '02', 0),
    v('桂A12345', '02', 6),
    v('桂A12345', '02', 9), // fine over 200 yuan
    v('桂A12345', '02', 10), // 200.01 yuan: one fen over
    v('桂AD12345', '52', 8), // highway emergency lane: 9 points
    v('桂AD12345', '52', 3, { disputed: true }),
    v('桂AD12345', '52', 5, { source: 'onsite' }),
    v('桂AD12345', '52', 2, { status: 'paid', paidAt: '2026-09-20T10:30:00+08:00' }), // paid at a bank, 9 days on
    v('桂AB2C34', '02', 4),
    v('桂AB2C34', '02', 7),
    v('桂AF35678', '52', 1),
    v('桂AF35678', '52', 5),
    v('桂AK6N88', '02', 3), // 10 + 3 reaches 12
    v('桂AK6N88', '02', 0),
    v('桂AR7Q21', '02', 0), // licence expired
  ];
  return { drivers, vehicles, violations };
}

function randomPlate(random: () => number, green: boolean): string {
  if (green) {
    let digits = '';
    for (let i = 0; i < 4; i += 1) digits += String(Math.floor(random() * 10));
    return `桂A${pick(random, GREEN_SECOND.split(''))}${pick(random, ALNUM.split(''))}${digits}`;
  }
  let rest = '';
  for (let i = 0; i < 5; i += 1) rest += pick(random, ALNUM.split(''));
  return `桂A${rest}`;
}

/**
 * Streams the generated data in batches (the import path takes 1000 rows a call), so Nanning-size data never
 * sits in memory at once. Demo people come first, then generated ones; the same seed yields the same rows.
 */
export function* generate(
  size: SeedSize,
  batchSize = 1000,
  seed = 20261124,
  evidence: EvidenceFileIds = new Map(),
): Generator<{ kind: keyof SeedData | CityServiceKind; rows: unknown[] }> {
  const demo = demoRows();
  yield { kind: 'drivers', rows: demo.drivers };
  yield { kind: 'vehicles', rows: demo.vehicles };
  // photos only where they were uploaded: without storage (a test's registry) the rows go in without them
  const withPhotos = (row: ViolationRow): ViolationRow => {
    const photos = evidence.get(row.violationId);
    return photos === undefined ? row : { ...row, photos: [...photos] };
  };
  yield { kind: 'violations', rows: demo.violations.map(withPhotos) };
  // offices, guides and the demo tow: small, so every size has them
  yield* cityServiceBatches();

  const random = prng(seed);
  const extraDrivers = Math.max(0, size.drivers - demo.drivers.length);
  // Owners are the first drivers; their ID numbers are re-derived from the index so nothing needs remembering.
  // Injective in i (sequence = i mod 1000, then area, then birth date), so 2.33 M drivers never share an ID number.
  const driverAt = (i: number): DriverRow => {
    const r = prng(seed + i * 7919);
    const rest = Math.floor(i / 1000);
    const area = AREA_CODES[rest % AREA_CODES.length] ?? '450102';
    const born = fromDayNumber(toDayNumber('1960-01-01') + Math.floor(rest / AREA_CODES.length) * 83);
    const [year, month, bornDay] = born.split('-').map(Number) as [number, number, number];
    const day = Math.min(bornDay, 28); // anniversaries of 29 February do not exist in most years
    const idNumber = makeIdNumber(area, born, i % 1000);
    const firstYear = Math.min(2025, Math.max(year + 18, 1990) + Math.floor(r() * 10));
    const roll = r();
    return {
      idNumber,
      name: `${pick(r, SURNAMES.split(''))}${pick(r, GIVEN)}`,
      licenceClass: roll < 0.8 ? 'C1' : roll < 0.9 ? 'C2' : roll < 0.95 ? 'B2' : roll < 0.98 ? 'A1' : 'D',
      firstIssueDate: `${firstYear}-${pad(month, 2)}-${pad(day, 2)}`,
      validUntil: `${2026 + Math.floor(r() * 10)}-${pad(month, 2)}-${pad(day, 2)}`,
      status: roll < 0.97 ? 'valid' : roll < 0.99 ? 'suspended' : 'revoked',
      cyclePoints: pick(r, [0, 0, 0, 0, 1, 2, 3, 3, 6, 9]),
    };
  };
  let rows: DriverRow[] = [];
  for (let i = 0; i < extraDrivers; i += 1) {
    rows.push(driverAt(i));
    if (rows.length === batchSize) {
      yield { kind: 'drivers', rows };
      rows = [];
    }
  }
  if (rows.length) yield { kind: 'drivers', rows };

  const extraVehicles = Math.max(0, size.vehicles - demo.vehicles.length);
  const plates: Array<{ plate: string; plateType: '02' | '52' }> = [];
  const seen = new Set(demo.vehicles.map((row) => row.plate));
  let vehicleRows: VehicleRow[] = [];
  const keepPlates = size.violations > 0;
  for (let i = 0; i < extraVehicles; i += 1) {
    const green = random() < 0.25;
    let plate = randomPlate(random, green);
    while (seen.has(plate)) plate = randomPlate(random, green);
    seen.add(plate);
    const plateType = green ? '52' : '02';
    if (keepPlates) plates.push({ plate, plateType });
    const owner = driverAt(Math.floor(random() * Math.max(1, extraDrivers)));
    vehicleRows.push({
      plate,
      plateType,
      ownerIdNumber: owner.idNumber,
      ownerName: owner.name,
      inspectionDue: `${2026 + Math.floor(random() * 3)}-${pad(1 + Math.floor(random() * 12), 2)}-15`,
    });
    if (vehicleRows.length === batchSize) {
      yield { kind: 'vehicles', rows: vehicleRows };
      vehicleRows = [];
    }
  }
  if (vehicleRows.length) yield { kind: 'vehicles', rows: vehicleRows };
  seen.clear();

  const extraViolations = plates.length ? Math.max(0, size.violations - demo.violations.length) : 0;
  let violationRows: ViolationRow[] = [];
  for (let i = 0; i < extraViolations; i += 1) {
    const car = plates[Math.floor(random() * plates.length)] ?? { plate: '桂A12345', plateType: '02' as const };
    const behaviour = pick(random, BEHAVIOURS);
    const statusRoll = random();
    const at = Date.UTC(2025, 0, 1) + Math.floor(random() * 690 * 86_400_000);
    violationRows.push({
      violationId: `4501002025${pad(i + 1, 8)}`,
      plate: car.plate,
      plateType: car.plateType,
      occurredAt: new Date(at).toISOString(),
      place: pick(random, PLACES),
      behaviour: behaviour.behaviour,
      fine: behaviour.fine,
      points: behaviour.points,
      code: behaviour.code,
      lawBasis: behaviour.lawBasis,
      source: random() < 0.95 ? 'camera' : 'onsite',
      status: statusRoll < 0.6 ? 'unprocessed' : statusRoll < 0.7 ? 'processed' : 'paid',
      disputed: random() < 0.02,
    });
    if (violationRows.length === batchSize) {
      yield { kind: 'violations', rows: violationRows };
      violationRows = [];
    }
  }
  if (violationRows.length) yield { kind: 'violations', rows: violationRows };
}
