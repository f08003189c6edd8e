/**
 * Driver-credit certificates: the snapshot a driver gets, who can see and revoke it, what an employer without an
 * account sees, expiry and revocation, and guessing — slowed, then locked, per number and per account.
 */
import {
  CERTIFICATE_NUMBER_PATTERN,
  LOCK_AFTER_FAILURES,
  MAX_CERTIFICATES_PER_DAY,
  MAX_FAILURES_PER_CALLER_PER_DAY,
} from '../../miniprogram/domain/certificate/certificate';
import { maskIdNumber, maskName } from '../../miniprogram/domain/account/id-number';
import { personIdOf } from '../../cloudfunctions/_shared/ids';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Person } from '../helpers/story';
import type {
  CertificateDetail,
  CertificateVerification,
  CertificateListResult,
  CertificateItem,
} from '../../miniprogram/domain/certificate/contract';
import { defined } from '../helpers/matchers';

jest.setTimeout(90_000);
// More instances than the default 4, so a burst really runs at once.
const cloud = useLocalCloud({ instances: 8 });
const world = new World(cloud, 'crt');

async function issue(person: Person): Promise<CertificateDetail> {
  return world.ok<CertificateDetail>('certificate', { action: 'issue' }, person.openid);
}

function verify(number: string, code: string, openid = 'o-crt-employer') {
  return world.call<CertificateVerification>('certificate', { action: 'verify', number, code }, openid);
}

/** Documents of `collection` as stored, read through the real SDK as the police's tooling would. */
async function stored(collection: string, filter: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  const restore = pointSdkAt(cloud());
  try {
    const { data } = await sdk().database().collection(collection).where(filter).limit(100).get();
    return data;
  } finally {
    restore();
  }
}

/** Which of `ids` exist in `collection`, each looked up by _id. */
async function existing(collection: string, ids: readonly string[]): Promise<string[]> {
  const restore = pointSdkAt(cloud());
  try {
    const found = await Promise.all(
      ids.map(async (id) => {
        const { data } = await sdk().database().collection(collection).where({ _id: id }).limit(1).get();
        return (data as unknown[]).length > 0 ? [id] : [];
      }),
    );
    return found.flat();
  } finally {
    restore();
  }
}

/** A verified driver with one processed (unpaid) and one untouched violation on their own car. */
async function driverWithRecord(): Promise<Person> {
  const driver = await world.driver({ licence: { licenceClass: 'C1', cyclePoints: 2 } });
  const car = await world.car(driver);
  await world.bindOwn(car);
  const [processed] = await world.violations(
    car,
    { points: 3, fine: 20_000, behaviour: '机动车不按交通信号灯规定通行的' },
    { points: 1 },
  );
  const reply = await world.process(driver, [defined(processed)]);
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  return driver;
}

describe('issuing and viewing', () => {
  it('snapshots the record at that moment, masked, valid for 30 days, with an unguessable code', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    expect(cert.number).toMatch(CERTIFICATE_NUMBER_PATTERN);
    expect(cert.code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(cert.status).toBe('valid');
    expect(Date.parse(cert.expiresAt) - Date.parse(cert.issuedAt)).toBe(30 * 86_400_000);
    expect(cert.snapshot).toMatchObject({
      name: maskName(driver.name),
      idNumber: maskIdNumber(driver.idNumber),
      licenceClass: 'C1',
      licenceStatus: 'valid',
      cyclePoints: 5,
      // 2 of the 5 came from the registry (counter, on the spot): no online decision here explains them
      otherPoints: 2,
      violationCount: 1,
      violationsByKind: [{ behaviour: '机动车不按交通信号灯规定通行的', count: 1, points: 3 }],
      unpaidCount: 1,
      unpaidAmount: 20_000,
    });
    // a snapshot: what happens afterwards does not change it
    const again = await world.ok<CertificateDetail>(
      'certificate',
      { action: 'detail', number: cert.number },
      driver.openid,
    );
    expect(again).toEqual(cert);
    const listed = await world.ok<CertificateListResult>('certificate', { action: 'list' }, driver.openid);
    expect(listed.certificates.map((c) => c.number)).toEqual([cert.number]);
  });

  it("never shows or revokes another driver's certificate, and lists only one's own", async () => {
    const owner = await driverWithRecord();
    const other = await world.driver();
    const cert = await issue(owner);
    expect((await world.fails('certificate', { action: 'detail', number: cert.number }, other.openid)).code).toBe(
      'NOT_FOUND',
    );
    expect((await world.fails('certificate', { action: 'revoke', number: cert.number }, other.openid)).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await world.ok<CertificateListResult>('certificate', { action: 'list' }, other.openid)).certificates,
    ).toEqual([]);
    expect((await verify(cert.number, cert.code)).ok).toBe(true);
  });

  it('needs a verified driver with a licence; at most 5 a day', async () => {
    const unverified = await world.driver({ verified: false });
    expect((await world.fails('certificate', { action: 'issue' }, unverified.openid)).code).toBe('NOT_VERIFIED');
    const noLicence = await world.driver({ licence: null });
    expect((await world.fails('certificate', { action: 'issue' }, noLicence.openid)).code).toBe('LICENCE_NOT_FOUND');
    const busy = await world.driver();
    for (let i = 0; i < MAX_CERTIFICATES_PER_DAY; i += 1) await issue(busy);
    expect(await world.fails('certificate', { action: 'issue' }, busy.openid)).toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: MAX_CERTIFICATES_PER_DAY },
    });
  });

  it('a concurrent burst of issues: exactly 5 go through, the rest are RATE_LIMITED, and exactly 5 are stored', async () => {
    const busy = await world.driver();
    const replies = await Promise.all(
      Array.from({ length: MAX_CERTIFICATES_PER_DAY + 4 }, () =>
        world.call<CertificateDetail>('certificate', { action: 'issue' }, busy.openid),
      ),
    );
    const issued = replies.flatMap((r) => (r.ok ? [r.data.number] : []));
    expect(issued).toHaveLength(MAX_CERTIFICATES_PER_DAY);
    expect(replies.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(4).fill('RATE_LIMITED'));
    expect(new Set(issued).size).toBe(MAX_CERTIFICATES_PER_DAY);
    const listed = await world.ok<CertificateListResult>('certificate', { action: 'list' }, busy.openid);
    expect(listed.certificates.map((c) => c.number).sort()).toEqual([...issued].sort());
    expect(await stored('certificates', { personId: personIdOf(busy.idNumber) })).toHaveLength(
      MAX_CERTIFICATES_PER_DAY,
    );
  });

  it("records a licence past its validity as expired, whatever the registry's status field says", async () => {
    const driver = await world.driver({ licence: { validUntil: '2020-01-01', status: 'valid' } });
    expect((await issue(driver)).snapshot).toMatchObject({ licenceStatus: 'expired', licenceValidUntil: '2020-01-01' });
  });

  it('refuses malformed numbers as a typed INVALID_ARGUMENT naming the field', async () => {
    const driver = await world.driver();
    const failure = await world.fails('certificate', { action: 'detail', number: 'XY12' }, driver.openid);
    expect(failure).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'number' } });
    expect((await verify('../../etc', 'x')).ok).toBe(false);
  });
});

describe('what an employer sees', () => {
  it('checks with number and code, without an account; forgives dashes, spaces and case', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const reply = await verify(
      cert.number,
      ` ${cert.code.toLowerCase().replace(/-/g, ' ')} `,
      'o-crt-unregistered-employer',
    );
    // exactly these fields: no personId, openid, code or other internal field can slip into what a stranger sees
    expect(reply).toEqual({
      ok: true,
      data: {
        number: cert.number,
        status: 'valid',
        issuedAt: cert.issuedAt,
        expiresAt: cert.expiresAt,
        snapshot: cert.snapshot,
      },
    });
    if (!reply.ok) return;
    expect(Object.keys(reply.data.snapshot ?? {}).sort()).toEqual(
      [
        'name',
        'idNumber',
        'licenceClass',
        'licenceStatus',
        'licenceValidUntil',
        'cycleStart',
        'cycleEnd',
        'cyclePoints',
        'otherPoints',
        'violationsByKind',
        'violationCount',
        'unpaidCount',
        'unpaidAmount',
        'asOf',
      ].sort(),
    );
    for (const kind of reply.data.snapshot?.violationsByKind ?? [])
      expect(Object.keys(kind).sort()).toEqual(['behaviour', 'count', 'points']);
    const text = JSON.stringify(reply);
    for (const secret of [cert.code.replace(/-/g, ''), cert.code, driver.openid, personIdOf(driver.idNumber)])
      expect(text).not.toContain(secret);
  });

  it('answers a wrong code and an unknown number the same way', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const wrong = await verify(cert.number, 'AAAA-AAAA-AAAA', 'o-crt-e1');
    const unknown = await verify('XY2000010100000000', cert.code, 'o-crt-e1');
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ ok: false, code: 'CERTIFICATE_MISMATCH' });
  });

  it('shows a revoked certificate as revoked and an old one as expired', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const revoked = await world.ok<CertificateItem>(
      'certificate',
      { action: 'revoke', number: cert.number },
      driver.openid,
    );
    expect(revoked.status).toBe('revoked');
    expect(await verify(cert.number, cert.code)).toEqual({
      ok: true,
      data: {
        number: cert.number,
        status: 'revoked',
        issuedAt: cert.issuedAt,
        expiresAt: cert.expiresAt,
        revokedAt: revoked.revokedAt,
        snapshot: null,
      },
    });
    // revoking twice is harmless
    expect(
      (await world.ok<CertificateItem>('certificate', { action: 'revoke', number: cert.number }, driver.openid)).status,
    ).toBe('revoked');

    const kept = await issue(driver);
    await world.setClock(30 * 86_400_000 - 60_000);
    expect(await verify(kept.number, kept.code)).toMatchObject({ ok: true, data: { status: 'valid' } });
    await world.setClock(30 * 86_400_000 + 1000);
    expect(await verify(kept.number, kept.code)).toMatchObject({ ok: true, data: { status: 'expired' } });
    await world.setClock(0);
  });
});

describe('guessing', () => {
  it('is answered at once three times, then slowed (30 s, 60 s…), then locked for a day — even for the right code', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const guesser = 'o-crt-guesser';
    let offset = 0;
    for (let i = 1; i <= LOCK_AFTER_FAILURES; i += 1) {
      const reply = await verify(cert.number, 'AAAA-AAAA-AAAA', guesser);
      expect(reply).toMatchObject({
        ok: false,
        code: i < LOCK_AFTER_FAILURES ? 'CERTIFICATE_MISMATCH' : 'CERTIFICATE_LOCKED',
      });
      if (i === 3) {
        // the next try comes too soon
        expect(await verify(cert.number, cert.code, guesser)).toMatchObject({
          ok: false,
          code: 'RATE_LIMITED',
          details: { retryAfterSeconds: 30 },
        });
      }
      if (i >= 3 && i < LOCK_AFTER_FAILURES) {
        offset += 30_000 * 2 ** (i - 3) + 1000;
        await world.setClock(offset);
      }
    }
    expect(await verify(cert.number, cert.code, 'o-crt-another')).toMatchObject({
      ok: false,
      code: 'CERTIFICATE_LOCKED',
    });
    await world.setClock(offset + 24 * 3_600_000 - 5_000);
    expect(await verify(cert.number, cert.code, 'o-crt-another')).toMatchObject({
      ok: false,
      code: 'CERTIFICATE_LOCKED',
    });
    await world.setClock(offset + 24 * 3_600_000 + 5_000);
    expect(await verify(cert.number, cert.code, 'o-crt-another')).toMatchObject({
      ok: true,
      data: { status: 'valid' },
    });
    await world.setClock(0);
  });

  it('cannot slip past the count with parallel guesses', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        verify(cert.number, `AAAA-AAAA-AA${'AB'.charAt(i % 2)}${'CD'.charAt(i % 2)}`, `o-crt-par-${i}`),
      ),
    );
    const codes = replies.map((r) => (r.ok ? 'OK' : r.code));
    expect(codes).not.toContain('OK');
    expect(codes.filter((c) => c === 'CERTIFICATE_MISMATCH')).toHaveLength(3);
    expect(await verify(cert.number, cert.code, 'o-crt-par-late')).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });

  it('stops an account that walks through numbers after 30 wrong answers in a day', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const walker = 'o-crt-walker';
    for (let i = 0; i < MAX_FAILURES_PER_CALLER_PER_DAY; i += 1) {
      const reply = await verify(`XY20261124${String(90_000_000 + i)}`, 'AAAA-AAAA-AAAA', walker);
      expect(reply).toMatchObject({ ok: false, code: 'CERTIFICATE_MISMATCH' });
    }
    expect(await verify(cert.number, cert.code, walker)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(await verify(cert.number, cert.code, 'o-crt-honest')).toMatchObject({ ok: true });
  });

  it("cannot slip past the account's daily cap with a parallel burst across numbers: exactly 30 are counted", async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const walker = 'o-crt-burst-walker';
    const numbers = Array.from(
      { length: MAX_FAILURES_PER_CALLER_PER_DAY + 6 },
      (_, i) => `XY20261124${String(91_000_000 + i)}`,
    );
    const replies = await Promise.all(numbers.map((n) => verify(n, 'AAAA-AAAA-AAAA', walker)));
    const codes = replies.map((r) => (r.ok ? 'OK' : r.code));
    expect(codes.filter((c) => c === 'CERTIFICATE_MISMATCH')).toHaveLength(MAX_FAILURES_PER_CALLER_PER_DAY);
    expect(codes.filter((c) => c !== 'CERTIFICATE_MISMATCH')).toEqual(Array(6).fill('RATE_LIMITED'));
    // a refused guess is not recorded against its number either: exactly 30 numbers hold a wrong try
    expect(await existing('certificateAttempts', numbers)).toHaveLength(MAX_FAILURES_PER_CALLER_PER_DAY);
    expect(await verify(cert.number, cert.code, walker)).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      details: { limit: MAX_FAILURES_PER_CALLER_PER_DAY },
    });
  });
});

finalChecks(() => world);
