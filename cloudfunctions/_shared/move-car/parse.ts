import type { MoveCarActions } from '../../../miniprogram/domain/move-car/contract';
import { MOVE_CAR_PLACE_MAX, MOVE_CAR_REPLIES } from '../../../miniprogram/domain/move-car/move-car';
import { type Parsers, readPlate, OPAQUE_ID, FILE_ID } from '../parse/fields';

/** Parsers of the `moveCar` function's actions. */
export const moveCarParsers: Parsers<MoveCarActions> = {
  request: (r) => {
    const place = r.optionalString('place', {
      max: MOVE_CAR_PLACE_MAX,
      message: `所在位置最多 ${MOVE_CAR_PLACE_MAX} 个字。`,
    });
    return { plate: readPlate(r), ...(place === undefined ? {} : { place }) };
  },
  mine: () => ({}),
  status: (r) => ({ requestId: r.string('requestId', OPAQUE_ID) }),
  incoming: () => ({}),
  answer: (r) => ({
    requestId: r.string('requestId', OPAQUE_ID),
    reply: r.oneOf('reply', MOVE_CAR_REPLIES, '请选择回复内容。'),
  }),
  recognisePlate: (r) => ({ fileID: r.string('fileID', FILE_ID) }),
};
