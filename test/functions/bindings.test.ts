/**
 * `vehicle`: own cars, requests for others' cars with the owner's face, the owner's inbox, approval and rejection,
 * expiry, unbind, revoke, and both quotas at their edges (3 others' cars per driver, 3 non-owner drivers per car).
 */
import type { ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type { VehicleListResult, ListRequestsResult, OwnCarsResult } from '../../miniprogram/domain/vehicle/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Car, type Person } from '../helpers/story';
import { defined } from '../helpers/matchers';

const cloud = useLocalCloud();
const world = new World(cloud, 'bnd');
const w = () => world;

afterEach(async () => {
  if (world.clockOffsetMs !== 0) await world.setClock(0);
});

async function vehicles(person: Person): Promise<VehicleListResult['vehicles']> {
  return (await world.ok<VehicleListResult>('vehicle', { action: 'list' }, person.openid)).vehicles;
}

async function requests(person: Person): Promise<ListRequestsResult> {
  return world.ok<ListRequestsResult>('vehicle', { action: 'listRequests' }, person.openid);
}

function requestEvent(car: Car, ownerName = car.owner.name) {
  return { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName };
}

describe('own cars', () => {
  it('an owner binds their own blue and green cars, as many as they own; binding one twice is ALREADY_BOUND', async () => {
    const owner = await world.driver();
    const cars = [
      await world.car(owner),
      await world.car(owner, { green: true }),
      await world.car(owner),
      await world.car(owner),
      await world.car(owner),
    ];
    for (const car of cars)
      expect(await world.bindOwn(car)).toMatchObject({ plate: car.plate, plateType: car.plateType, relation: 'own' });
    expect((await vehicles(owner)).map((v) => v.plate).sort()).toEqual(cars.map((c) => c.plate).sort());
    const again = await world.fails(
      'vehicle',
      { action: 'bindOwn', plate: cars[0]?.plate, plateType: '02' },
      owner.openid,
    );
    expect(again.code).toBe('ALREADY_BOUND');
  });

  it('plates are accepted as people type them (lower case, separator dot) and stored bare', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const typed = `${car.plate.slice(0, 2)}·${car.plate.slice(2).toLowerCase()}`;
    expect(await world.ok('vehicle', { action: 'bindOwn', plate: typed, plateType: '02' }, owner.openid)).toMatchObject(
      { plate: car.plate },
    );
  });

  it("someone else's car is NOT_OWNER; a car the registry does not know is VEHICLE_NOT_FOUND", async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const other = await world.driver();
    expect(
      (await world.fails('vehicle', { action: 'bindOwn', plate: car.plate, plateType: '02' }, other.openid)).code,
    ).toBe('NOT_OWNER');
    expect(
      (await world.fails('vehicle', { action: 'bindOwn', plate: world.newPlate(), plateType: '02' }, owner.openid))
        .code,
    ).toBe('VEHICLE_NOT_FOUND');
    // The same plate declared with the other small-car type is another vehicle (and this one is blue: a type mismatch).
    expect(
      (await world.fails('vehicle', { action: 'bindOwn', plate: car.plate, plateType: '52' }, owner.openid)).details
        ?.reasons,
    ).toEqual(['TYPE_MISMATCH']);
  });

  it('only 桂A small cars: 桂B, another province, a large new-energy plate (桂A12345D), special and malformed plates are PLATE_NOT_SUPPORTED with their reason', async () => {
    const person = await world.driver();
    const cases: Array<[string, string, string]> = [
      ['桂B12345', '02', 'OTHER_CITY_GUANGXI'],
      ['粤A12345', '02', 'OTHER_PROVINCE'],
      ['桂A12345D', '52', 'LARGE_VEHICLE'],
      ['桂A12345F', '51', 'LARGE_VEHICLE'],
      ['桂A12345', '01', 'LARGE_VEHICLE'],
      ['桂A1234学', '02', 'SPECIAL_VEHICLE'],
      ['桂AI2345', '02', 'MALFORMED'],
      ['桂A1234', '02', 'MALFORMED'],
      ['桂AD12345', '02', 'TYPE_MISMATCH'],
      ['桂A12345', '16', 'TYPE_NOT_SUPPORTED'],
    ];
    for (const [plate, plateType, reason] of cases) {
      for (const event of [
        { action: 'bindOwn', plate, plateType },
        { action: 'requestBinding', plate, plateType, ownerName: '王芳' },
      ]) {
        const reply = await world.call('vehicle', event, person.openid);
        expect({ event, reply }).toMatchObject({
          reply: { ok: false, code: 'PLATE_NOT_SUPPORTED', details: { reasons: [reason] } },
        });
      }
    }
    // The small green plate of the same characters is served.
    const green = await world.call(
      'vehicle',
      { action: 'bindOwn', plate: '桂AD12345', plateType: '52' },
      person.openid,
    );
    expect(green).toMatchObject({ ok: false, code: 'VEHICLE_NOT_FOUND' });
  });
});

describe('own cars from the registry (ownCars)', () => {
  async function ownCars(person: Person): Promise<OwnCarsResult['cars']> {
    return (await world.ok<OwnCarsResult>('vehicle', { action: 'ownCars' }, person.openid)).cars;
  }

  it("lists the caller's registered cars, blue and green, unbound first, and flags the ones already bound", async () => {
    const owner = await world.driver();
    const blue = await world.car(owner);
    const green = await world.car(owner, { green: true });
    expect(await ownCars(owner)).toEqual(
      expect.arrayContaining([
        { plate: blue.plate, plateType: '02', bound: false },
        { plate: green.plate, plateType: '52', bound: false },
      ]),
    );

    await world.bindOwn(green);
    expect(await ownCars(owner)).toEqual([
      { plate: blue.plate, plateType: '02', bound: false },
      { plate: green.plate, plateType: '52', bound: true },
    ]);
  });

  it("never lists someone else's car, even one the caller drives with the owner's consent", async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const driver = await world.driver();
    const own = await world.car(driver);
    await world.bindOther(driver, car);

    expect(await ownCars(driver)).toEqual([{ plate: own.plate, plateType: '02', bound: false }]);
    expect(await ownCars(owner)).toEqual([{ plate: car.plate, plateType: '02', bound: false }]);
    const nobody = await world.driver();
    expect(await ownCars(nobody)).toEqual([]);
  });

  it('a caller who has not passed verification is refused as on every vehicle action', async () => {
    const unverified = await world.driver({ verified: false });
    expect((await world.fails('vehicle', { action: 'ownCars' }, unverified.openid)).code).toBe('NOT_VERIFIED');
    expect((await world.fails('vehicle', { action: 'ownCars' }, 'o-bnd-never-registered')).code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe("binding someone else's car", () => {
  it('request → the owner sees it (requester masked) → face scan → approve: the driver has the car, the owner sees the driver (masked)', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const driver = await world.driver();
    const requestId = await world.request(driver, car);
    // Asking again while it is pending gives the same request.
    expect(await world.request(driver, car)).toBe(requestId);

    const inbox = await requests(owner);
    expect(inbox.incoming).toEqual([
      expect.objectContaining({
        requestId,
        plate: car.plate,
        status: 'pending',
        requesterName: `${driver.name.charAt(0)}**`,
      }),
    ]);
    expect((await requests(driver)).outgoing).toEqual([
      expect.objectContaining({ requestId, plate: car.plate, status: 'pending' }),
    ]);
    expect((await requests(driver)).outgoing[0]).not.toHaveProperty('requesterName');

    const verifyId = await world.authorize(owner, requestId);
    const approved = await world.approve(owner, requestId, verifyId);
    expect(approved).toMatchObject({ ok: true, data: { requestId, plate: car.plate } });
    const bindingId = approved.ok ? approved.data.bindingId : '';

    expect(await vehicles(driver)).toEqual([
      expect.objectContaining({
        plate: car.plate,
        relation: 'other',
        bindingId,
        ownerName: `${owner.name.charAt(0)}**`,
      }),
    ]);
    expect((await requests(owner)).incoming[0]).toMatchObject({ requestId, status: 'approved' });
    await world.bindOwn(car);
    const [ownerView] = await vehicles(owner);
    expect(ownerView?.drivers).toEqual([expect.objectContaining({ bindingId, name: `${driver.name.charAt(0)}**` })]);
    // Approving the same request again: it is no longer pending.
    expect((await world.fails('vehicle', { action: 'approve', requestId, verifyId }, owner.openid)).code).toBe(
      'NOT_FOUND',
    );
  });

  it("the owner's name must match the registry (OWNER_MISMATCH); one's own car is OWN_VEHICLE; an unknown car VEHICLE_NOT_FOUND; a bound car ALREADY_BOUND", async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const driver = await world.driver();
    expect((await world.fails('vehicle', requestEvent(car, `${owner.name}甲`), driver.openid)).code).toBe(
      'OWNER_MISMATCH',
    );
    expect((await world.fails('vehicle', requestEvent(car, owner.name.slice(0, 2)), driver.openid)).code).toBe(
      'OWNER_MISMATCH',
    );
    expect((await world.fails('vehicle', requestEvent(car), owner.openid)).code).toBe('OWN_VEHICLE');
    expect((await world.fails('vehicle', { ...requestEvent(car), plate: world.newPlate() }, driver.openid)).code).toBe(
      'VEHICLE_NOT_FOUND',
    );
    await world.bindOther(driver, car);
    expect((await world.fails('vehicle', requestEvent(car), driver.openid)).code).toBe('ALREADY_BOUND');
    expect((await requests(owner)).incoming).toHaveLength(1);
  });

  it("approval needs the owner's own passed face for that very request", async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const [driverA, driverB] = [await world.driver(), await world.driver()];
    const requestA = await world.request(driverA, car);
    const requestB = await world.request(driverB, car);

    // Without a face scan: the verification was started but nobody stood in front of the camera.
    const { verifyId: notScanned } = await world.ok<{ verifyId: string }>(
      'vehicle',
      { action: 'startAuthorize', requestId: requestA },
      owner.openid,
    );
    expect(
      (await world.fails('vehicle', { action: 'approve', requestId: requestA, verifyId: notScanned }, owner.openid))
        .code,
    ).toBe('FACE_VERIFY_FAILED');
    // With a failed face.
    const failed = await world.authorize(owner, requestA, false);
    expect(
      (await world.fails('vehicle', { action: 'approve', requestId: requestA, verifyId: failed }, owner.openid)).code,
    ).toBe('FACE_VERIFY_FAILED');
    // With a made-up verifyId, and with the owner's real-name verifyId (another purpose).
    expect(
      (
        await world.fails(
          'vehicle',
          { action: 'approve', requestId: requestA, verifyId: 'SANDBOX-forged' },
          owner.openid,
        )
      ).code,
    ).toBe('NOT_FOUND');
    const { verifyId: realName } = await world.ok<{ verifyId: string }>(
      'user',
      { action: 'startFaceVerify', name: owner.name, idNumber: owner.idNumber, purpose: 'real-person' },
      owner.openid,
    );
    await world.face(realName, true);
    expect(
      (await world.fails('vehicle', { action: 'approve', requestId: requestA, verifyId: realName }, owner.openid)).code,
    ).toBe('FORBIDDEN');
    // With the verifyId of another request.
    const forB = await world.authorize(owner, requestB);
    expect(
      (await world.fails('vehicle', { action: 'approve', requestId: requestA, verifyId: forB }, owner.openid)).code,
    ).toBe('FORBIDDEN');
    // Nothing of that bound driver A.
    expect(await vehicles(driverA)).toEqual([]);
    expect((await requests(owner)).incoming.find((r) => r.requestId === requestA)?.status).toBe('pending');

    // The right one works once; the same verifyId cannot approve again (request B with its own verifyId, reused).
    expect(await world.approve(owner, requestB, forB)).toMatchObject({ ok: true });
    const forA = await world.authorize(owner, requestA);
    expect(await world.approve(owner, requestA, forA)).toMatchObject({ ok: true });
    const driverC = await world.driver();
    const requestC = await world.request(driverC, car);
    expect(
      (await world.fails('vehicle', { action: 'approve', requestId: requestC, verifyId: forA }, owner.openid)).code,
    ).toBe('FORBIDDEN');
    const reusedSameRequest = await world.authorize(owner, requestC);
    await world.approve(owner, requestC, reusedSameRequest);
    expect(
      (
        await world.fails(
          'vehicle',
          { action: 'approve', requestId: requestC, verifyId: reusedSameRequest },
          owner.openid,
        )
      ).code,
    ).toBe('NOT_FOUND');
  });

  it('only the owner may start, approve or reject a request (NOT_OWNER), the requester included', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const driver = await world.driver();
    const stranger = await world.driver();
    const requestId = await world.request(driver, car);
    const ownersFace = await world.authorize(owner, requestId);
    for (const person of [driver, stranger]) {
      expect((await world.fails('vehicle', { action: 'startAuthorize', requestId }, person.openid)).code).toBe(
        'NOT_OWNER',
      );
      expect(
        (await world.fails('vehicle', { action: 'approve', requestId, verifyId: ownersFace }, person.openid)).code,
      ).toBe('NOT_OWNER');
      expect((await world.fails('vehicle', { action: 'reject', requestId }, person.openid)).code).toBe('NOT_OWNER');
    }
    expect(
      (await world.fails('vehicle', { action: 'startAuthorize', requestId: 'f'.repeat(32) }, owner.openid)).code,
    ).toBe('NOT_FOUND');
    // Neither the stranger nor the driver sees the request in their inbox.
    expect((await requests(stranger)).incoming).toEqual([]);
    expect((await requests(driver)).incoming).toEqual([]);
    expect(await world.approve(owner, requestId, ownersFace)).toMatchObject({ ok: true });
  });

  it('the owner may reject: the request is rejected for both, and can no longer be approved', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const driver = await world.driver();
    const requestId = await world.request(driver, car);
    const verifyId = await world.authorize(owner, requestId);
    expect(await world.ok('vehicle', { action: 'reject', requestId }, owner.openid)).toEqual({
      requestId,
      status: 'rejected',
    });
    expect((await requests(driver)).outgoing[0]).toMatchObject({ requestId, status: 'rejected' });
    expect((await world.fails('vehicle', { action: 'approve', requestId, verifyId }, owner.openid)).code).toBe(
      'NOT_FOUND',
    );
    expect((await world.fails('vehicle', { action: 'reject', requestId }, owner.openid)).code).toBe('NOT_FOUND');
    expect(await vehicles(driver)).toEqual([]);
    // The driver may ask again: a new request.
    expect(await world.request(driver, car)).not.toBe(requestId);
  });

  it('a request expires after 24 hours: at +23 h it can be approved, at +25 h it is REQUEST_EXPIRED even with a face passed before', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const [early, late] = [await world.driver(), await world.driver()];
    const earlyRequest = await world.request(early, car);
    const lateRequest = await world.request(late, car);
    const lateFace = await world.authorize(owner, lateRequest);

    await world.setClock(23 * 3_600_000);
    expect(await world.approve(owner, earlyRequest, await world.authorize(owner, earlyRequest))).toMatchObject({
      ok: true,
    });

    await world.setClock(25 * 3_600_000);
    expect((await requests(owner)).incoming.find((r) => r.requestId === lateRequest)?.status).toBe('expired');
    expect((await requests(late)).outgoing[0]?.status).toBe('expired');
    expect(
      (await world.fails('vehicle', { action: 'startAuthorize', requestId: lateRequest }, owner.openid)).code,
    ).toBe('REQUEST_EXPIRED');
    expect(
      (await world.fails('vehicle', { action: 'approve', requestId: lateRequest, verifyId: lateFace }, owner.openid))
        .code,
    ).toBe('REQUEST_EXPIRED');
    expect((await world.fails('vehicle', { action: 'reject', requestId: lateRequest }, owner.openid)).code).toBe(
      'REQUEST_EXPIRED',
    );
    expect(await vehicles(late)).toEqual([]);
    // A new request after expiry is a new one, and it works.
    const again = await world.request(late, car);
    expect(again).not.toBe(lateRequest);
    expect(await world.approve(owner, again, await world.authorize(owner, again))).toMatchObject({ ok: true });
  });
});

describe('quotas', () => {
  it('a driver may have 3 cars of others at once: the 4th request is DRIVER_QUOTA_EXCEEDED; own cars do not count', async () => {
    const driver = await world.driver();
    for (let i = 0; i < 2; i += 1) await world.bindOwn(await world.car(driver));
    const cars: Car[] = [];
    for (let i = 0; i < 4; i += 1) cars.push(await world.car(await world.driver()));
    for (const car of cars.slice(0, 3)) await world.bindOther(driver, car);
    const fourth = cars[3] as Car;
    const refused = await world.fails('vehicle', requestEvent(fourth), driver.openid);
    expect(refused).toMatchObject({ code: 'DRIVER_QUOTA_EXCEEDED', details: { limit: 3 } });
    // Another own car is still fine.
    await world.bindOwn(await world.car(driver));
    expect((await vehicles(driver)).filter((v) => v.relation === 'other')).toHaveLength(3);
  });

  it('the driver quota is checked again when the owner approves: 4 requests made while there was room, the 4th approval is refused', async () => {
    const driver = await world.driver();
    const cars: Car[] = [];
    for (let i = 0; i < 4; i += 1) cars.push(await world.car(await world.driver()));
    const requestIds = [];
    for (const car of cars) requestIds.push(await world.request(driver, car));
    for (let i = 0; i < 3; i += 1) {
      const car = cars[i] as Car;
      expect(
        await world.approve(car.owner, requestIds[i] ?? '', await world.authorize(car.owner, requestIds[i] ?? '')),
      ).toMatchObject({ ok: true });
    }
    const last = cars[3] as Car;
    const refused = await world.approve(
      last.owner,
      requestIds[3] ?? '',
      await world.authorize(last.owner, requestIds[3] ?? ''),
    );
    expect(refused).toMatchObject({ ok: false, code: 'DRIVER_QUOTA_EXCEEDED' });
    expect((await vehicles(driver)).map((v) => v.plate).sort()).toEqual(
      cars
        .slice(0, 3)
        .map((c) => c.plate)
        .sort(),
    );
    expect((await requests(last.owner)).incoming[0]?.status).toBe('pending');
  });

  it("a car may have 3 non-owner drivers at once (the owner's own binding does not count): the 4th request is VEHICLE_QUOTA_EXCEEDED", async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    await world.bindOwn(car);
    const drivers = [await world.driver(), await world.driver(), await world.driver(), await world.driver()];
    for (const d of drivers.slice(0, 3)) await world.bindOther(d, car);
    const fourth = drivers[3] as Person;
    expect(await world.fails('vehicle', requestEvent(car), fourth.openid)).toMatchObject({
      code: 'VEHICLE_QUOTA_EXCEEDED',
      details: { limit: 3 },
    });
    expect((await vehicles(owner))[0]?.drivers).toHaveLength(3);
  });

  it('the car quota is checked again at approval: 4 pending requests, the 4th approval is VEHICLE_QUOTA_EXCEEDED', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    const drivers = [await world.driver(), await world.driver(), await world.driver(), await world.driver()];
    const requestIds: string[] = [];
    for (const d of drivers) requestIds.push(await world.request(d, car));
    for (const requestId of requestIds.slice(0, 3))
      expect(await world.approve(owner, requestId, await world.authorize(owner, requestId))).toMatchObject({
        ok: true,
      });
    const last = requestIds[3] ?? '';
    expect(await world.approve(owner, last, await world.authorize(owner, last))).toMatchObject({
      ok: false,
      code: 'VEHICLE_QUOTA_EXCEEDED',
    });
    expect(await vehicles(drivers[3] as Person)).toEqual([]);
  });

  it("unbind frees the driver's quota at once; the car disappears with its violations", async () => {
    const driver = await world.driver();
    const cars: Car[] = [];
    for (let i = 0; i < 4; i += 1) cars.push(await world.car(await world.driver()));
    for (const car of cars.slice(0, 3)) await world.bindOther(driver, car);
    const first = cars[0] as Car;
    await world.violations(first, {});
    expect(
      (await world.ok<ViolationListResult>('violation', { action: 'list' }, driver.openid)).violations,
    ).toHaveLength(1);

    expect(await world.ok('vehicle', { action: 'unbind', plate: first.plate }, driver.openid)).toEqual({
      plate: first.plate,
    });
    expect((await vehicles(driver)).map((v) => v.plate)).not.toContain(first.plate);
    expect((await world.ok<ViolationListResult>('violation', { action: 'list' }, driver.openid)).violations).toEqual(
      [],
    );
    expect((await vehicles(first.owner)).flatMap((v) => v.drivers ?? [])).toEqual([]);
    await world.bindOther(driver, cars[3] as Car);
    expect((await world.fails('vehicle', { action: 'unbind', plate: first.plate }, driver.openid)).code).toBe(
      'NOT_FOUND',
    );
  });

  it('unbinding an own car, and binding it again', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    await world.bindOwn(car);
    await world.ok('vehicle', { action: 'unbind', plate: car.plate }, owner.openid);
    expect(await vehicles(owner)).toEqual([]);
    await world.bindOwn(car);
    expect(await vehicles(owner)).toHaveLength(1);
  });

  it("the owner revokes a driver: the car's slot is free at once, and the driver loses the car", async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    await world.bindOwn(car);
    const drivers = [await world.driver(), await world.driver(), await world.driver(), await world.driver()];
    const bindingIds: string[] = [];
    for (const d of drivers.slice(0, 3)) bindingIds.push(await world.bindOther(d, car));
    const revoked = drivers[0] as Person;
    await world.violations(car, {});

    // Only the owner may revoke, and only a binding of that car.
    expect(
      (await world.fails('vehicle', { action: 'revoke', plate: car.plate, bindingId: bindingIds[1] }, revoked.openid))
        .code,
    ).toBe('NOT_OWNER');
    expect(
      (await world.fails('vehicle', { action: 'revoke', plate: car.plate, bindingId: 'f'.repeat(32) }, owner.openid))
        .code,
    ).toBe('NOT_FOUND');
    expect(
      (
        await world.fails(
          'vehicle',
          { action: 'revoke', plate: world.newPlate(), bindingId: bindingIds[0] },
          owner.openid,
        )
      ).code,
    ).toBe('VEHICLE_NOT_FOUND');

    expect(
      await world.ok('vehicle', { action: 'revoke', plate: car.plate, bindingId: bindingIds[0] }, owner.openid),
    ).toEqual({ plate: car.plate, bindingId: bindingIds[0] });
    expect(await vehicles(revoked)).toEqual([]);
    expect(
      (await world.ok<ViolationListResult>('violation', { action: 'list', plate: car.plate }, revoked.openid))
        .violations,
    ).toEqual([]);
    expect((await vehicles(owner))[0]?.drivers?.map((d) => d.bindingId).sort()).toEqual(bindingIds.slice(1).sort());
    await world.bindOther(drivers[3] as Person, car);
    // Revoking the same binding again: it is gone.
    expect(
      (await world.fails('vehicle', { action: 'revoke', plate: car.plate, bindingId: bindingIds[0] }, owner.openid))
        .code,
    ).toBe('NOT_FOUND');
  });

  it('the owner may revoke without having bound the car themselves (green plate)', async () => {
    const owner = await world.driver();
    const car = await world.car(owner, { green: true });
    const driver = await world.driver();
    const bindingId = await world.bindOther(driver, car);
    expect(await world.ok('vehicle', { action: 'revoke', plate: car.plate, bindingId }, owner.openid)).toEqual({
      plate: car.plate,
      bindingId,
    });
    expect(await vehicles(driver)).toEqual([]);
  });
});

describe('a car sold in the registry', () => {
  it('takes the car from the former owner and from the drivers they allowed; the new owner binds it afresh', async () => {
    const seller = await world.driver();
    const car = await world.car(seller);
    await world.bindOwn(car);
    const driver = await world.driver();
    await world.bindOther(driver, car);
    const [id] = await world.violations(car, {});
    const since = new Date().toISOString();

    const buyer = await world.driver();
    const result = await world.importVehicles([
      { plate: car.plate, plateType: car.plateType, ownerIdNumber: buyer.idNumber, ownerName: buyer.name },
    ]);
    expect(result).toMatchObject({ updated: 1 });

    // neither the seller nor the driver they allowed sees the car or its violations any more
    for (const person of [seller, driver]) {
      expect(await vehicles(person)).toEqual([]);
      expect((await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid)).violations).toEqual(
        [],
      );
    }
    expect((await world.process(driver, [defined(id)])).ok).toBe(false);
    // the driver's slot for others' cars is free again; the buyer binds the car as their own, with no drivers on it
    expect((await world.bindOwn({ ...car, owner: buyer }, buyer.openid)).relation).toBe('own');
    expect(
      (await world.ok<ViolationListResult>('violation', { action: 'list' }, buyer.openid)).violations.map((v) => v.id),
    ).toEqual([id]);
    expect((await vehicles(buyer))[0]?.drivers).toEqual([]);
    const audit = (await world.auditSince(since)).filter((a) => a.action === 'binding.ownerChanged');
    expect(audit).toHaveLength(1);

    // importing the same row again changes nothing
    expect(
      await world.importVehicles([
        { plate: car.plate, plateType: car.plateType, ownerIdNumber: buyer.idNumber, ownerName: buyer.name },
      ]),
    ).toMatchObject({ updated: 0 });
    expect(await vehicles(buyer)).toHaveLength(1);
  });
});

finalChecks(w);
