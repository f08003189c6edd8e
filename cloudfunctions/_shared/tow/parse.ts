import type { TowActions } from '../../../miniprogram/domain/tow/contract';
import { type Parsers, readPlate } from '../parse/fields';

/** Parsers of the `tow` function's actions. */
export const towParsers: Parsers<TowActions> = {
  query: (r) => ({ plate: readPlate(r) }),
};
