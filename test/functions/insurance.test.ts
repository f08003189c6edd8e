/**
 * `insurance` on the local cloud, against its labelled Ping An sandbox: the policies of an own bound car; other
 * insurers INSURER_NOT_SUPPORTED; cars not one's own NOT_OWNER (bound as another's, not bound, sold since);
 * "no policy" NOT_FOUND; Ping An down INSURER_UNAVAILABLE.
 */
import { INSURERS } from '../../miniprogram/domain/insurance/insurers';
import type { PolicyResult } from '../../miniprogram/domain/insurance/contract';
import { DEMO_PEOPLE } from '../../scripts/seed/nanning';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Car, type Person } from '../helpers/story';
import { match } from '../helpers/matchers';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'ins');
const w = () => world;

const NOT_OWN = { ok: false, code: 'NOT_OWNER', message: '电子保单只能查询您本人名下、已绑定的车辆。' };

/** A demo owner of the seed (the Ping An sandbox holds policies for their cars), as a person of this file. */
async function demoOwner(who: { idNumber: string; name: string }, openid: string): Promise<Person> {
  const person = { openid, idNumber: who.idNumber, name: who.name };
  world.people.push(person);
  await world.importDrivers([world.licenceRow(person)]);
  await world.verify(person);
  return person;
}

async function ownCar(owner: Person, plate: string, plateType: '02' | '52'): Promise<Car> {
  const car: Car = { plate, plateType, owner };
  await world.importVehicles([{ plate, plateType, ownerIdNumber: owner.idNumber, ownerName: owner.name }]);
  await world.bindOwn(car);
  return car;
}

function policy(openid: string, plate: string, insurer = 'pingan') {
  return world.call<PolicyResult>('insurance', { action: 'policy', plate, insurer }, openid);
}

let li: Person;
let liCar: Car;

beforeAll(async () => {
  li = await demoOwner(DEMO_PEOPLE.liMing, 'o-ins-li');
  liCar = await ownCar(li, '桂A12345', '02');
});

describe('insurance.policy', () => {
  it("answers the own car's Ping An policies: number, type, period, status, the insured car with its VIN masked", async () => {
    const reply = await policy(li.openid, liCar.plate);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    const result = reply.data;
    expect(result).toMatchObject({ insurer: 'pingan', insurerName: '平安保险', plate: '桂A12345', sandbox: true });
    expect(result.policies.map((p) => p.type)).toEqual(['compulsory', 'commercial']);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const p of result.policies) {
      expect(p.policyNo).toMatch(/^PA\d{8}(JQX|SYX)\d{8}$/);
      expect(p.plate).toBe('桂A12345');
      expect(p.vin).toMatch(/^LSV\*{10}[0-9]{4}$/);
      expect(p.model).toContain('朗逸');
      expect(p.status).toBe('active');
      expect(p.startDate <= today && today <= p.endDate).toBe(true);
    }
    // the same answer every time (seeded deterministically)
    expect(await policy(li.openid, liCar.plate)).toEqual(reply);

    const green = await ownCar(li, '桂AD12345', '52');
    expect(await policy(li.openid, green.plate)).toMatchObject({
      ok: true,
      data: { policies: [{ type: 'compulsory', model: match.stringContaining('比亚迪') }] },
    });
  });

  it('every insurer but Ping An is INSURER_NOT_SUPPORTED, an unknown code INVALID_ARGUMENT', async () => {
    for (const insurer of INSURERS.filter((code) => code !== 'pingan')) {
      expect(await policy(li.openid, liCar.plate, insurer)).toEqual({
        ok: false,
        code: 'INSURER_NOT_SUPPORTED',
        message: '暂只支持平安保险。',
      });
    }
    expect(await policy(li.openid, liCar.plate, 'acme')).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });

  it("only for an own bound car: another's car I drive, a car not bound, a car sold since binding are NOT_OWNER", async () => {
    const wang = await demoOwner(DEMO_PEOPLE.wangFang, 'o-ins-wang');
    const wangCar = await ownCar(wang, '桂AB2C34', '02');
    const driver = await world.driver();
    await world.bindOther(driver, wangCar);
    expect(await policy(driver.openid, wangCar.plate)).toEqual(NOT_OWN);
    expect(await policy(driver.openid, liCar.plate)).toEqual(NOT_OWN);
    expect(await policy(wang.openid, wangCar.plate)).toMatchObject({ ok: true, data: { policies: [{}, {}] } });

    // 王芳 sells the car: the registry names the new owner; her old binding no longer makes it hers
    await world.importVehicles([
      { plate: wangCar.plate, plateType: '02', ownerIdNumber: driver.idNumber, ownerName: driver.name },
    ]);
    expect(await policy(wang.openid, wangCar.plate)).toEqual(NOT_OWN);
  });

  it('an own car Ping An holds no policy for is NOT_FOUND, said so', async () => {
    const me = await world.driver();
    const car = await world.car(me);
    await world.bindOwn(car);
    expect(await policy(me.openid, car.plate)).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: '未在平安保险查询到该车辆的保单。',
    });
    // 王芳's green car is insured elsewhere in the demo data
    const wang = { openid: 'o-ins-wang', idNumber: DEMO_PEOPLE.wangFang.idNumber, name: DEMO_PEOPLE.wangFang.name };
    await ownCar(wang, '桂AF35678', '52');
    expect(await policy(wang.openid, '桂AF35678')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('Ping An down is INSURER_UNAVAILABLE, and it works again when Ping An is back', async () => {
    const outage = (on: boolean) =>
      cloud().request('POST', '/sandbox/pingan/outage', JSON.stringify({ on }), { 'content-type': 'application/json' });
    expect((await outage(true)).body).toEqual({ sandbox: true, outage: true });
    try {
      expect(await policy(li.openid, liCar.plate)).toEqual({
        ok: false,
        code: 'INSURER_UNAVAILABLE',
        message: '保险公司系统暂时无法查询，请稍后重试。',
      });
    } finally {
      await outage(false);
    }
    expect(await policy(li.openid, liCar.plate)).toMatchObject({ ok: true });
  });

  it('needs a verified user; the sandbox says what it plays', async () => {
    expect(await policy('o-ins-nobody', '桂A12345')).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const unverified = await world.driver({ verified: false });
    expect(await policy(unverified.openid, '桂A12345')).toMatchObject({ ok: false, code: 'NOT_VERIFIED' });
    const about = await cloud().request<{ sandbox: boolean; demoPlates: string[] }>('GET', '/sandbox/pingan');
    expect(about.body).toMatchObject({ sandbox: true, demoPlates: match.arrayContaining(['桂A12345', '桂AB2C34']) });
  });
});

finalChecks(w);
