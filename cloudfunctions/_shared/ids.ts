import { createHash, randomBytes } from 'node:crypto';

/**
 * A person's key in the app's own records: derived from the ID number so it is stable across WeChat accounts
 * (bindings go with the person), without writing the ID number itself into every record that refers to them.
 */
export function personIdOf(idNumber: string): string {
  return `P${createHash('sha256').update(`gui-a-person:${idNumber}`).digest('hex').slice(0, 31)}`;
}

/** A random document id (32 hex characters, the cloud's own format). */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** A stable short key for a long external id (verifyIds may be 256 characters of any base64). */
export function keyOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
