/**
 * Integration keys: what the police registry's own systems use to push imports. The key `pk_<keyId>_<secret>` is
 * shown once; only the secret's sha256 is kept (a 256-bit random secret needs no slow hash). Rotating replaces the
 * secret at once; revoking ends the key for good.
 */
import { DomainError } from '../../../../miniprogram/domain/core/errors';
import { nowIso } from '../../clock';
import { COLLECTIONS } from '../../collections';
import { database, find, getById, setById, updateById } from '../../db';
import type { IntegrationKeyDoc } from '../../records';
import { inTransaction } from '../../transaction';
import { actorLabel, type Actor } from '../access';
import type { IntegrationKeyItem, IntegrationKeyListResult, NewIntegrationKeyResult } from './contract';
import { INTEGRATION_KEY_PATTERN, integrationKeyOf, newKeyId, newKeySecret, sameHash, sha256Hex } from './credentials';

const NOT_FOUND_MESSAGE = '没有这个接入密钥。';
const LIST_LIMIT = 1000;

function itemOf(doc: IntegrationKeyDoc): IntegrationKeyItem {
  return {
    keyId: doc._id,
    name: doc.name,
    state: doc.state,
    createdAt: doc.createdAt,
    rotatedAt: doc.rotatedAt,
    lastUsedAt: doc.lastUsedAt,
  };
}

export async function createIntegrationKey(name: string, actor: Actor): Promise<NewIntegrationKeyResult> {
  const keyId = newKeyId();
  const secret = newKeySecret();
  const doc: IntegrationKeyDoc = {
    _id: keyId,
    name,
    secretHash: sha256Hex(secret),
    state: 'active',
    createdAt: nowIso(),
    createdBy: actorLabel(actor),
    rotatedAt: null,
    lastUsedAt: null,
  };
  await setById(database, COLLECTIONS.integrationKeys, keyId, doc);
  return { key: integrationKeyOf(keyId, secret), item: itemOf(doc) };
}

export async function rotateIntegrationKey(keyId: string): Promise<NewIntegrationKeyResult> {
  const secret = newKeySecret();
  const doc = await inTransaction(async (tx) => {
    const current = await getById<IntegrationKeyDoc>(tx, COLLECTIONS.integrationKeys, keyId);
    if (current === null) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
    if (current.state !== 'active') throw new DomainError('INVALID_TRANSITION', '已吊销的密钥不能更换。');
    const patch = { secretHash: sha256Hex(secret), rotatedAt: nowIso() };
    await updateById(tx, COLLECTIONS.integrationKeys, keyId, patch);
    return { ...current, ...patch };
  });
  return { key: integrationKeyOf(keyId, secret), item: itemOf(doc) };
}

export async function revokeIntegrationKey(keyId: string): Promise<IntegrationKeyItem> {
  return inTransaction(async (tx) => {
    const current = await getById<IntegrationKeyDoc>(tx, COLLECTIONS.integrationKeys, keyId);
    if (current === null) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
    if (current.state !== 'active') throw new DomainError('INVALID_TRANSITION', '这个密钥已经吊销。');
    await updateById(tx, COLLECTIONS.integrationKeys, keyId, { state: 'revoked' });
    return itemOf({ ...current, state: 'revoked' });
  });
}

export async function listIntegrationKeys(): Promise<IntegrationKeyListResult> {
  const docs = await find<IntegrationKeyDoc>(
    COLLECTIONS.integrationKeys,
    {},
    { orderBy: [['_id', 'asc']], limit: LIST_LIMIT },
  );
  return { keys: docs.map(itemOf) };
}

/** The active key a credential names, or null (unknown, revoked, rotated away, or malformed). */
export async function keyFor(credential: string): Promise<IntegrationKeyDoc | null> {
  const match = INTEGRATION_KEY_PATTERN.exec(credential);
  if (match === null) return null;
  const [, keyId = '', secret = ''] = match;
  const doc = await getById<IntegrationKeyDoc>(database, COLLECTIONS.integrationKeys, keyId);
  if (doc === null || doc.state !== 'active' || !sameHash(doc.secretHash, sha256Hex(secret))) return null;
  return doc;
}
