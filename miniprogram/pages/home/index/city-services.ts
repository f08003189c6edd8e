/**
 * The home page's "城市服务" section: one entry per service, in display order. Adding a service = one line here
 * (and its route in domain/routes.ts); an empty url shows the entry as "即将上线".
 */
import { ROUTES } from '../../../domain/routes';

export interface CityService {
  /** Stable: the entry's element id is `service-<key>`. */
  readonly key: string;
  readonly text: string;
  /** A TDesign icon name. */
  readonly icon: string;
  readonly url: string;
  /** Under the text; "即将上线" for entries without a url. */
  readonly description: string;
}

function entry(key: string, text: string, icon: string, url: string): CityService {
  return { key, text, icon, url, description: url === '' ? '即将上线' : '' };
}

export const CITY_SERVICES: readonly CityService[] = [
  entry('guides', '办事指南', 'book', ROUTES.guides),
  entry('offices', '网点导航', 'map-navigation', ROUTES.offices),
  entry('tow', '拖车查询', 'map-search', ROUTES.tow),
  entry('insurance', '电子保单', 'file-safety', ROUTES.insurance),
  entry('verify-certificate', '信用证明核验', 'certificate', ROUTES.verifyCertificate),
  entry('reminders', '提醒设置', 'notification', ROUTES.reminders),
  entry('move-car', '一键挪车', 'swap', ROUTES.moveCar),
  entry('facility', '设施报修', 'tools', ROUTES.faultReport),
];
