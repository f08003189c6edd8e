/**
 * Distances for the office list: great-circle (haversine) distance between two GCJ-02 points, its wording, and the
 * office order — nearest first when the user's location is known, by name in pinyin order when not.
 * GCJ-02 is what wx.getLocation({ type: 'gcj02' }) gives and wx.openLocation takes; its offset from WGS-84 is a few
 * hundred metres at most and the same for nearby points, so distances between two GCJ-02 points are good to metres.
 */

export interface Coordinates {
  readonly latitude: number;
  readonly longitude: number;
}

/** The mean Earth radius (IUGG), in metres. */
export const EARTH_RADIUS_METRES = 6_371_008.8;

/** Mainland China's extent, roughly: GCJ-02 is defined only there, and a swapped latitude/longitude falls outside. */
const CHINA_BOUNDS = { minLatitude: 3.8, maxLatitude: 53.6, minLongitude: 73.4, maxLongitude: 135.1 } as const;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Finite latitude in [-90, 90] and longitude in [-180, 180]. */
export function isValidCoordinates(value: unknown): value is Coordinates {
  if (typeof value !== 'object' || value === null) return false;
  const { latitude, longitude } = value as { latitude?: unknown; longitude?: unknown };
  return (
    isFiniteNumber(latitude) && isFiniteNumber(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180
  );
}

export function isInChina(point: Coordinates): boolean {
  return (
    isValidCoordinates(point) &&
    point.latitude >= CHINA_BOUNDS.minLatitude &&
    point.latitude <= CHINA_BOUNDS.maxLatitude &&
    point.longitude >= CHINA_BOUNDS.minLongitude &&
    point.longitude <= CHINA_BOUNDS.maxLongitude
  );
}

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in metres (haversine), or null when either point is malformed. */
export function distanceMetres(a: Coordinates, b: Coordinates): number | null {
  if (!isValidCoordinates(a) || !isValidCoordinates(b)) return null;
  const dLat = toRadians(b.latitude - a.latitude);
  const dLng = toRadians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLng / 2) ** 2;
  // min(1, …): rounding can push h a hair over 1 for antipodal points, and asin(>1) is NaN
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `850 米` under a kilometre (to 10 m), `3.2 公里` under 100 km, `125 公里` beyond; '' for null. */
export function formatDistance(metres: number | null): string {
  if (metres === null || !Number.isFinite(metres) || metres < 0) return '';
  const tens = Math.round(metres / 10) * 10;
  if (tens < 1000) return `${tens} 米`;
  const km = Math.round(metres / 100) / 10;
  if (km < 100) return `${km.toFixed(1)} 公里`;
  return `${Math.round(metres / 1000)} 公里`;
}

export interface Placed extends Coordinates {
  readonly name: string;
}

export interface WithDistance<T> {
  readonly item: T;
  /** Metres from the origin; null without an origin or when the item's coordinates are malformed. */
  readonly distance: number | null;
}

/**
 * Nearest first from `origin` (ties, and items whose coordinates are malformed — those last — by name); by name
 * alone when there is no origin. `compareNames` is the pinyin collation on the server (the caller passes it, so the
 * domain holds no locale data); stable for equal names.
 */
export function sortByDistance<T extends Placed>(
  items: readonly T[],
  origin: Coordinates | null,
  compareNames: (a: string, b: string) => number,
): WithDistance<T>[] {
  const from = origin !== null && isValidCoordinates(origin) ? origin : null;
  const measured = items.map((item, index) => ({
    item,
    index,
    distance: from === null ? null : distanceMetres(from, item),
  }));
  measured.sort((a, b) => {
    if (a.distance !== null && b.distance !== null && a.distance !== b.distance) return a.distance - b.distance;
    if (a.distance === null && b.distance !== null) return 1;
    if (a.distance !== null && b.distance === null) return -1;
    return compareNames(a.item.name, b.item.name) || a.index - b.index;
  });
  return measured.map(({ item, distance }) => ({ item, distance }));
}
