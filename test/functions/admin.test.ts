/**
 * `admin`, the police system's side: the token, idempotent upserts by the registries' own keys, per-row errors
 * with the other rows applied, 1000 rows in one call, and a re-import never setting a violation back.
 */
import type { ViolationListResult, ProcessResult } from '../../miniprogram/domain/violation/contract';
import type { ProfileResult } from '../../miniprogram/domain/account/contract';
import type { ImportResult } from '../../cloudfunctions/_shared/police/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World } from '../helpers/story';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'adm');
const w = () => world;

function importRows(action: string, rows: unknown[]): Promise<ImportResult> {
  return world.admin<ImportResult>(action, { rows });
}

describe('the token', () => {
  it('a missing, wrong or oversized token is FORBIDDEN and nothing is imported; a user openid does not help', async () => {
    const person = world.newPerson();
    const rows = [world.licenceRow(person)];
    const token = cloud().adminToken;
    for (const event of [
      { action: 'importDrivers', rows },
      { action: 'importDrivers', rows, adminToken: '' },
      { action: 'importDrivers', rows, adminToken: `${token}x` },
      { action: 'importDrivers', rows, adminToken: token.slice(0, -1) },
      {
        action: 'importDrivers',
        rows,
        adminToken: token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
      },
      { action: 'importDrivers', rows, adminToken: [token] },
      { action: 'importDrivers', rows, adminToken: 'x'.repeat(10_000) },
      // the deployer's secret itself only bootstraps the first administrator
      { action: 'importDrivers', rows, adminToken: token },
      { action: 'importDrivers', rows, credential: token },
      { action: 'refundQueue' },
      { action: 'exportPayments', from: '2026-01-01', to: '2026-01-02' },
      // Even an event the parser would refuse is refused for the token first: an outsider learns nothing.
      { action: 'noSuchAction' },
    ]) {
      for (const openid of [undefined, 'o-adm-user']) {
        const reply = await world.call('admin', event, openid);
        expect({ event: event.action, reply }).toMatchObject({ reply: { ok: false, code: 'FORBIDDEN' } });
      }
    }
    // Nothing was written: the first real import inserts the row.
    expect(await importRows('importDrivers', rows)).toEqual({ inserted: 1, updated: 0, errors: [] });
  });
});

describe('imports', () => {
  it("are idempotent upserts by the registry's key: the same rows again change nothing, a changed row is updated", async () => {
    const owner = world.newPerson();
    const driverRows = [world.licenceRow(owner), world.licenceRow(world.newPerson(), { licenceClass: 'C2' })];
    expect(await importRows('importDrivers', driverRows)).toEqual({ inserted: 2, updated: 0, errors: [] });
    expect(await importRows('importDrivers', driverRows)).toEqual({ inserted: 0, updated: 0, errors: [] });
    expect(await importRows('importDrivers', [{ ...driverRows[0], cyclePoints: 3 }])).toEqual({
      inserted: 0,
      updated: 1,
      errors: [],
    });

    const plate = world.newPlate();
    const vehicle = {
      plate,
      plateType: '02',
      ownerIdNumber: owner.idNumber,
      ownerName: owner.name,
      inspectionDue: '2027-05-01',
    };
    expect(await importRows('importVehicles', [vehicle])).toEqual({ inserted: 1, updated: 0, errors: [] });
    expect(await importRows('importVehicles', [vehicle])).toEqual({ inserted: 0, updated: 0, errors: [] });
    // The same plate typed another way is the same vehicle.
    expect(await importRows('importVehicles', [{ ...vehicle, plate: plate.toLowerCase() }])).toEqual({
      inserted: 0,
      updated: 0,
      errors: [],
    });

    const violation = world.violationRow({ plate, plateType: '02' });
    expect(await importRows('importViolations', [violation])).toEqual({ inserted: 1, updated: 0, errors: [] });
    expect(await importRows('importViolations', [violation])).toEqual({ inserted: 0, updated: 0, errors: [] });
    expect(await importRows('importViolations', [{ ...violation, disputed: true }])).toEqual({
      inserted: 0,
      updated: 1,
      errors: [],
    });

    // What the person sees follows the registry: licence points and the car's violation.
    await world.verify(owner);
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, owner.openid)).licence?.cyclePoints).toBe(3);
    await world.ok('vehicle', { action: 'bindOwn', plate, plateType: '02' }, owner.openid);
    const { violations } = await world.ok<ViolationListResult>('violation', { action: 'list' }, owner.openid);
    expect(violations).toEqual([expect.objectContaining({ id: violation.violationId, reasons: ['DISPUTED'] })]);
  });

  it('report each bad row (index, code, field) and apply the others', async () => {
    const good = world.newPerson();
    const bad = world.newPerson();
    const drivers = await importRows('importDrivers', [
      world.licenceRow(bad, { idNumber: `${bad.idNumber.slice(0, 17)}${bad.idNumber.endsWith('1') ? '2' : '1'}` }),
      world.licenceRow(good),
      world.licenceRow(bad, { licenceClass: 'Z9' }),
      { ...world.licenceRow(bad), status: 'lost' },
      world.licenceRow(good),
      'not a row',
      world.licenceRow(bad, { firstIssueDate: '2099-01-01', validUntil: '2100-01-01' }),
    ]);
    expect(drivers.inserted).toBe(1);
    expect(drivers.errors.map((e) => [e.row, e.code, e.field])).toEqual([
      [0, 'INVALID_ARGUMENT', 'rows[0].idNumber'],
      [2, 'INVALID_ARGUMENT', 'rows[2].licenceClass'],
      [3, 'INVALID_ARGUMENT', 'rows[3].status'],
      [4, 'INVALID_ARGUMENT', 'rows[4]'],
      [5, 'INVALID_ARGUMENT', 'rows[5]'],
      [6, 'INVALID_ARGUMENT', 'rows[6].firstIssueDate'],
    ]);

    const car = { plate: world.newPlate(), plateType: '02' as const };
    const vehicles = await importRows('importVehicles', [
      { ...car, ownerIdNumber: good.idNumber, ownerName: good.name },
      { plate: '桂B12345', plateType: '02', ownerIdNumber: good.idNumber, ownerName: good.name },
      { plate: '桂A12345D', plateType: '52', ownerIdNumber: good.idNumber, ownerName: good.name },
      { plate: world.newPlate(), plateType: '02', ownerIdNumber: good.idNumber, ownerName: '' },
    ]);
    expect(vehicles.inserted).toBe(1);
    expect(vehicles.errors.map((e) => [e.row, e.code])).toEqual([
      [1, 'PLATE_NOT_SUPPORTED'],
      [2, 'PLATE_NOT_SUPPORTED'],
      [3, 'INVALID_ARGUMENT'],
    ]);

    const violations = await importRows('importViolations', [
      world.violationRow(car, { fine: -1 }),
      world.violationRow(car, { points: 7 }),
      world.violationRow(car),
      world.violationRow(car, { occurredAt: '2099-01-01T00:00:00+08:00' }),
      world.violationRow(car, { fine: 1.5 }),
      world.violationRow(car, { violationId: 'has space' }),
    ]);
    expect(violations.inserted).toBe(1);
    expect(violations.errors.map((e) => [e.row, e.field])).toEqual([
      [0, 'rows[0].fine'],
      [1, 'rows[1].points'],
      [3, 'rows[3].occurredAt'],
      [4, 'rows[4].fine'],
      [5, 'rows[5].violationId'],
    ]);
    // Missing or mistyped rows as a whole are INVALID_ARGUMENT.
    const credential = await world.credentialFor('importViolations');
    expect((await world.fails('admin', { action: 'importViolations', credential })).code).toBe('INVALID_ARGUMENT');
    expect((await world.fails('admin', { action: 'importViolations', credential, rows: {} })).code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('take a batch of 1000 rows in one call (and refuse 1001)', async () => {
    const car = { plate: world.newPlate(), plateType: '02' as const };
    const rows = Array.from({ length: 1000 }, () => world.violationRow(car));
    const started = Date.now();
    expect(await importRows('importViolations', rows)).toEqual({ inserted: 1000, updated: 0, errors: [] });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await importRows('importViolations', rows)).toEqual({ inserted: 0, updated: 0, errors: [] });
    const tooMany = await world.fails('admin', {
      action: 'importViolations',
      credential: await world.credentialFor('importViolations'),
      rows: [...rows, world.violationRow(car)],
    });
    expect(tooMany).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'rows', limit: 1000 } });
    const stats = await world.stats();
    expect(stats.roundTrips['admin.importViolations']?.maxTransactions).toBe(1);
  });

  it('never set a processed violation back to unprocessed (nor a paid one back to processed)', async () => {
    const person = await world.driver();
    const car = await world.car(person);
    await world.bindOwn(car);
    const row = world.violationRow(car, { points: 3 });
    await world.importViolations([row]);
    const reply = await world.process(person, [row.violationId]);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    const decision: ProcessResult = reply.data;

    // The registry has not heard of the processing yet and sends the record again as unprocessed.
    expect(await importRows('importViolations', [{ ...row, place: '民族大道与青秀路交叉口' }])).toMatchObject({
      updated: 1,
      errors: [],
    });
    const listed = async () =>
      (await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid)).violations[0];
    expect(await listed()).toMatchObject({
      status: 'processed',
      decisionNo: decision.decisionNo,
      processable: false,
      place: '民族大道与青秀路交叉口',
    });
    expect(await world.process(person, [row.violationId])).toMatchObject({ ok: false, code: 'NOT_PROCESSABLE' });
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid)).licence?.cyclePoints).toBe(3);

    // Forward moves are taken: the bank reports it paid.
    await importRows('importViolations', [{ ...row, status: 'paid' }]);
    expect(await listed()).toMatchObject({ status: 'paid' });
    await importRows('importViolations', [{ ...row, status: 'processed' }]);
    expect(await listed()).toMatchObject({ status: 'paid' });
  });
});

finalChecks(w);
