/**
 * Electronic insurance policies come from the insurers themselves. Each insurer is one adapter behind this port;
 * the registry below says which insurers the cloud can ask. Adding one = an adapter file + one entry in INSURER_ADAPTERS
 * (its code is already among the domain's INSURERS, which the page offers).
 */
import type { IsoDate } from '../../../miniprogram/domain/core/dates';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import type { PolicyType, InsurerCode } from '../../../miniprogram/domain/insurance/insurers';
import type { PlateType } from '../../../miniprogram/domain/vehicle/plate';
import { pingAnInsurer } from './insurer-pingan';

/** Whom the policies are asked for: the car and its owner, the insured, who is the caller. */
export interface PolicyQuery {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly ownerName: string;
  readonly ownerIdNumber: string;
}

/** A policy as an insurer answers it, before the use case masks the VIN and dates its status. */
export interface InsurerPolicy {
  readonly policyNo: string;
  readonly type: PolicyType;
  readonly startDate: IsoDate;
  readonly endDate: IsoDate;
  readonly plate: string;
  /** Unmasked; '' when the insurer sent none. */
  readonly vin: string;
  readonly model: string;
}

export interface InsurerAnswer {
  /** Empty: the insurer has no policy for this car and owner. */
  readonly policies: readonly InsurerPolicy[];
  /** The answer came from a labelled sandbox (the local cloud), not from the insurer. */
  readonly sandbox: boolean;
}

export interface InsurerPort {
  /** Throws anything on a transport or protocol failure; the use case answers INSURER_UNAVAILABLE. */
  findPolicies(query: PolicyQuery): Promise<InsurerAnswer>;
}

export const INSURER_ADAPTERS: Readonly<Partial<Record<InsurerCode, InsurerPort>>> = {
  pingan: pingAnInsurer,
};

/** The adapter for `code`, or INSURER_NOT_SUPPORTED. */
export function insurerPort(
  code: InsurerCode,
  adapters: Readonly<Partial<Record<InsurerCode, InsurerPort>>> = INSURER_ADAPTERS,
): InsurerPort {
  const port = Object.prototype.hasOwnProperty.call(adapters, code) ? adapters[code] : undefined;
  if (port === undefined) throw new DomainError('INSURER_NOT_SUPPORTED');
  return port;
}
