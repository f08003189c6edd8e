import type { LicenceActions } from '../../../miniprogram/domain/licence/contract';
import type { Parsers } from '../parse/fields';

/** Parsers of the `user` function's licence actions. */
export const licenceParsers: Parsers<LicenceActions> = {
  points: () => ({}),
  licence: () => ({}),
};
