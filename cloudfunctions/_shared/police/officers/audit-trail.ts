/**
 * The police side's audit: every successful `admin` call leaves an entry (`police.<action>`, target `call:…`) naming
 * its actor, what it touched (ids and counts, never passwords, tokens, keys or personal data) and when, beside the
 * state-change entries the use cases write; the audit role reads the trail back a page at a time.
 */
import { maskIdNumber } from '../../../../miniprogram/domain/account/id-number';
import { SHANGHAI_OFFSET_MS, toDayNumber } from '../../../../miniprogram/domain/core/dates';
import { audit, type AuditActor, type AuditEntry } from '../../audit';
import { nowIso, nowMs } from '../../clock';
import { command } from '../../cloud';
import { COLLECTIONS, vehicleDocId } from '../../collections';
import { database, find, getById, updateById, withAnyOf, type Filter, type StoredDoc } from '../../db';
import { personIdOf } from '../../ids';
import type { PersonDoc, VehicleDoc } from '../../records';
import type { Handlers } from '../../handler';
import { actorLabel, type Actor } from '../access';
import type { PoliceCaller } from './authorise';
import type { AuditItem, ReadAuditParams, ReadAuditResult } from './contract';
import { readCursor, sessionNeedsTouch, SESSION_TOUCH_MS } from './rules';

export function auditActorOf(actor: Actor): AuditActor {
  const label = actorLabel(actor);
  switch (actor.kind) {
    case 'officer':
      return { label, login: actor.login, ...(actor.name === undefined ? {} : { name: actor.name }) };
    case 'integration':
      return { label, name: actor.name };
    case 'bootstrap':
    case 'anonymous':
      return { label };
  }
}

/** Params worth naming in the trail: ids, states, ranges. Anything else (passwords, rows, notes) is left out. */
const NAMED_PARAMS = [
  'login',
  'keyId',
  'reportId',
  'refundId',
  'outTradeNo',
  'decisionId',
  'status',
  'state',
  'roles',
  'from',
  'to',
  'actor',
  'limit',
] as const;

const TARGETS: ReadonlyArray<readonly [string, string]> = [
  ['login', 'officers'],
  ['keyId', 'integrationKeys'],
  ['reportId', 'faultReports'],
  ['refundId', 'refunds'],
  ['outTradeNo', 'orders'],
  ['decisionId', 'decisions'],
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plain(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

/** What a call touched: named params as they are, lists and result figures as counts. */
function touchedBy(params: unknown, result: unknown): { target: string; summary: Record<string, unknown> } {
  const summary: Record<string, unknown> = {};
  if (isRecord(params)) {
    for (const key of NAMED_PARAMS) if (plain(params[key])) summary[key] = params[key];
    // an import's accepted and refused rows
    if (Array.isArray(params['rows'])) summary['rows'] = params['rows'].length;
    if (Array.isArray(params['errors'])) summary['rowErrors'] = params['errors'].length;
  }
  if (isRecord(result)) {
    for (const [key, value] of Object.entries(result)) {
      if (typeof value === 'number') summary[key] = value;
      else if (Array.isArray(value)) summary[key] = value.length;
    }
    const item = result['item'];
    if (isRecord(item) && typeof item['keyId'] === 'string') summary['keyId'] = item['keyId'];
  }
  const named = TARGETS.find(([key]) => typeof summary[key] === 'string');
  // `call:` keeps these apart from the state-change entries a use case writes on the same record
  return { target: named === undefined ? 'call:admin' : `call:${named[1]}/${String(summary[named[0]])}`, summary };
}

/** The session's or key's last use, written at most once a minute and only after a call that succeeded. */
async function touch(caller: PoliceCaller): Promise<void> {
  const now = nowMs();
  if (caller.session !== undefined && sessionNeedsTouch(caller.session, now))
    await updateById(database, COLLECTIONS.officerSessions, caller.session.id, { lastSeenAtMs: now });
  if (
    caller.actor.kind === 'integration' &&
    caller.keyLastUsedMs !== undefined &&
    now - caller.keyLastUsedMs >= SESSION_TOUCH_MS
  )
    await updateById(database, COLLECTIONS.integrationKeys, caller.actor.keyId, { lastUsedAt: nowIso() });
}

/** Actions whose use case writes its own entries (sign-in knows the officer only once the password passed). */
const SELF_AUDITED: readonly string[] = ['signIn'];

/** Every handler of the table, followed by its audit entry and the session's touch once it succeeded. */
export function withCallAudit<H extends Handlers<'admin', PoliceCaller>>(handlers: H): H {
  const wrapped: Record<string, (params: unknown, caller: PoliceCaller) => Promise<unknown>> = {};
  for (const [action, handler] of Object.entries(handlers) as Array<
    [string, (params: unknown, caller: PoliceCaller) => Promise<unknown>]
  >) {
    wrapped[action] = async (params, caller) => {
      const result = await handler(params, caller);
      if (!SELF_AUDITED.includes(action)) {
        const { target, summary } = touchedBy(params, result);
        const entry: AuditEntry = {
          openid: '',
          action: `police.${action}`,
          target,
          before: null,
          after: summary,
          actor: auditActorOf(caller.actor),
        };
        await audit(database, entry);
        await touch(caller);
      }
      return result;
    };
  }
  // the same keys, each handler wrapped with its own signature
  return wrapped as unknown as H;
}

interface AuditDoc extends StoredDoc {
  openid?: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  actor?: AuditActor;
  at: string;
}

/** The instant a Shanghai day starts, as the trail writes instants (UTC ISO). */
function dayStartIso(day: number): string {
  return new Date(day * 86_400_000 - SHANGHAI_OFFSET_MS).toISOString();
}

const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

/** Older driver-side entries may hold an ID number in their before/after: shown masked. */
function masked(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  return JSON.parse(text.replace(ID_NUMBER, (id) => maskIdNumber(id))) as unknown;
}

function itemOf(doc: AuditDoc): AuditItem {
  return {
    id: doc._id,
    at: doc.at,
    action: doc.action,
    target: doc.target,
    actor: doc.actor === undefined ? null : doc.actor,
    openid: doc.openid ?? '',
    before: masked(doc.before),
    after: masked(doc.after),
  };
}

/** Past the last character any target holds, so `[prefix, prefix + END)` is every target starting with prefix. */
const PREFIX_END = '\uffff';

/**
 * Who and what a person or car search stands for: the accounts that spoke for the person (drivers' entries carry
 * the openid) and the records named after them. A person or car nobody knows matches nothing.
 */
async function subjectBranches(params: ReadAuditParams): Promise<Filter[] | null> {
  if (params.idNumber === undefined && params.plate === undefined) return null;
  const personIds: string[] = [];
  const targets: string[] = [];
  if (params.idNumber !== undefined) personIds.push(personIdOf(params.idNumber));
  if (params.plate !== undefined) {
    const vehicleId = vehicleDocId(params.plate.length === 8 ? '52' : '02', params.plate);
    targets.push(`vehicles/${vehicleId}`, `vehicleDrivers/${vehicleId}`);
    const vehicle = await getById<VehicleDoc>(database, COLLECTIONS.vehicles, vehicleId);
    if (vehicle !== null) personIds.push(personIdOf(vehicle.ownerIdNumber));
  }
  targets.push(...personIds.map((id) => `people/${id}`));
  const people =
    personIds.length === 0
      ? []
      : await find<PersonDoc>(COLLECTIONS.people, { _id: command.in(personIds) }, { limit: personIds.length });
  const openids = people.flatMap((person) => (person.openid === null || person.openid === '' ? [] : [person.openid]));
  const branches: Filter[] = [{ target: command.in(targets) }];
  if (openids.length > 0) branches.push({ openid: command.in(openids) });
  return branches;
}

/** Newest first, within the Shanghai days asked for, optionally one actor's, action's, record's, person's or car's. */
export async function readAudit(params: ReadAuditParams): Promise<ReadAuditResult> {
  const cursor = params.after === undefined ? null : readCursor(params.after);
  const lower = params.from === undefined ? null : dayStartIso(toDayNumber(params.from));
  const upperExclusive = params.to === undefined ? null : dayStartIso(toDayNumber(params.to) + 1);
  let at: unknown = null;
  const upper =
    cursor !== null && (upperExclusive === null || cursor.at < upperExclusive)
      ? command.lte(cursor.at)
      : upperExclusive === null
        ? null
        : command.lt(upperExclusive);
  if (lower !== null) at = upper === null ? command.gte(lower) : command.gte(lower).and(upper);
  else at = upper;
  const subject = await subjectBranches(params);
  const base: Filter = {
    ...(params.actor === undefined ? {} : { 'actor.label': params.actor }),
    ...(params.entryAction === undefined ? {} : { action: params.entryAction }),
    ...(params.target === undefined
      ? {}
      : { target: command.gte(params.target).and(command.lt(`${params.target}${PREFIX_END}`)) }),
    ...(at === null ? {} : { at }),
  };
  const filter = subject === null ? base : withAnyOf(base, subject);
  const skip = cursor?.seen ?? 0;
  const docs = await find<AuditDoc>(COLLECTIONS.audit, filter, {
    orderBy: [
      ['at', 'desc'],
      ['_id', 'desc'],
    ],
    skip,
    limit: params.limit + 1,
  });
  const page = docs.slice(0, params.limit);
  const last = page[page.length - 1];
  let next: string | null = null;
  if (docs.length > params.limit && last !== undefined) {
    const sameAt =
      page.filter((doc) => doc.at === last.at).length + (cursor !== null && cursor.at === last.at ? skip : 0);
    next = `${last.at}|${sameAt}`;
  }
  return { entries: page.map(itemOf), next };
}
