import type { AccountActions } from '../../../miniprogram/domain/account/contract';
import { PERSON_NAME } from '../../../miniprogram/domain/account/person-name';
import { type Parsers, readIdNumber, VERIFY_ID } from '../parse/fields';

/** Parsers of the `user` function's account actions. */
export const accountParsers: Parsers<AccountActions> = {
  register: () => ({}),
  profile: () => ({}),
  startFaceVerify: (r, ctx) => ({
    name: r.string('name', PERSON_NAME),
    idNumber: readIdNumber(r, 'idNumber', ctx),
    purpose: r.oneOf('purpose', ['real-person'] as const),
  }),
  confirmFaceVerify: (r) => ({ verifyId: r.string('verifyId', VERIFY_ID) }),
};
