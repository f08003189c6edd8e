/** Who is calling: the WeChat account, the verified person behind it, and that person's licence — in one request. */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import type { ProcessorLicence } from '../../../miniprogram/domain/violation/eligibility';
import { COLLECTIONS } from '../collections';
import { aggregate } from '../db';
import type { DriverDoc, PersonDoc, UserDoc } from '../records';

export interface CallerRecords {
  user: UserDoc | null;
  person: PersonDoc | null;
  licence: DriverDoc | null;
}

export interface VerifiedCaller {
  openid: string;
  user: UserDoc;
  person: PersonDoc;
  licence: DriverDoc | null;
}

type Joined = UserDoc & { person?: PersonDoc[]; licence?: DriverDoc[] };

export async function loadCaller(openid: string): Promise<CallerRecords> {
  if (!openid) return { user: null, person: null, licence: null };
  const [row] = await aggregate<Joined>(COLLECTIONS.users, [
    { match: { _id: openid } },
    { lookup: { from: COLLECTIONS.people, localField: 'personId', foreignField: '_id', as: 'person' } },
    { lookup: { from: COLLECTIONS.drivers, localField: 'person.idNumber', foreignField: '_id', as: 'licence' } },
  ]);
  if (!row) return { user: null, person: null, licence: null };
  const { person, licence, ...user } = row;
  const linked = person?.[0] ?? null;
  // A person whose identity moved to another account no longer speaks for this one.
  const current = linked && linked.openid === openid ? linked : null;
  return { user, person: current, licence: current ? (licence?.[0] ?? null) : null };
}

export async function requireRegistered(openid: string): Promise<CallerRecords & { user: UserDoc }> {
  const records = await loadCaller(openid);
  if (!records.user) throw new DomainError('UNAUTHENTICATED');
  return { ...records, user: records.user };
}

export async function requireVerified(openid: string): Promise<VerifiedCaller> {
  const records = await requireRegistered(openid);
  if (!records.person) throw new DomainError('NOT_VERIFIED');
  return { openid, user: records.user, person: records.person, licence: records.licence };
}

/** The licence as eligibility sees it, with the points that count today (see licence/points.ts). */
export function processorLicence(licence: DriverDoc | null, cyclePoints: number): ProcessorLicence | null {
  return licence
    ? { class: licence.licenceClass, status: licence.status, validUntil: licence.validUntil, cyclePoints }
    : null;
}
