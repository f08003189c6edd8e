/**
 * The user's location and the map, for the office and tow pages. Neither ever rejects: a refusal or a failure is an
 * answer the page words for the user.
 */
import { isValidCoordinates, type Coordinates } from '../domain/core/geo';

export type LocationOutcome =
  | { readonly ok: true; readonly location: Coordinates }
  /** denied: the user (or WeChat's privacy settings) said no; unavailable: no fix, positioning off, anything else. */
  | { readonly ok: false; readonly reason: 'denied' | 'unavailable' };

function errMsg(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { errMsg?: unknown }).errMsg === 'string'
    ? (error as { errMsg: string }).errMsg
    : '';
}

/** wx.getLocation in GCJ-02 (what the offices' coordinates and wx.openLocation use). */
export function currentLocation(): Promise<LocationOutcome> {
  return new Promise((resolve) => {
    try {
      wx.getLocation({
        type: 'gcj02',
        success: (res) => {
          const location = { latitude: res.latitude, longitude: res.longitude };
          resolve(isValidCoordinates(location) ? { ok: true, location } : { ok: false, reason: 'unavailable' });
        },
        fail: (error: unknown) =>
          resolve({
            ok: false,
            reason: /auth|den(y|ied)|privacy|permission/i.test(errMsg(error)) ? 'denied' : 'unavailable',
          }),
      });
    } catch {
      // a host without the API (an old base library, the browser preview) is "unavailable", never a crash
      resolve({ ok: false, reason: 'unavailable' });
    }
  });
}

export interface MapPlace extends Coordinates {
  readonly name: string;
  readonly address: string;
}

/** Opens WeChat's map at `place` (navigation from there); resolves false when it could not be opened. */
export function openMap(place: MapPlace): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      wx.openLocation({
        latitude: place.latitude,
        longitude: place.longitude,
        name: place.name,
        address: place.address,
        scale: 16,
        success: () => resolve(true),
        fail: () => resolve(false),
      });
    } catch {
      resolve(false);
    }
  });
}

/** Opens the mini program's settings so a user who refused location can allow it; true when it is allowed now. */
export function askLocationPermission(): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      wx.openSetting({
        success: (res) => resolve(res.authSetting['scope.userLocation'] === true),
        fail: () => resolve(false),
      });
    } catch {
      resolve(false);
    }
  });
}

export type PickOutcome =
  | { readonly ok: true; readonly place: MapPlace }
  /** cancelled: the user closed the map; denied/unavailable as for currentLocation. */
  | { readonly ok: false; readonly reason: 'cancelled' | 'denied' | 'unavailable' };

/** wx.chooseLocation: the user picks a place on WeChat's map (GCJ-02, with its name and address). Never rejects. */
export function pickPlace(near?: Coordinates): Promise<PickOutcome> {
  return new Promise((resolve) => {
    try {
      wx.chooseLocation({
        ...(near === undefined ? {} : { latitude: near.latitude, longitude: near.longitude }),
        success: (res) => {
          // Read as possibly missing, whatever the typings promise.
          const named: { name?: string; address?: string } = res;
          const place = {
            latitude: res.latitude,
            longitude: res.longitude,
            name: named.name ?? '',
            address: named.address ?? '',
          };
          resolve(isValidCoordinates(place) ? { ok: true, place } : { ok: false, reason: 'unavailable' });
        },
        fail: (error: unknown) => {
          const text = errMsg(error);
          resolve({
            ok: false,
            reason: /cancel/i.test(text)
              ? 'cancelled'
              : /auth|den(y|ied)|privacy|permission/i.test(text)
                ? 'denied'
                : 'unavailable',
          });
        },
      });
    } catch {
      resolve({ ok: false, reason: 'unavailable' });
    }
  });
}
