import { PERSON_NAME } from '../../../miniprogram/domain/account/person-name';
import type { VehicleActions } from '../../../miniprogram/domain/vehicle/contract';
import { type Parsers, readPlateWithType, OPAQUE_ID, VERIFY_ID, readPlate } from '../parse/fields';

/** Parsers of the `vehicle` function's actions. */
export const vehicleParsers: Parsers<VehicleActions> = {
  list: () => ({}),
  screen: () => ({}),
  bindOwn: (r) => readPlateWithType(r),
  ownCars: () => ({}),
  requestBinding: (r) => ({ ...readPlateWithType(r), ownerName: r.string('ownerName', PERSON_NAME) }),
  listRequests: () => ({}),
  startAuthorize: (r) => ({ requestId: r.string('requestId', OPAQUE_ID) }),
  approve: (r) => ({ requestId: r.string('requestId', OPAQUE_ID), verifyId: r.string('verifyId', VERIFY_ID) }),
  reject: (r) => ({ requestId: r.string('requestId', OPAQUE_ID) }),
  unbind: (r) => ({ plate: readPlate(r) }),
  revoke: (r) => ({ plate: readPlate(r), bindingId: r.string('bindingId', OPAQUE_ID) }),
};
