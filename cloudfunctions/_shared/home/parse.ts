import type { HomeActions } from '../../../miniprogram/domain/home/contract';
import type { Parsers } from '../parse/fields';

/** Parsers of the `user` function's home action. */
export const homeParsers: Parsers<HomeActions> = {
  home: () => ({}),
};
