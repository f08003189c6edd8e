/**
 * The end-to-end story, only through `POST /functions/...` and the sandboxes: the police system loads the registries,
 * an owner and two drivers register and pass face verification, the owner binds her cars and authorises both drivers
 * with her face, each driver processes violations (one as a batch), and pays — one on time, one late with the
 * surcharge — and the bank exports both payments.
 */
import type { ViolationListResult, ProcessResult } from '../../miniprogram/domain/violation/contract';
import type { ListRequestsResult, VehicleListResult } from '../../miniprogram/domain/vehicle/contract';
import type {
  CreatePaymentResult,
  PaymentStatusResult,
  PaymentListResult,
} from '../../miniprogram/domain/payment/contract';
import type { VerifyIdResult, ProfileResult } from '../../miniprogram/domain/account/contract';
import type { ExportPaymentsResult } from '../../cloudfunctions/_shared/police/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Car } from '../helpers/story';
import { match } from '../helpers/matchers';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'e2e');
const w = () => world;

it('two drivers and an owner, from registration to a paid batch', async () => {
  const storyStarted = new Date().toISOString();
  // The police system: licences, the owner's two cars, camera violations on them.
  const owner = world.newPerson();
  const liu = world.newPerson();
  const chen = world.newPerson();
  await world.importDrivers([
    world.licenceRow(owner, { licenceClass: 'C1', cyclePoints: 0 }),
    world.licenceRow(liu, { licenceClass: 'C1', cyclePoints: 2 }),
    world.licenceRow(chen, { licenceClass: 'C2', cyclePoints: 0, firstIssueDate: '2020-07-01' }),
  ]);
  const blue: Car = { plate: world.newPlate(), plateType: '02', owner };
  const green: Car = { plate: world.newPlate(true), plateType: '52', owner };
  await world.importVehicles(
    [blue, green].map((c) => ({
      plate: c.plate,
      plateType: c.plateType,
      ownerIdNumber: owner.idNumber,
      ownerName: owner.name,
      inspectionDue: '2027-06-30',
    })),
  );
  const rows = [
    world.violationRow(blue, { behaviour: '机动车违反禁令标志指示的', fine: 10_000, points: 1 }),
    world.violationRow(blue, {
      behaviour: '驾驶机动车有拨打、接听手持电话等妨碍安全驾驶行为的',
      fine: 10_000,
      points: 3,
    }),
    world.violationRow(blue, {
      behaviour: '机动车行经人行横道时未按规定减速、停车、避让行人的',
      fine: 20_000,
      points: 3,
    }),
    world.violationRow(blue, { behaviour: '驾驶机动车在高速公路应急车道内行驶的', fine: 20_000, points: 9 }),
    world.violationRow(green, { behaviour: '驾驶机动车不按规定使用安全带的', fine: 5_000, points: 1 }),
  ];
  await world.importViolations(rows);
  const [noEntry, phone, crossing, emergencyLane, seatBelt] = rows.map((r) => r.violationId) as [
    string,
    string,
    string,
    string,
    string,
  ];

  // Everyone registers and passes real-name + face verification on their phone.
  for (const person of [owner, liu, chen]) {
    expect(await world.ok('user', { action: 'register' }, person.openid)).toMatchObject({
      created: true,
      verified: false,
    });
    const { verifyId } = await world.ok<VerifyIdResult>(
      'user',
      { action: 'startFaceVerify', name: person.name, idNumber: person.idNumber, purpose: 'real-person' },
      person.openid,
    );
    await world.face(verifyId, true);
    await world.ok('user', { action: 'confirmFaceVerify', verifyId }, person.openid);
    expect(await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid)).toMatchObject({
      verified: true,
      licence: { status: 'valid' },
    });
  }

  // The owner binds her cars; the drivers ask to drive the blue one.
  await world.bindOwn(blue);
  await world.bindOwn(green);
  const requests = [await world.request(liu, blue), await world.request(chen, blue)];
  const inbox = await world.ok<ListRequestsResult>('vehicle', { action: 'listRequests' }, owner.openid);
  expect(inbox.incoming.map((r) => [r.requestId, r.status, r.requesterName]).sort()).toEqual(
    [
      [requests[0], 'pending', `${liu.name.charAt(0)}**`],
      [requests[1], 'pending', `${chen.name.charAt(0)}**`],
    ].sort(),
  );
  for (const requestId of requests) {
    const verifyId = await world.authorize(owner, requestId);
    expect(await world.approve(owner, requestId, verifyId)).toMatchObject({ ok: true, data: { plate: blue.plate } });
  }
  const ownerCars = await world.ok<VehicleListResult>('vehicle', { action: 'list' }, owner.openid);
  expect(ownerCars.vehicles.find((v) => v.plate === blue.plate)?.drivers).toHaveLength(2);

  // 刘 sees the blue car's violations: the 9-point one is for the counter, the rest he may process.
  const seen = await world.ok<ViolationListResult>('violation', { action: 'list' }, liu.openid);
  expect(seen.cyclePoints).toBe(2);
  expect(seen.violations.map((v) => v.id).sort()).toEqual([noEntry, phone, crossing, emergencyLane].sort());
  expect(seen.violations.find((v) => v.id === emergencyLane)).toMatchObject({
    processable: false,
    reasons: ['POINTS_OVER_LIMIT'],
  });
  // 2 + 1 + 3 + 3 = 9: the batch of three is one decision.
  const batch = await world.ok<ProcessResult>(
    'violation',
    { action: 'process', violationIds: [noEntry, phone, crossing] },
    liu.openid,
  );
  expect(batch).toMatchObject({ amount: 40_000, points: 7, violationIds: [noEntry, phone, crossing] });
  expect((await world.ok<ProfileResult>('user', { action: 'profile' }, liu.openid)).licence?.cyclePoints).toBe(9);
  // 陈 sees them processed now; the owner processes the green car's herself.
  expect(
    (await world.ok<ViolationListResult>('violation', { action: 'list' }, chen.openid)).violations.filter(
      (v) => v.processable,
    ),
  ).toEqual([]);
  const ownDecision = await world.ok<ProcessResult>(
    'violation',
    { action: 'process', violationIds: [seatBelt] },
    owner.openid,
  );

  // 刘 pays his batch on the day: WeChat Pay (the sandbox) reports it and calls payCallback.
  const order = await world.ok<CreatePaymentResult>(
    'payment',
    { action: 'create', decisionId: batch.decisionId },
    liu.openid,
  );
  expect(order.amount).toBe(40_000);
  expect((await world.pay(order.outTradeNo)).body).toMatchObject({ acknowledged: true });
  expect(
    await world.ok<PaymentStatusResult>('payment', { action: 'status', orderId: order.orderId }, liu.openid),
  ).toMatchObject({ status: 'paid', amount: 40_000 });
  const receipts = await world.ok<PaymentListResult>('payment', { action: 'list' }, liu.openid);
  expect(receipts.orders).toEqual([
    expect.objectContaining({ decisionNo: batch.decisionNo, status: 'paid', amount: 40_000 }),
  ]);
  for (const id of [noEntry, phone, crossing]) {
    expect(
      (await world.ok<ViolationListResult>('violation', { action: 'list' }, liu.openid)).violations.find(
        (v) => v.id === id,
      ),
    ).toMatchObject({ status: 'paid', decisionNo: batch.decisionNo });
    // the owner sees her car's record paid, not 刘's decision
    const ownersView = (
      await world.ok<ViolationListResult>('violation', { action: 'list' }, owner.openid)
    ).violations.find((v) => v.id === id);
    expect(ownersView).toMatchObject({ status: 'paid' });
    expect(ownersView).not.toHaveProperty('decisionNo');
  }

  // The owner pays hers on day 16 after the decision: 3 % of 50 yuan added.
  await world.setDay(ownDecision.decisionDate ?? '', 16);
  const late = await world.ok<CreatePaymentResult>(
    'payment',
    { action: 'create', decisionId: ownDecision.decisionId },
    owner.openid,
  );
  expect(late).toMatchObject({ amount: 5_150, fine: 5_000, surcharge: 150 });
  await world.pay(late.outTradeNo);
  expect(
    (await world.ok<PaymentStatusResult>('payment', { action: 'status', orderId: late.orderId }, owner.openid)).status,
  ).toBe('paid');
  const paidDay = shanghaiDay(Date.now() + world.clockOffsetMs);
  await world.setClock(0);

  // The bank reconciles both payments.
  const { payments } = await world.admin<ExportPaymentsResult>('exportPayments', {
    from: shanghaiDay(Date.now()),
    to: paidDay,
  });
  expect(payments.map((p) => [p.decisionNo, p.amount, p.status]).sort()).toEqual(
    [
      [batch.decisionNo, 40_000, 'paid'],
      [ownDecision.decisionNo, 5_150, 'paid'],
    ].sort(),
  );

  // The owner lets 陈 go: he no longer sees the car.
  const chenBinding =
    (await world.ok<VehicleListResult>('vehicle', { action: 'list' }, chen.openid)).vehicles[0]?.bindingId ?? '';
  await world.ok('vehicle', { action: 'revoke', plate: blue.plate, bindingId: chenBinding }, owner.openid);
  expect((await world.ok<VehicleListResult>('vehicle', { action: 'list' }, chen.openid)).vehicles).toEqual([]);
  expect((await world.ok<ViolationListResult>('violation', { action: 'list' }, chen.openid)).violations).toEqual([]);

  // Every state change left an audit record: who, what, before and after.
  const trail = await world.auditSince(storyStarted);
  const done = (openid: string, action: string) => trail.filter((a) => a.openid === openid && a.action === action);
  for (const person of [owner, liu, chen]) {
    expect(done(person.openid, 'user.register')).toHaveLength(1);
    expect(done(person.openid, 'person.verified')).toHaveLength(1);
  }
  expect(done(owner.openid, 'binding.own')).toHaveLength(2);
  expect(done(liu.openid, 'binding.request')).toHaveLength(1);
  expect(done(owner.openid, 'binding.approve')).toEqual(
    requests.map((id) =>
      match.objectContaining({
        target: `bindingRequests/${id}`,
        before: 'pending',
        after: match.objectContaining({ status: 'approved' }),
      }),
    ),
  );
  expect(done(liu.openid, 'violation.process')).toEqual([
    expect.objectContaining({
      target: `decisions/${batch.decisionId}`,
      before: match.objectContaining({ status: 'unprocessed', cyclePoints: 2 }),
      after: match.objectContaining({ status: 'processed', cyclePoints: 9 }),
    }),
  ]);
  expect(done(liu.openid, 'payment.settle')).toEqual([
    expect.objectContaining({ target: `orders/${order.outTradeNo}`, before: 'unpaid', after: 'paid' }),
  ]);
  expect(done(owner.openid, 'binding.revoke')).toHaveLength(1);
  // The trail names people by openid and hashed ids only.
  const text = JSON.stringify(trail);
  for (const person of [owner, liu, chen]) {
    expect(text).not.toContain(person.idNumber);
    expect(text).not.toContain(person.name);
  }
});

finalChecks(w);
