/** Parsers of the `certificate` function's actions. */

import { CERTIFICATE_NUMBER_PATTERN } from '../../../miniprogram/domain/certificate/certificate';
import type { CertificateActions } from '../../../miniprogram/domain/certificate/contract';
import type { StringRule } from '../../../miniprogram/domain/core/fields';
import type { Parsers } from '../parse/fields';

/** `outTradeNo`: WeChat Pay allows ≤ 32 of [0-9A-Za-z_-]. */
/** Driver-credit certificate numbers. */
const CERTIFICATE_NUMBER: StringRule = {
  max: 18,
  pattern: CERTIFICATE_NUMBER_PATTERN,
  message: '证明编号应为 XY 开头的 18 位编号。',
};

export const certificateParsers: Parsers<CertificateActions> = {
  issue: () => ({}),
  list: () => ({}),
  detail: (r) => ({ number: r.string('number', CERTIFICATE_NUMBER) }),
  revoke: (r) => ({ number: r.string('number', CERTIFICATE_NUMBER) }),
  // Any bounded text is passed on as typed: a malformed code is answered like a wrong one and counted as one.
  verify: (r) => ({ number: r.string('number', CERTIFICATE_NUMBER), code: r.string('code', { max: 32 }) }),
};
