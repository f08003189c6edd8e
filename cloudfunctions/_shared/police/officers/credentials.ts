/**
 * The secrets of the police side: password hashes (scrypt, a random salt each, the parameters kept with the hash),
 * session tokens and integration keys (random, kept only as sha256), and TOTP codes (RFC 6238, 30 s, 6 digits).
 */
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import {
  passwordProblem,
  TEMPORARY_PASSWORD_ALPHABET,
  TEMPORARY_PASSWORD_GROUP_LENGTH,
  TEMPORARY_PASSWORD_GROUPS,
  temporaryPasswordOf,
} from './rules';

const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checked against for a login nobody has, so an unknown login costs the same time as a wrong password. */
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$AAAAAAAAAAAAAAAAAAAAAA==$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

/** Whether the password matches the stored hash (null: no account, a dummy hash is checked all the same). */
export async function passwordMatches(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? DUMMY_HASH).split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  if (parts.length !== 6 || scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return stored !== null && expected.length === key.length && timingSafeEqual(expected, key);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Equal strings, compared in time independent of where they differ (both are hashes of the same length). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const TOKEN_BYTES = 32;

export function newSessionToken(): string {
  return `ps_${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

export function newKeySecret(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

export const SESSION_TOKEN_PATTERN = /^ps_[A-Za-z0-9_-]{43}$/;
export const INTEGRATION_KEY_PATTERN = /^pk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function integrationKeyOf(keyId: string, secret: string): string {
  return `pk_${keyId}_${secret}`;
}

/** A random temporary password that meets the policy for `login` (about 93 bits). */
export function newTemporaryPassword(login: string): string {
  for (;;) {
    const indexes = Array.from({ length: TEMPORARY_PASSWORD_GROUPS * TEMPORARY_PASSWORD_GROUP_LENGTH }, () =>
      randomInt(TEMPORARY_PASSWORD_ALPHABET.length),
    );
    const password = temporaryPasswordOf(indexes);
    if (passwordProblem(password, login) === null) return password;
  }
}

const ISSUER = '桂A交管';
const TOTP_PERIOD_SECONDS = 30;

function totpFor(secret: string, login: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: login,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUri(secret: string, login: string): string {
  return totpFor(secret, login).toString();
}

/** The time step the code belongs to (the current one or either neighbour, for clock drift), or null. */
export function totpStepOf(secret: string, code: string, nowMs: number): number | null {
  const delta = totpFor(secret, '').validate({ token: code, timestamp: nowMs, window: 1 });
  return delta === null ? null : Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}
