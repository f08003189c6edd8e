/**
 * `user.home` on the local cloud: the first screen's to-dos, each the same answer the page behind it gives — an
 * unpaid decision with today's amount, violations to process, a pending owner's request, a towed car, an inspection
 * or a renewal due, an overdue inspection or an expired licence — and nothing at all for a driver with nothing to do.
 */
import { maskName } from '../../miniprogram/domain/account/id-number';
import { addDays } from '../../miniprogram/domain/core/dates';
import type { HomeResult } from '../../miniprogram/domain/home/contract';
import type { DecisionResult } from '../../miniprogram/domain/violation/contract';
import type { ImportResult } from '../../cloudfunctions/_shared/police/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Car, type Person } from '../helpers/story';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'hm');
const w = () => world;

const NOTHING_TO_DO: HomeResult['todos'] = {
  unpaid: [],
  processable: { count: 0, amount: 0 },
  tows: [],
  inspections: [],
  renewal: null,
  ownerRequests: 0,
};

function home(person: Person): Promise<HomeResult> {
  return world.ok<HomeResult>('user', { action: 'home' }, person.openid);
}

async function boundCar(owner: Person, inspectionDue?: string): Promise<Car> {
  const car = await world.car(owner);
  if (inspectionDue !== undefined)
    await world.importVehicles([
      {
        plate: car.plate,
        plateType: car.plateType,
        ownerIdNumber: owner.idNumber,
        ownerName: owner.name,
        inspectionDue,
      },
    ]);
  await world.bindOwn(car);
  return car;
}

afterEach(() => world.setClock(0));

describe('user.home', () => {
  it('a verified driver with nothing to do gets an empty to-do list, the points and the cars', async () => {
    const me = await world.driver({ licence: { cyclePoints: 2 } });
    const car = await boundCar(me);
    expect(await home(me)).toEqual({
      stage: 'verified',
      name: maskName(me.name),
      licence: { cyclePoints: 2 },
      carCount: 1,
      cars: [{ plate: car.plate, relation: 'own' }],
      todos: NOTHING_TO_DO,
      unavailable: [],
    });
  });

  it('an unpaid decision shows with the amount the decision page asks today, the deadline and days left', async () => {
    const { person, car, decision } = await world.decided([{ fine: 20_000 }, { fine: 5_000 }]);
    const decisionPage = () =>
      world.ok<DecisionResult>('violation', { action: 'decision', decisionId: decision.decisionId }, person.openid);
    const page = await decisionPage();
    expect((await home(person)).todos.unpaid).toEqual([
      {
        decisionId: decision.decisionId,
        decisionNo: decision.decisionNo,
        plates: [car.plate],
        violationCount: 2,
        amount: 25_000,
        surcharge: 0,
        dueDate: page.dueDate,
        daysLeft: 15,
      },
    ]);

    // two days past the deadline: the surcharge the decision page charges, and the days overdue
    await world.setDays(17);
    const late = await decisionPage();
    expect(late.surcharge).toBeGreaterThan(0);
    const [unpaid] = (await home(person)).todos.unpaid;
    expect(unpaid).toMatchObject({ amount: late.amount, surcharge: late.surcharge, daysLeft: -2 });

    // paid: off the list
    await world.setClock(0);
    const { outTradeNo } = await world.ok<{ outTradeNo: string }>(
      'payment',
      { action: 'create', decisionId: decision.decisionId },
      person.openid,
    );
    await world.pay(outTradeNo);
    expect((await home(person)).todos).toEqual(NOTHING_TO_DO);
  });

  it('violations that can be processed online now are counted with what they come to', async () => {
    const me = await world.driver();
    const car = await boundCar(me);
    await world.violations(car, { fine: 20_000 }, { fine: 5_000 }, { disputed: true }, { source: 'onsite' });
    expect((await home(me)).todos.processable).toEqual({ count: 2, amount: 25_000 });
  });

  it('an owner sees the request waiting for their face scan; the asking driver does not', async () => {
    const owner = await world.driver();
    const car = await boundCar(owner);
    const driver = await world.driver();
    const requestId = await world.request(driver, car);
    expect((await home(owner)).todos.ownerRequests).toBe(1);
    expect((await home(driver)).todos.ownerRequests).toBe(0);

    await world.ok('vehicle', { action: 'reject', requestId }, owner.openid);
    expect((await home(owner)).todos.ownerRequests).toBe(0);
  });

  it('a towed car of mine shows with its yard; a released one does not', async () => {
    const me = await world.driver();
    const car = await boundCar(me);
    const row = {
      towId: 'TWHM000001',
      plate: car.plate,
      plateType: car.plateType,
      towedAt: '2026-11-20T21:40:00+08:00',
      yardName: '青秀区清障停车场',
      yardAddress: '南宁市青秀区竹溪大道 258 号',
      latitude: 22.82463,
      longitude: 108.35811,
      fee: 30_000,
      yardHours: '24 小时',
      yardPhone: '0771-5550188',
      status: 'towed',
    };
    expect(await world.admin<ImportResult>('importTows', { rows: [row] })).toMatchObject({ errors: [] });
    expect((await home(me)).todos.tows).toEqual([{ plate: car.plate, towedAt: row.towedAt, yardName: row.yardName }]);

    await world.admin<ImportResult>('importTows', { rows: [{ ...row, status: 'released' }] });
    expect((await home(me)).todos.tows).toEqual([]);
  });

  it('an inspection and a renewal due show on the reminders’ days (30 and 90), not a day earlier', async () => {
    const day = shanghaiDay(Date.now());
    const me = await world.driver({ licence: { validUntil: addDays(day, 90) } });
    const soon = await boundCar(me, addDays(day, 30));
    await boundCar(me, addDays(day, 31));
    const todos = (await home(me)).todos;
    expect(todos.inspections).toEqual([
      { plate: soon.plate, inspectionDue: addDays(day, 30), state: 'dueSoon', daysLeft: 30 },
    ]);
    expect(todos.renewal).toEqual({ validUntil: addDays(day, 90), state: 'dueSoon', daysLeft: 90 });

    const later = await world.driver({ licence: { validUntil: addDays(day, 91) } });
    expect((await home(later)).todos.renewal).toBeNull();
  });

  it('an inspection due today, one a day overdue and a licence expired yesterday are to-dos, overdue first', async () => {
    const day = shanghaiDay(Date.now());
    const me = await world.driver({ licence: { validUntil: addDays(day, -1) } });
    const today = await boundCar(me, day);
    const late = await boundCar(me, addDays(day, -1));
    const todos = (await home(me)).todos;
    expect(todos.inspections).toEqual([
      { plate: late.plate, inspectionDue: addDays(day, -1), state: 'overdue', daysLeft: -1 },
      { plate: today.plate, inspectionDue: day, state: 'dueSoon', daysLeft: 0 },
    ]);
    expect(todos.renewal).toEqual({ validUntil: addDays(day, -1), state: 'overdue', daysLeft: -1 });

    // a licence valid through today is still only due; the registry calling it expired makes it expired
    const lastDay = await world.driver({ licence: { validUntil: day } });
    expect((await home(lastDay)).todos.renewal).toEqual({ validUntil: day, state: 'dueSoon', daysLeft: 0 });
    const saidExpired = await world.driver({ licence: { validUntil: addDays(day, 200), status: 'expired' } });
    expect((await home(saidExpired)).todos.renewal).toEqual({
      validUntil: addDays(day, 200),
      state: 'overdue',
      daysLeft: 200,
    });
  });

  it('a car overdue stays a to-do as the days pass', async () => {
    const day = shanghaiDay(Date.now());
    const me = await world.driver();
    await boundCar(me, day);
    await world.setDays(40);
    expect((await home(me)).todos.inspections).toEqual([expect.objectContaining({ state: 'overdue', daysLeft: -40 })]);
  });

  it('a registered, unverified user is at the first stage with nothing else; an unknown caller is UNAUTHENTICATED', async () => {
    const me = await world.driver({ verified: false });
    expect(await home(me)).toEqual({
      stage: 'registered',
      name: null,
      licence: null,
      carCount: 0,
      cars: [],
      todos: NOTHING_TO_DO,
      unavailable: [],
    });
    expect(await world.fails('user', { action: 'home' }, 'o-hm-nobody')).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

finalChecks(w);
