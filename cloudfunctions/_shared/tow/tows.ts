/**
 * Tow query (拖车查询): where one of the caller's bound cars was towed. Any other plate is answered exactly like a
 * bound car with no tow, so nobody learns anything about a car that is not theirs.
 */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { COLLECTIONS } from '../collections';
import { find } from '../db';
import type { TowDoc } from '../records';
import { requireVerified } from '../account/caller';
import type { TowQueryParams, TowQueryResult } from '../../../miniprogram/domain/tow/contract';

const NO_TOW_MESSAGE = '未查询到该车辆被拖移的记录。';

export async function queryTow(openid: string, params: TowQueryParams): Promise<TowQueryResult> {
  const { person } = await requireVerified(openid);
  const binding = person.bindings.find((b) => b.plate === params.plate);
  if (!binding) throw new DomainError('NOT_FOUND', NO_TOW_MESSAGE);
  const [tow] = await find<TowDoc>(
    COLLECTIONS.tows,
    { vehicleId: binding.vehicleId, status: 'towed' },
    { orderBy: [['towedAt', 'desc']], limit: 1 },
  );
  if (!tow) throw new DomainError('NOT_FOUND', NO_TOW_MESSAGE);
  return {
    tow: {
      plate: tow.plate,
      plateType: tow.plateType,
      towedAt: tow.towedAt,
      yardName: tow.yardName,
      yardAddress: tow.yardAddress,
      latitude: tow.latitude,
      longitude: tow.longitude,
      fee: tow.fee,
      yardHours: tow.yardHours,
      yardPhone: tow.yardPhone,
    },
  };
}
