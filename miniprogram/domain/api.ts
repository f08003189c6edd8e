/**
 * The contract between the pages and the cloud functions: each feature's actions (`<feature>/contract.ts`),
 * combined function by function. Amounts are integer fen; dates `YYYY-MM-DD`; instants ISO 8601 with +08:00.
 * The police side's `admin` function is not here: the phone never calls it.
 */
import type { AccountActions } from './account/contract';
import type { CertificateActions } from './certificate/contract';
import type { ParamsOf, ResultOf } from './core/envelope';
import type { FaultActions } from './fault/contract';
import type { GuideActions } from './guide/contract';
import type { HomeActions } from './home/contract';
import type { InsuranceActions } from './insurance/contract';
import type { LicenceActions } from './licence/contract';
import type { MoveCarActions } from './move-car/contract';
import type { PaymentActions, PaymentDeskActions } from './payment/contract';
import type { ReminderActions } from './reminder/contract';
import type { TowActions } from './tow/contract';
import type { VehicleActions } from './vehicle/contract';
import type { ViolationActions } from './violation/contract';

export interface ActionMap {
  readonly user: AccountActions & LicenceActions & HomeActions;
  readonly vehicle: VehicleActions;
  readonly violation: ViolationActions & PaymentDeskActions;
  readonly payment: PaymentActions;
  readonly reminder: ReminderActions;
  readonly certificate: CertificateActions;
  readonly guide: GuideActions;
  readonly tow: TowActions;
  readonly insurance: InsuranceActions;
  readonly moveCar: MoveCarActions;
  readonly fault: FaultActions;
}

/** The functions a page calls with `{ action, ...params }`. */
export type FunctionName = keyof ActionMap;

export type ActionName<F extends FunctionName> = keyof ActionMap[F] & string;

export type ActionParams<F extends FunctionName, A extends ActionName<F>> = ParamsOf<ActionMap[F][A]>;

export type ActionResult<F extends FunctionName, A extends ActionName<F>> = ResultOf<ActionMap[F][A]>;
