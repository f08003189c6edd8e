import {
  checkBindingQuotas,
  DRIVER_QUOTA_MESSAGE,
  MAX_OTHER_CARS_PER_DRIVER,
  MAX_OTHER_DRIVERS_PER_CAR,
  otherCarsLeft,
  otherCarsQuotaText,
  VEHICLE_QUOTA_MESSAGE,
} from '../../miniprogram/domain/vehicle/quotas';
import { ERROR_MESSAGES } from '../../miniprogram/domain/core/errors';

describe('binding quotas', () => {
  it('are 3 others\u2019 cars per driver and 3 non-owner drivers per car', () => {
    expect(MAX_OTHER_CARS_PER_DRIVER).toBe(3);
    expect(MAX_OTHER_DRIVERS_PER_CAR).toBe(3);
  });

  it.each([
    [0, 0, null],
    [2, 2, null],
    [3, 0, 'DRIVER_QUOTA_EXCEEDED'],
    [4, 0, 'DRIVER_QUOTA_EXCEEDED'],
    [0, 3, 'VEHICLE_QUOTA_EXCEEDED'],
    [2, 4, 'VEHICLE_QUOTA_EXCEEDED'],
    [3, 3, 'DRIVER_QUOTA_EXCEEDED'],
  ])('a driver with %i others\u2019 cars and a car with %i other drivers: %s', (cars, drivers, code) => {
    const refusal = checkBindingQuotas(cars, drivers);
    expect(refusal?.code ?? null).toBe(code);
    if (refusal) expect(refusal.limit).toBe(3);
  });

  it('counts what is left without going below zero', () => {
    expect([0, 1, 2, 3, 4].map(otherCarsLeft)).toEqual([3, 2, 1, 0, 0]);
  });

  it('says how many more, or that the limit is reached', () => {
    expect(otherCarsQuotaText(0)).toBe('还可绑定 3 辆非本人车辆');
    expect(otherCarsQuotaText(2)).toBe('还可绑定 1 辆非本人车辆');
    expect(otherCarsQuotaText(3)).toBe('非本人车辆已绑定 3 辆，已达上限');
  });

  it('gives the error codes their sentences from the same constants', () => {
    expect(ERROR_MESSAGES.DRIVER_QUOTA_EXCEEDED).toBe(DRIVER_QUOTA_MESSAGE);
    expect(ERROR_MESSAGES.VEHICLE_QUOTA_EXCEEDED).toBe(VEHICLE_QUOTA_MESSAGE);
    expect(DRIVER_QUOTA_MESSAGE).toContain('3 辆');
  });
});
