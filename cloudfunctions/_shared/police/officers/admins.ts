/**
 * The logins of the active administrators, on one document with a fixed id: every change that can make or unmake an
 * administrator reads and writes it in its transaction, so two admins disabling each other cannot both succeed, and
 * the bootstrap secret opens only while the list is empty.
 */
import { COLLECTIONS } from '../../collections';
import { getById, setById, type Scope, type StoredDoc } from '../../db';
import type { Tx } from '../../transaction';
import type { PoliceRole } from '../access';
import { activeAdminsAfter, type OfficerState } from './rules';

const ADMINS_ID = 'police-admins';

interface AdminsDoc extends StoredDoc {
  logins: string[];
}

export async function activeAdmins(scope: Scope): Promise<string[]> {
  const doc = await getById<AdminsDoc>(scope, COLLECTIONS.counters, ADMINS_ID);
  return doc?.logins ?? [];
}

/** The list once `login` has these roles and this state. */
export async function adminsAfter(
  tx: Tx,
  login: string,
  after: { readonly roles: readonly PoliceRole[]; readonly state: OfficerState },
): Promise<string[]> {
  return activeAdminsAfter(await activeAdmins(tx), login, after);
}

export async function saveAdmins(tx: Tx, logins: string[]): Promise<void> {
  await setById(tx, COLLECTIONS.counters, ADMINS_ID, { logins });
}
