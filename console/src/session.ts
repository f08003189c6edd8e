/**
 * The officer's session as the console keeps it: the server's token, its absolute end, and an idle window that each
 * answered call restarts (the server slides its own idle end the same way). Pure: times are passed in.
 */
import { POLICE_ROLES, type PoliceRole } from '../../cloudfunctions/_shared/police/access';
import type { OfficerView, SignInResult } from './contract';

export interface Session {
  readonly token: string;
  readonly officer: OfficerView;
  /** Epoch ms after which the server refuses the token whatever the activity. */
  readonly endsAtMs: number;
  /** How long the session survives without a call. */
  readonly idleMs: number;
  /** Epoch ms of the last call the server answered. */
  readonly lastActiveMs: number;
}

export type SessionState = 'active' | 'idle' | 'expired';

/** Used when the server's idle end cannot be read: the server's documented window. */
const DEFAULT_IDLE_MS = 30 * 60_000;

/** Shortest idle window believed: a shorter one means the two clocks disagree, not that the server wants it. */
const MIN_IDLE_MS = 60_000;

function instantMs(text: string): number | null {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

export function startSession(result: SignInResult, nowMs: number): Session {
  const idleEnd = instantMs(result.idleExpiresAt);
  const idleMs = idleEnd === null ? DEFAULT_IDLE_MS : Math.max(MIN_IDLE_MS, idleEnd - nowMs);
  const end = instantMs(result.expiresAt);
  return {
    token: result.sessionToken,
    officer: result.officer,
    endsAtMs: end === null ? nowMs + idleMs : end,
    idleMs,
    lastActiveMs: nowMs,
  };
}

export function touchSession(session: Session, nowMs: number): Session {
  return nowMs > session.lastActiveMs ? { ...session, lastActiveMs: nowMs } : session;
}

/** A session is idle once its window has passed (at the exact end it is over), expired past its absolute end. */
export function sessionState(session: Session, nowMs: number): SessionState {
  if (nowMs >= session.endsAtMs) return 'expired';
  if (nowMs >= session.lastActiveMs + session.idleMs) return 'idle';
  return 'active';
}

/** Milliseconds until the session ends by either rule (0 when it already has). */
export function msUntilEnd(session: Session, nowMs: number): number {
  return Math.max(0, Math.min(session.endsAtMs, session.lastActiveMs + session.idleMs) - nowMs);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function readRoles(value: unknown): PoliceRole[] | null {
  if (!Array.isArray(value)) return null;
  const roles: PoliceRole[] = [];
  for (const item of value) {
    const role = POLICE_ROLES.find((r) => r === item);
    if (role === undefined) return null;
    roles.push(role);
  }
  return roles;
}

/** A session read back from the browser's storage, or null when the text is missing, old or tampered with. */
export function parseStoredSession(text: string | null): Session | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || !isRecord(value['officer'])) return null;
  const { token } = value;
  const { login, name } = value['officer'];
  const roles = readRoles(value['officer']['roles']);
  const endsAtMs = finite(value['endsAtMs']);
  const idleMs = finite(value['idleMs']);
  const lastActiveMs = finite(value['lastActiveMs']);
  if (typeof token !== 'string' || token === '' || typeof login !== 'string' || typeof name !== 'string') return null;
  if (roles === null || endsAtMs === null || idleMs === null || lastActiveMs === null) return null;
  return { token, officer: { login, name, roles }, endsAtMs, idleMs, lastActiveMs };
}
