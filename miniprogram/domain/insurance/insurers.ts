/** Insurers, policy types and states, and how a VIN is shown. */

import { type IsoDate, compareIsoDates } from '../core/dates';

/** Insurers a driver may choose; which of them the cloud can ask is the insurer port's registry (server side). */
export const INSURERS = ['pingan', 'picc', 'cpic', 'chinalife', 'ccic', 'taiping', 'sunshine'] as const;

export type InsurerCode = (typeof INSURERS)[number];

export const INSURER_NAMES: Readonly<Record<InsurerCode, string>> = {
  pingan: '平安保险',
  picc: '中国人保财险',
  cpic: '太平洋保险',
  chinalife: '中国人寿财险',
  ccic: '中华联合保险',
  taiping: '太平财险',
  sunshine: '阳光保险',
};

export const POLICY_TYPES = ['compulsory', 'commercial'] as const;

export type PolicyType = (typeof POLICY_TYPES)[number];

export const POLICY_TYPE_NAMES: Readonly<Record<PolicyType, string>> = {
  compulsory: '交强险',
  commercial: '商业险',
};

export type PolicyStatus = 'pending' | 'active' | 'expired';

export const POLICY_STATUS_NAMES: Readonly<Record<PolicyStatus, string>> = {
  pending: '未生效',
  active: '保障中',
  expired: '已过期',
};

/** A policy covers its start and end dates inclusive. */
export function policyStatus(startDate: IsoDate, endDate: IsoDate, today: IsoDate): PolicyStatus {
  if (compareIsoDates(today, startDate) < 0) return 'pending';
  return compareIsoDates(today, endDate) > 0 ? 'expired' : 'active';
}

/** A VIN (ISO 3779: 17 of A–Z and 0–9 without I, O, Q). */
const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** `LSV**********1234`: the maker's code and the last 4, enough to recognise one's car; '' for anything not a VIN. */
export function maskVin(vin: string): string {
  const text = vin.trim().toUpperCase();
  if (!VIN_PATTERN.test(text)) return '';
  return `${text.slice(0, 3)}${'*'.repeat(10)}${text.slice(13)}`;
}
