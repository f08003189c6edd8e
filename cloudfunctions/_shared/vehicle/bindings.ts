/**
 * Cars a driver may see and process: their own (unlimited), and up to 3 of other people's with the owner's
 * face-scan consent; at most 3 non-owner drivers per car. The quotas live on documents with fixed ids
 * (people/<personId>.bindings and vehicleDrivers/<vehicleId>.drivers), re-checked inside the approving transaction.
 */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import {
  BINDING_REQUEST_TTL_HOURS,
  checkBindingQuotas,
  REQUESTER_QUOTA_MESSAGE,
} from '../../../miniprogram/domain/vehicle/quotas';
import { maskName } from '../../../miniprogram/domain/account/id-number';
import { checkPlate } from '../../../miniprogram/domain/vehicle/plate';
import { audit } from '../audit';
import { command } from '../cloud';
import { nowIso, nowMs } from '../clock';
import { COLLECTIONS, vehicleDocId } from '../collections';
import { database, find, getById, setById, updateById, type NewDoc, type Scope } from '../db';
import { keyOf, newId, personIdOf } from '../ids';
import type {
  BindingEntry,
  BindingRequestDoc,
  BindingRequestLockDoc,
  PersonDoc,
  VehicleDoc,
  VehicleDriversDoc,
} from '../records';
import { inTransaction, type Tx } from '../transaction';
import { checkVerification, spendVerification, startVerification } from '../account/account';
import { requireVerified, type VerifiedCaller } from '../account/caller';
import type { VerifyIdResult } from '../../../miniprogram/domain/account/contract';
import type {
  PlateParams,
  VehicleListResult,
  VehicleItem,
  OtherDriverItem,
  BindOwnParams,
  OwnCarItem,
  OwnCarsResult,
  RequestBindingParams,
  RequestBindingResult,
  BindingRequestItem,
  OwnedCarDrivers,
  ListRequestsResult,
  RequestIdParams,
  ApproveParams,
  ApproveResult,
  RejectResult,
  UnbindParams,
  UnbindResult,
  RevokeParams,
  RevokeResult,
} from '../../../miniprogram/domain/vehicle/contract';

const REQUEST_TTL_MS = BINDING_REQUEST_TTL_HOURS * 3_600_000;
const LIST_LIMIT = 50;
/** Racing requests of one driver for one car queue on the lock document: each waits its turn rather than failing busy. */
const REQUEST_ATTEMPTS = 12;

function othersCount(person: PersonDoc): number {
  return person.bindings.filter((b) => b.relation === 'other').length;
}

async function requireVehicle(scope: Scope, plate: PlateParams): Promise<VehicleDoc> {
  const vehicle = await getById<VehicleDoc>(scope, COLLECTIONS.vehicles, vehicleDocId(plate.plateType, plate.plate));
  if (!vehicle) throw new DomainError('VEHICLE_NOT_FOUND');
  return vehicle;
}

async function requirePerson(tx: Scope, personId: string): Promise<PersonDoc> {
  const person = await getById<PersonDoc>(tx, COLLECTIONS.people, personId);
  if (!person) throw new DomainError('NOT_VERIFIED');
  return person;
}

export async function listVehicles(openid: string): Promise<VehicleListResult> {
  const { person } = await requireVerified(openid);
  const ids = person.bindings.map((b) => b.vehicleId);
  if (ids.length === 0) return { vehicles: [] };
  const [vehicles, others] = await Promise.all([
    find<VehicleDoc>(COLLECTIONS.vehicles, { _id: command.in(ids) }, { limit: ids.length }),
    find<VehicleDriversDoc>(
      COLLECTIONS.vehicleDrivers,
      { _id: command.in(person.bindings.filter((b) => b.relation === 'own').map((b) => b.vehicleId)) },
      { limit: ids.length },
    ),
  ]);
  const vehicleById = new Map(vehicles.map((v) => [v._id, v]));
  const driversById = new Map(others.map((d) => [d._id, d.drivers]));
  return {
    vehicles: person.bindings.map((binding): VehicleItem => {
      const vehicle = vehicleById.get(binding.vehicleId);
      const item: VehicleItem = {
        plate: binding.plate,
        plateType: binding.plateType,
        relation: binding.relation,
        bindingId: binding.bindingId,
      };
      const extra: { inspectionDue?: string; ownerName?: string; drivers?: OtherDriverItem[] } = {};
      if (vehicle?.inspectionDue) extra.inspectionDue = vehicle.inspectionDue;
      if (binding.relation === 'other' && vehicle) extra.ownerName = maskName(vehicle.ownerName);
      if (binding.relation === 'own')
        extra.drivers = (driversById.get(binding.vehicleId) ?? []).map((d) => ({
          bindingId: d.bindingId,
          name: maskName(d.name),
          since: d.since,
        }));
      return { ...item, ...extra };
    }),
  };
}

/** The 桂A small cars the registry lists in the caller's name, each flagged bound or not: bound with one tap. */
export async function listOwnCars(openid: string): Promise<OwnCarsResult> {
  const { person } = await requireVerified(openid);
  const owned = await find<VehicleDoc>(COLLECTIONS.vehicles, { ownerIdNumber: person.idNumber }, { limit: LIST_LIMIT });
  const bound = new Set(person.bindings.filter((b) => b.relation === 'own').map((b) => b.vehicleId));
  const cars = owned
    // the registry may hold types this app does not serve; offering them would only end in a refusal
    .filter((v) => checkPlate(v.plate, v.plateType).ok)
    .map((v): OwnCarItem => ({ plate: v.plate, plateType: v.plateType, bound: bound.has(v._id) }))
    .sort((a, b) => Number(a.bound) - Number(b.bound) || a.plate.localeCompare(b.plate));
  return { cars };
}

export async function bindOwn(openid: string, params: BindOwnParams): Promise<VehicleItem> {
  const caller = await requireVerified(openid);
  const vehicle = await requireVehicle(database, params);
  if (vehicle.ownerIdNumber !== caller.person.idNumber)
    throw new DomainError('NOT_OWNER', '该车辆不在您的名下；如需绑定他人车辆，请申请机动车所有人授权。');
  return inTransaction(async (tx) => {
    const person = await requirePerson(tx, caller.person._id);
    if (person.bindings.some((b) => b.vehicleId === vehicle._id)) throw new DomainError('ALREADY_BOUND');
    const binding: BindingEntry = {
      bindingId: newId(),
      vehicleId: vehicle._id,
      plate: vehicle.plate,
      plateType: vehicle.plateType,
      relation: 'own',
      since: nowIso(),
    };
    await updateById(tx, COLLECTIONS.people, person._id, { bindings: command.push([binding]) });
    await audit(tx, {
      openid,
      action: 'binding.own',
      target: `people/${person._id}`,
      before: null,
      after: { vehicleId: vehicle._id, bindingId: binding.bindingId },
    });
    return { plate: binding.plate, plateType: binding.plateType, relation: 'own', bindingId: binding.bindingId };
  });
}

export async function requestBinding(openid: string, params: RequestBindingParams): Promise<RequestBindingResult> {
  const caller = await requireVerified(openid);
  const vehicle = await requireVehicle(database, params);
  if (vehicle.ownerIdNumber === caller.person.idNumber) throw new DomainError('OWN_VEHICLE');
  if (vehicle.ownerName !== params.ownerName) throw new DomainError('OWNER_MISMATCH');
  if (caller.person.bindings.some((b) => b.vehicleId === vehicle._id)) throw new DomainError('ALREADY_BOUND');
  // First check of both quotas; the one that counts is repeated atomically when the owner approves.
  const slots = await getById<VehicleDriversDoc>(database, COLLECTIONS.vehicleDrivers, vehicle._id);
  const refusal = checkBindingQuotas(othersCount(caller.person), slots?.drivers.length ?? 0);
  if (refusal) throw new DomainError(refusal.code, undefined, { limit: refusal.limit });
  const requestId = newId();
  const request: NewDoc<BindingRequestDoc> = {
    requesterPersonId: caller.person._id,
    requesterName: caller.person.name,
    ownerPersonId: personIdOf(vehicle.ownerIdNumber),
    vehicleId: vehicle._id,
    plate: vehicle.plate,
    plateType: vehicle.plateType,
    status: 'pending',
    createdAt: nowIso(),
    expiresAtMs: nowMs() + REQUEST_TTL_MS,
    decidedAt: null,
    bindingId: null,
  };
  // One open request per driver and car: the lock document (fixed id) makes racing requests meet, and the ones that
  // lose the race get the winner's request instead of a duplicate in the owner's inbox.
  const lockId = keyOf(`${caller.person._id}|${vehicle._id}`);
  return inTransaction(async (tx) => {
    const lock = await getById<BindingRequestLockDoc>(tx, COLLECTIONS.bindingRequestLocks, lockId);
    const open = lock ? await getById<BindingRequestDoc>(tx, COLLECTIONS.bindingRequests, lock.requestId) : null;
    if (open && open.status === 'pending' && open.expiresAtMs > nowMs())
      return { requestId: open._id, expiresAt: new Date(open.expiresAtMs).toISOString() };
    await setById(tx, COLLECTIONS.bindingRequests, requestId, request);
    await setById(tx, COLLECTIONS.bindingRequestLocks, lockId, { requestId });
    await audit(tx, {
      openid,
      action: 'binding.request',
      target: `bindingRequests/${requestId}`,
      before: null,
      after: 'pending',
    });
    return { requestId, expiresAt: new Date(request.expiresAtMs).toISOString() };
  }, REQUEST_ATTEMPTS);
}

function requestItem(request: BindingRequestDoc, incoming: boolean, now: number): BindingRequestItem {
  const status = request.status === 'pending' && request.expiresAtMs <= now ? 'expired' : request.status;
  const item: BindingRequestItem = {
    requestId: request._id,
    plate: request.plate,
    plateType: request.plateType,
    status,
    createdAt: request.createdAt,
    expiresAt: new Date(request.expiresAtMs).toISOString(),
  };
  return incoming ? { ...item, requesterName: maskName(request.requesterName) } : item;
}

/** The caller's cars by the registry (bound in the app or not) that have non-owner drivers: whom they may revoke. */
async function ownedCarsWithDrivers(person: PersonDoc): Promise<OwnedCarDrivers[]> {
  const owned = await find<VehicleDoc>(COLLECTIONS.vehicles, { ownerIdNumber: person.idNumber }, { limit: LIST_LIMIT });
  if (owned.length === 0) return [];
  const slots = await find<VehicleDriversDoc>(
    COLLECTIONS.vehicleDrivers,
    { _id: command.in(owned.map((v) => v._id)) },
    { limit: owned.length },
  );
  const byId = new Map(slots.map((s) => [s._id, s.drivers]));
  return owned
    .map((v) => ({
      plate: v.plate,
      plateType: v.plateType,
      drivers: (byId.get(v._id) ?? []).map((d) => ({ bindingId: d.bindingId, name: maskName(d.name), since: d.since })),
    }))
    .filter((car) => car.drivers.length > 0);
}

export async function listRequests(openid: string): Promise<ListRequestsResult> {
  const { person } = await requireVerified(openid);
  const newestFirst: Array<[string, 'asc' | 'desc']> = [['createdAt', 'desc']];
  const [incoming, outgoing, ownedCars] = await Promise.all([
    find<BindingRequestDoc>(
      COLLECTIONS.bindingRequests,
      { ownerPersonId: person._id },
      { orderBy: newestFirst, limit: LIST_LIMIT },
    ),
    find<BindingRequestDoc>(
      COLLECTIONS.bindingRequests,
      { requesterPersonId: person._id },
      { orderBy: newestFirst, limit: LIST_LIMIT },
    ),
    ownedCarsWithDrivers(person),
  ]);
  const now = nowMs();
  return {
    incoming: incoming.map((r) => requestItem(r, true, now)),
    outgoing: outgoing.map((r) => requestItem(r, false, now)),
    ownedCars,
  };
}

/** The owner's pending, unexpired request, or the reason it cannot be acted on. */
async function requireOwnersRequest(
  scope: Scope,
  caller: VerifiedCaller,
  requestId: string,
): Promise<BindingRequestDoc> {
  const request = await getById<BindingRequestDoc>(scope, COLLECTIONS.bindingRequests, requestId);
  if (!request) throw new DomainError('NOT_FOUND', '授权申请不存在。');
  if (request.ownerPersonId !== caller.person._id) throw new DomainError('NOT_OWNER');
  if (request.status !== 'pending') throw new DomainError('NOT_FOUND', '该申请已处理，无需重复操作。');
  if (request.expiresAtMs <= nowMs()) throw new DomainError('REQUEST_EXPIRED');
  return request;
}

export async function startAuthorize(openid: string, params: RequestIdParams): Promise<VerifyIdResult> {
  const caller = await requireVerified(openid);
  const request = await requireOwnersRequest(database, caller, params.requestId);
  return startVerification(
    openid,
    { name: caller.person.name, idNumber: caller.person.idNumber },
    'authorize',
    request._id,
  );
}

export async function approve(openid: string, params: ApproveParams): Promise<ApproveResult> {
  const caller = await requireVerified(openid);
  await requireOwnersRequest(database, caller, params.requestId);
  // The owner's own face, for this very request, before anything changes.
  const verification = await checkVerification(openid, params.verifyId, 'authorize', params.requestId);
  return inTransaction(async (tx) => {
    await spendVerification(tx, verification, true);
    const request = await requireOwnersRequest(tx, caller, params.requestId);
    const vehicle = await getById<VehicleDoc>(tx, COLLECTIONS.vehicles, request.vehicleId);
    // Ownership may have changed in the registry since the request was made.
    if (!vehicle || personIdOf(vehicle.ownerIdNumber) !== caller.person._id) throw new DomainError('NOT_OWNER');
    const requester = await requirePerson(tx, request.requesterPersonId);
    if (requester.bindings.some((b) => b.vehicleId === vehicle._id))
      throw new DomainError('ALREADY_BOUND', '对方已经绑定了该车辆。');
    const slots = await getById<VehicleDriversDoc>(tx, COLLECTIONS.vehicleDrivers, vehicle._id);
    const drivers = slots?.drivers ?? [];
    const refusal = checkBindingQuotas(othersCount(requester), drivers.length);
    if (refusal) {
      // the owner is approving: the limit reached is the requester's, not theirs
      const message = refusal.code === 'DRIVER_QUOTA_EXCEEDED' ? REQUESTER_QUOTA_MESSAGE : undefined;
      throw new DomainError(refusal.code, message, { limit: refusal.limit });
    }
    const since = nowIso();
    const bindingId = newId();
    const binding: BindingEntry = {
      bindingId,
      vehicleId: vehicle._id,
      plate: vehicle.plate,
      plateType: vehicle.plateType,
      relation: 'other',
      since,
    };
    await setById(tx, COLLECTIONS.vehicleDrivers, vehicle._id, {
      drivers: [...drivers, { bindingId, personId: requester._id, name: requester.name, since }],
    });
    await updateById(tx, COLLECTIONS.people, requester._id, { bindings: command.push([binding]) });
    await updateById(tx, COLLECTIONS.bindingRequests, request._id, { status: 'approved', decidedAt: since, bindingId });
    await audit(tx, {
      openid,
      action: 'binding.approve',
      target: `bindingRequests/${request._id}`,
      before: 'pending',
      after: { status: 'approved', bindingId },
    });
    return { requestId: request._id, bindingId, plate: vehicle.plate };
  });
}

export async function reject(openid: string, params: RequestIdParams): Promise<RejectResult> {
  const caller = await requireVerified(openid);
  return inTransaction(async (tx) => {
    const request = await requireOwnersRequest(tx, caller, params.requestId);
    await updateById(tx, COLLECTIONS.bindingRequests, request._id, { status: 'rejected', decidedAt: nowIso() });
    await audit(tx, {
      openid,
      action: 'binding.reject',
      target: `bindingRequests/${request._id}`,
      before: 'pending',
      after: 'rejected',
    });
    return { requestId: request._id, status: 'rejected' as const };
  });
}

/** Removes a binding from both sides (the person's list and the car's non-owner drivers), in the caller's transaction. */
async function dropBinding(tx: Tx, person: PersonDoc, binding: BindingEntry): Promise<void> {
  await updateById(tx, COLLECTIONS.people, person._id, {
    bindings: person.bindings.filter((b) => b.bindingId !== binding.bindingId),
  });
  if (binding.relation !== 'other') return;
  const slots = await getById<VehicleDriversDoc>(tx, COLLECTIONS.vehicleDrivers, binding.vehicleId);
  if (slots)
    await updateById(tx, COLLECTIONS.vehicleDrivers, binding.vehicleId, {
      drivers: slots.drivers.filter((d) => d.bindingId !== binding.bindingId),
    });
}

/**
 * The registry says the car has a new owner: the former owner's own binding ends, and so do the bindings of the
 * drivers the former owner allowed (their consent was the former owner's to give). The new owner binds it afresh.
 * Runs in the registry import's transaction.
 */
export async function releaseCarOfFormerOwner(tx: Tx, vehicleId: string, formerOwnerIdNumber: string): Promise<void> {
  const formerOwner = await getById<PersonDoc>(tx, COLLECTIONS.people, personIdOf(formerOwnerIdNumber));
  const own = formerOwner?.bindings.find((b) => b.vehicleId === vehicleId && b.relation === 'own');
  if (formerOwner && own) await dropBinding(tx, formerOwner, own);
  const slots = await getById<VehicleDriversDoc>(tx, COLLECTIONS.vehicleDrivers, vehicleId);
  for (const entry of slots?.drivers ?? []) {
    const driver = await getById<PersonDoc>(tx, COLLECTIONS.people, entry.personId);
    if (driver)
      await updateById(tx, COLLECTIONS.people, driver._id, {
        bindings: driver.bindings.filter((b) => b.bindingId !== entry.bindingId),
      });
  }
  if (slots && slots.drivers.length > 0) await updateById(tx, COLLECTIONS.vehicleDrivers, vehicleId, { drivers: [] });
  if (own || (slots?.drivers.length ?? 0) > 0) {
    await audit(tx, {
      openid: '',
      action: 'binding.ownerChanged',
      target: `vehicles/${vehicleId}`,
      before: {
        formerOwner: formerOwner?._id ?? null,
        ownBinding: own?.bindingId ?? null,
        drivers: (slots?.drivers ?? []).map((d) => d.bindingId),
      },
      after: null,
    });
  }
}

export async function unbind(openid: string, params: UnbindParams): Promise<UnbindResult> {
  const caller = await requireVerified(openid);
  return inTransaction(async (tx) => {
    const person = await requirePerson(tx, caller.person._id);
    const binding = person.bindings.find((b) => b.plate === params.plate);
    if (!binding) throw new DomainError('NOT_FOUND', '您没有绑定该车辆。');
    await dropBinding(tx, person, binding);
    await audit(tx, {
      openid,
      action: 'binding.unbind',
      target: `people/${person._id}`,
      before: { bindingId: binding.bindingId, relation: binding.relation },
      after: null,
    });
    return { plate: binding.plate };
  });
}

export async function revoke(openid: string, params: RevokeParams): Promise<RevokeResult> {
  const caller = await requireVerified(openid);
  const own = caller.person.bindings.find((b) => b.plate === params.plate);
  const vehicleId = own?.vehicleId ?? vehicleDocId(params.plate.length === 8 ? '52' : '02', params.plate);
  return inTransaction(async (tx) => {
    const vehicle = await getById<VehicleDoc>(tx, COLLECTIONS.vehicles, vehicleId);
    if (!vehicle) throw new DomainError('VEHICLE_NOT_FOUND');
    if (personIdOf(vehicle.ownerIdNumber) !== caller.person._id) throw new DomainError('NOT_OWNER');
    const slots = await getById<VehicleDriversDoc>(tx, COLLECTIONS.vehicleDrivers, vehicleId);
    const entry = slots?.drivers.find((d) => d.bindingId === params.bindingId);
    if (!entry) throw new DomainError('NOT_FOUND', '该驾驶人已不在本车的绑定列表中。');
    const driver = await getById<PersonDoc>(tx, COLLECTIONS.people, entry.personId);
    const binding = driver?.bindings.find((b) => b.bindingId === params.bindingId);
    if (driver && binding) await dropBinding(tx, driver, binding);
    else if (slots)
      await updateById(tx, COLLECTIONS.vehicleDrivers, vehicleId, {
        drivers: slots.drivers.filter((d) => d.bindingId !== params.bindingId),
      });
    await audit(tx, {
      openid,
      action: 'binding.revoke',
      target: `vehicleDrivers/${vehicleId}`,
      before: { bindingId: params.bindingId },
      after: null,
    });
    return { plate: vehicle.plate, bindingId: params.bindingId };
  });
}
