/**
 * Nanning's seven city districts as simplified outlines (GCJ-02, a few vertices each, neighbours sharing their
 * vertices), and the rule that places a fault report in one of them. The outlines are coarse on purpose: they sort
 * reports for the facility team and draw the console's map, and are never shown as official boundaries.
 */
import { isValidCoordinates, type Coordinates } from '../core/geo';

export const FAULT_DISTRICTS = [
  'xingning',
  'qingxiu',
  'jiangnan',
  'xixiangtang',
  'liangqing',
  'yongning',
  'wuming',
  'outlying',
] as const;
export type FaultDistrict = (typeof FAULT_DISTRICTS)[number];

export const FAULT_DISTRICT_NAMES: Readonly<Record<FaultDistrict, string>> = {
  xingning: '兴宁区',
  qingxiu: '青秀区',
  jiangnan: '江南区',
  xixiangtang: '西乡塘区',
  liangqing: '良庆区',
  yongning: '邕宁区',
  wuming: '武鸣区',
  outlying: '县及县级市',
};

/** [longitude, latitude] */
export type LonLat = readonly [number, number];

// Shared vertices, so two outlines never overlap nor leave a gap between them.
const RIVER_W: LonLat = [107.95, 22.79];
const RIVER_1: LonLat = [108.15, 22.8];
const RIVER_2: LonLat = [108.25, 22.815];
const CENTRE: LonLat = [108.318, 22.812];
const RIVER_3: LonLat = [108.345, 22.805];
const RIVER_4: LonLat = [108.42, 22.78];
const RIVER_E: LonLat = [108.5, 22.77];
const EAST_RIVER: LonLat = [108.75, 22.72];
const NORTH_W: LonLat = [107.95, 23.05];
const NORTH_1: LonLat = [108.318, 23.05];
const NORTH_2: LonLat = [108.45, 23.05];
const NORTH_E: LonLat = [108.6, 23.05];
const XINGNING_E1: LonLat = [108.42, 22.9];
const XINGNING_E2: LonLat = [108.345, 22.86];
const SOUTH_1: LonLat = [108.3, 22.65];
const SOUTH_2: LonLat = [108.28, 22.45];
const SOUTH_E: LonLat = [108.5, 22.45];

/** The outlines, each a closed ring (the last vertex joins the first). */
export const DISTRICT_OUTLINES: Readonly<Record<Exclude<FaultDistrict, 'outlying'>, readonly LonLat[]>> = {
  xixiangtang: [NORTH_W, NORTH_1, CENTRE, RIVER_2, RIVER_1, RIVER_W],
  xingning: [NORTH_1, NORTH_2, XINGNING_E1, XINGNING_E2, RIVER_3, CENTRE],
  qingxiu: [NORTH_2, NORTH_E, [108.75, 22.9], EAST_RIVER, RIVER_E, RIVER_4, RIVER_3, XINGNING_E2, XINGNING_E1],
  jiangnan: [RIVER_W, RIVER_1, RIVER_2, CENTRE, RIVER_3, SOUTH_1, SOUTH_2, [107.95, 22.45]],
  liangqing: [RIVER_3, RIVER_4, RIVER_E, SOUTH_E, SOUTH_2, SOUTH_1],
  yongning: [RIVER_E, EAST_RIVER, [108.75, 22.45], SOUTH_E],
  wuming: [[107.95, 23.45], [108.55, 23.45], NORTH_E, NORTH_2, NORTH_1, NORTH_W],
};

/** The box the outlines fill: what the console's map shows. */
export const DISTRICT_BOUNDS = { west: 107.95, east: 108.75, south: 22.45, north: 23.45 } as const;

/** Even-odd ray casting: a point on a shared edge belongs to whichever outline is tried first. */
function inRing(point: LonLat, ring: readonly LonLat[]): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i] ?? [0, 0];
    const [xj, yj] = ring[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The district a point lies in; `outlying` outside the seven outlines (the counties) or for malformed coordinates. */
export function districtOf(point: Coordinates): FaultDistrict {
  if (!isValidCoordinates(point)) return 'outlying';
  const at: LonLat = [point.longitude, point.latitude];
  for (const district of FAULT_DISTRICTS) {
    if (district === 'outlying') continue;
    if (inRing(at, DISTRICT_OUTLINES[district])) return district;
  }
  return 'outlying';
}
