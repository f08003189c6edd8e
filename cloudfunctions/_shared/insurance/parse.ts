import type { InsuranceActions } from '../../../miniprogram/domain/insurance/contract';
import { INSURERS } from '../../../miniprogram/domain/insurance/insurers';
import { type Parsers, readPlate } from '../parse/fields';

/** Parsers of the `insurance` function's actions. */
export const insuranceParsers: Parsers<InsuranceActions> = {
  policy: (r) => ({ plate: readPlate(r), insurer: r.oneOf('insurer', INSURERS, '请选择保险公司。') }),
};
