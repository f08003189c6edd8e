/**
 * The home summary (`user.home`): the caller's stage, points, cars and to-dos in one answer. Each part comes from
 * the use case that serves its own page (profile, vehicle list, violation list, owner requests, tow query) and the
 * reminders' own rule, so the first screen never says something the page behind it would not.
 */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import {
  HOME_SECTIONS,
  type HomeInspection,
  type HomeRenewal,
  type HomeResult,
  type HomeSection,
  type HomeTow,
  type HomeUnpaidDecision,
} from '../../../miniprogram/domain/home/contract';
import { inspectionTodo, licenceTodo } from '../../../miniprogram/domain/home/todos';
import type { LicenceView } from '../../../miniprogram/domain/licence/contract';
import type { VehicleItem } from '../../../miniprogram/domain/vehicle/contract';
import type { ViolationItem } from '../../../miniprogram/domain/violation/contract';
import { sumFen } from '../../../miniprogram/domain/violation/fees';
import { profile } from '../account/account';
import { today } from '../clock';
import { queryTow } from '../tow/tows';
import { listRequests, listVehicles } from '../vehicle/bindings';
import { listViolations } from '../violation/violations';

/** Home names a few cars; the rest are one tap away on 我的车辆. */
const CARS_SHOWN = 3;

const EMPTY_TODOS: HomeResult['todos'] = {
  unpaid: [],
  processable: { count: 0, amount: 0 },
  tows: [],
  inspections: [],
  renewal: null,
  ownerRequests: 0,
};

/** One section's answer, or null with the section noted: a failing registry must not blank the whole first screen. */
async function section<T>(name: HomeSection, work: () => Promise<T>, unavailable: HomeSection[]): Promise<T | null> {
  try {
    return await work();
  } catch (error: unknown) {
    console.error(`[user.home] ${name}`, error);
    unavailable.push(name);
    return null;
  }
}

/** The tow query's answer for one car; its NOT_FOUND is "no tow", anything else is the section failing. */
async function towOf(openid: string, plate: string): Promise<HomeTow | null> {
  try {
    const { tow } = await queryTow(openid, { plate });
    return { plate: tow.plate, towedAt: tow.towedAt, yardName: tow.yardName };
  } catch (error: unknown) {
    if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** The violation list's 待缴款 states, one per decision (a decision covers several violations). */
function unpaidDecisions(violations: readonly ViolationItem[]): HomeUnpaidDecision[] {
  const byId = new Map<string, HomeUnpaidDecision>();
  for (const { state, plate } of violations) {
    if (state.kind !== 'awaitingPayment') continue;
    const seen = byId.get(state.decisionId);
    if (seen) {
      if (!seen.plates.includes(plate)) byId.set(state.decisionId, { ...seen, plates: [...seen.plates, plate] });
      continue;
    }
    byId.set(state.decisionId, {
      decisionId: state.decisionId,
      decisionNo: state.decisionNo,
      plates: [plate],
      violationCount: state.violationCount,
      amount: state.amount,
      surcharge: state.surcharge,
      dueDate: state.dueDate,
      daysLeft: state.daysLeft,
    });
  }
  return [...byId.values()].sort((a, b) => a.daysLeft - b.daysLeft || a.decisionNo.localeCompare(b.decisionNo));
}

/** Cars whose inspection is due within the reminder's window or overdue: overdue first, then the nearest date. */
function inspectionsDue(vehicles: readonly VehicleItem[], on: string): HomeInspection[] {
  return vehicles
    .flatMap((v) => {
      const todo = v.inspectionDue === undefined ? null : inspectionTodo(v.inspectionDue, on);
      return todo === null || v.inspectionDue === undefined
        ? []
        : [{ ...todo, plate: v.plate, inspectionDue: v.inspectionDue }];
    })
    .sort((a, b) => a.daysLeft - b.daysLeft || a.plate.localeCompare(b.plate));
}

function renewalOf(licence: LicenceView | null, on: string): HomeRenewal | null {
  const todo = licence === null ? null : licenceTodo(licence, on);
  return todo === null || licence === null ? null : { ...todo, validUntil: licence.validUntil };
}

export async function homeSummary(openid: string): Promise<HomeResult> {
  const me = await profile(openid);
  const licence = me.licence ? { cyclePoints: me.licence.cyclePoints } : null;
  if (!me.verified)
    return { stage: 'registered', name: null, licence, carCount: 0, cars: [], todos: EMPTY_TODOS, unavailable: [] };

  const on = today();
  const unavailable: HomeSection[] = [];
  const vehiclesRead = section('cars', async () => (await listVehicles(openid)).vehicles, unavailable);
  const [vehicles, violations, requests, tows] = await Promise.all([
    vehiclesRead,
    section('violations', async () => (await listViolations(openid, {})).violations, unavailable),
    section('requests', () => listRequests(openid), unavailable),
    section(
      'tows',
      async () => {
        const cars = await vehiclesRead;
        if (cars === null) throw new Error('cars unavailable');
        const found = await Promise.all(cars.map((car) => towOf(openid, car.plate)));
        return found.filter((tow): tow is HomeTow => tow !== null);
      },
      unavailable,
    ),
  ]);

  const processable = (violations ?? []).filter((v) => v.state.kind === 'processable');
  return {
    stage: 'verified',
    name: me.name,
    licence,
    carCount: vehicles?.length ?? 0,
    cars: (vehicles ?? []).slice(0, CARS_SHOWN).map((v) => ({ plate: v.plate, relation: v.relation })),
    todos: {
      unpaid: unpaidDecisions(violations ?? []),
      processable: {
        count: processable.length,
        amount: sumFen(processable.map((v) => v.fine + v.surcharge)),
      },
      tows: tows ?? [],
      inspections: inspectionsDue(vehicles ?? [], on),
      renewal: renewalOf(me.licence, on),
      ownerRequests: (requests?.incoming ?? []).filter((r) => r.status === 'pending').length,
    },
    unavailable: HOME_SECTIONS.filter((s) => unavailable.includes(s)),
  };
}
