/**
 * The `admin` function's credential check, before the event is parsed. The raw action names its access
 * (ACTION_ACCESS): `signIn` needs nothing, `bootstrapOfficer` the deployer's ADMIN_TOKEN, everything else a session
 * token (`ps_…`) or an integration key (`pk_…`), sent as the HTTP bearer or as `credential` in the event. An unknown
 * action is left for the parser to refuse, but only once the credential has passed, so a stranger learns nothing.
 */
import { DomainError } from '../../../../miniprogram/domain/core/errors';
import { hasOwn, isPlainObject } from '../../../../miniprogram/domain/core/fields';
import { nowMs } from '../../clock';
import { COLLECTIONS } from '../../collections';
import { database, getById } from '../../db';
import type { Caller } from '../../handler';
import type { OfficerDoc, OfficerSessionDoc } from '../../records';
import { ACTION_ACCESS, type ActionAccess, type Actor } from '../access';
import { adminTokenMatches, readAdminToken } from '../parse';
import { SESSION_TOKEN_PATTERN, sha256Hex } from './credentials';
import { keyFor } from './keys';
import { enrolmentSessionLive, rolesAllow, sessionLive } from './rules';

/** A police call's caller: who acts, as the credential check established it, and the session it came with. */
export interface PoliceCaller extends Caller {
  readonly actor: Actor;
  /** The officer's session (its use is written once the call succeeded, see call-audit.ts). */
  readonly session?: {
    readonly id: string;
    readonly createdAtMs: number;
    readonly lastSeenAtMs: number;
    /** The account's epoch the session was opened under (enrolment checks it has not moved on). */
    readonly epoch: number;
  };
  /** When the integration key was last used (ms), for the same once-a-minute write. */
  readonly keyLastUsedMs?: number;
}

const MAX_CREDENTIAL_LENGTH = 256;

/** `event.credential` if it is a bounded string, else null; never throws. */
export function readCredential(event: unknown): string | null {
  if (!isPlainObject(event) || !hasOwn(event, 'credential')) return null;
  const value = event['credential'];
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CREDENTIAL_LENGTH ? value : null;
}

function accessOf(event: unknown): ActionAccess | undefined {
  if (!isPlainObject(event) || !hasOwn(event, 'action')) return undefined;
  const action = event['action'];
  const table: Readonly<Record<string, ActionAccess>> = ACTION_ACCESS;
  return typeof action === 'string' && hasOwn(table, action) ? table[action] : undefined;
}

function forbidden(): DomainError {
  return new DomainError('FORBIDDEN');
}

async function officerCaller(token: string, access: ActionAccess | undefined, caller: Caller): Promise<PoliceCaller> {
  const id = sha256Hex(token);
  const session = await getById<OfficerSessionDoc>(database, COLLECTIONS.officerSessions, id);
  if (session === null) throw forbidden();
  const now = nowMs();
  const officer = await getById<OfficerDoc>(database, COLLECTIONS.officers, session.officerId);
  const enrolling = session.purpose === 'enrolment';
  // Signed out, timed out, or the account changed since (password, disable, lock): the session is over.
  if (
    session.revoked ||
    !(enrolling ? enrolmentSessionLive(session.createdAtMs, now) : sessionLive(session, now)) ||
    officer === null ||
    officer.state !== 'active' ||
    officer.epoch !== session.epoch ||
    (enrolling && officer.mustEnrol !== true)
  )
    throw new DomainError('SESSION_EXPIRED');
  // A temporary password opens the enrolment actions only, and they need that kind of session.
  if (enrolling !== (access?.entry === 'enrolment')) throw forbidden();
  if (access !== undefined && !rolesAllow(officer.roles, access)) throw forbidden();
  return {
    ...caller,
    actor: { kind: 'officer', officerId: officer._id, login: officer.login, roles: officer.roles, name: officer.name },
    session: { id, createdAtMs: session.createdAtMs, lastSeenAtMs: session.lastSeenAtMs, epoch: session.epoch },
  };
}

async function integrationCaller(key: string, access: ActionAccess | undefined, caller: Caller): Promise<PoliceCaller> {
  const doc = await keyFor(key);
  if (doc === null) throw forbidden();
  if (access !== undefined && !access.integration) throw forbidden();
  return {
    ...caller,
    actor: { kind: 'integration', keyId: doc._id, name: doc.name },
    keyLastUsedMs: doc.lastUsedAt === null ? 0 : Date.parse(doc.lastUsedAt),
  };
}

export async function authorisePolice(event: unknown, caller: Caller): Promise<PoliceCaller> {
  const access = accessOf(event);
  if (access?.entry === 'signIn') return { ...caller, actor: { kind: 'anonymous' } };
  if (access?.entry === 'bootstrap') {
    // ADMIN_TOKEN is set on this function in the cloud console (locally by the local cloud); without it, nothing passes.
    if (!adminTokenMatches(readAdminToken(event), process.env['ADMIN_TOKEN'])) throw forbidden();
    return { ...caller, actor: { kind: 'bootstrap' } };
  }
  const credential = caller.http?.bearer ?? readCredential(event);
  if (credential === null) throw forbidden();
  if (SESSION_TOKEN_PATTERN.test(credential)) return officerCaller(credential, access, caller);
  if (credential.startsWith('pk_')) return integrationCaller(credential, access, caller);
  throw forbidden();
}
