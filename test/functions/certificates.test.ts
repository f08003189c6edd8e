/**
 * Driver-credit certificates: the snapshot a driver gets, who can see and revoke it, what an employer without an
 * account sees, expiry and revocation, and guessing — slowed, then locked for the guesser, a ceiling per number
 * that never shuts out the holder, daily caps per account, per address and for all calls without an account.
 */
import {
  CERTIFICATE_NUMBER_PATTERN,
  LOCK_AFTER_FAILURES,
  MAX_ANONYMOUS_FAILURES_PER_DAY,
  MAX_CERTIFICATES_PER_DAY,
  MAX_FAILURES_PER_CALLER_PER_DAY,
  NUMBER_LOCK_AFTER_FAILURES,
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

/** A call without a WeChat identity and without an address (server to server). */
function verifyAnonymously(number: string, code: string) {
  return world.call<CertificateVerification>('certificate', { action: 'verify', number, code });
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
  it('one guesser is answered at once three times, then slowed (30 s, 60 s…), then locked for a day — even for the right code', async () => {
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
    expect(await verify(cert.number, cert.code, guesser)).toMatchObject({ ok: false, code: 'CERTIFICATE_LOCKED' });
    // the lock is the guesser's: the holder and everyone else still get their answer
    expect(await verify(cert.number, cert.code, driver.openid)).toMatchObject({ ok: true, data: { status: 'valid' } });
    expect(await verify(cert.number, cert.code, 'o-crt-another')).toMatchObject({
      ok: true,
      data: { status: 'valid' },
    });
    await world.setClock(offset + 24 * 3_600_000 - 5_000);
    expect(await verify(cert.number, cert.code, guesser)).toMatchObject({ ok: false, code: 'CERTIFICATE_LOCKED' });
    await world.setClock(offset + 24 * 3_600_000 + 5_000);
    expect(await verify(cert.number, cert.code, guesser)).toMatchObject({ ok: true, data: { status: 'valid' } });
    await world.setClock(0);
  });

  it("the holder's own wrong codes are answered and never counted", async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    for (let i = 0; i < LOCK_AFTER_FAILURES + 2; i += 1)
      expect(await verify(cert.number, 'AAAA-AAAA-AAAA', driver.openid)).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_MISMATCH',
      });
    expect(await verify(cert.number, cert.code, driver.openid)).toMatchObject({ ok: true, data: { status: 'valid' } });
    expect(await existing('certificateAttempts', [cert.number])).toEqual([]);
  });

  it("30 parallel wrong guesses from one account: 3 are counted, then the account's lock holds", async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const guesser = 'o-crt-par-guesser';
    const burst = async (): Promise<string[]> =>
      (await Promise.all(Array.from({ length: 30 }, () => verify(cert.number, 'AAAA-AAAA-AAAA', guesser)))).map((r) =>
        r.ok ? 'OK' : r.code,
      );
    const first = await burst();
    expect(first.filter((c) => c === 'CERTIFICATE_MISMATCH')).toHaveLength(3);
    expect(first.filter((c) => c !== 'CERTIFICATE_MISMATCH')).toEqual(Array(27).fill('RATE_LIMITED'));
    // the slow-down is the guesser's alone
    expect(await verify(cert.number, cert.code, 'o-crt-par-honest')).toMatchObject({ ok: true });
    // waits served one by one up to the 9th wrong code, then another burst: exactly one more counts and locks
    let offset = 0;
    for (let i = 3; i < LOCK_AFTER_FAILURES - 1; i += 1) {
      offset += 30_000 * 2 ** (i - 3) + 1000;
      await world.setClock(offset);
      expect(await verify(cert.number, 'AAAA-AAAA-AAAA', guesser)).toMatchObject({ code: 'CERTIFICATE_MISMATCH' });
    }
    offset += 30_000 * 2 ** (LOCK_AFTER_FAILURES - 4) + 1000;
    await world.setClock(offset);
    expect(await burst()).toEqual(Array(30).fill('CERTIFICATE_LOCKED'));
    const [everyone] = await stored('certificateAttempts', { _id: cert.number });
    expect(everyone).toMatchObject({ failures: LOCK_AFTER_FAILURES });
    expect(await verify(cert.number, cert.code, guesser)).toMatchObject({ ok: false, code: 'CERTIFICATE_LOCKED' });
    expect(await verify(cert.number, cert.code, driver.openid)).toMatchObject({ ok: true });
    await world.setClock(0);
  });

  it('guessing spread over many accounts hits the ceiling: locked for everyone but the holder', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const codes: string[] = [];
    for (let batch = 0; batch < NUMBER_LOCK_AFTER_FAILURES / 10; batch += 1) {
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => verify(cert.number, 'AAAA-AAAA-AAAA', `o-crt-swarm-${batch}-${i}`)),
      );
      codes.push(...replies.map((r) => (r.ok ? 'OK' : r.code)));
    }
    // counted exactly: the 100th wrong code locks, none before it
    expect(codes.filter((c) => c === 'CERTIFICATE_MISMATCH')).toHaveLength(NUMBER_LOCK_AFTER_FAILURES - 1);
    expect(codes.filter((c) => c !== 'CERTIFICATE_MISMATCH')).toEqual(['CERTIFICATE_LOCKED']);
    const locked = await verify(cert.number, cert.code, 'o-crt-swarm-late-employer');
    expect(locked).toMatchObject({ ok: false, code: 'CERTIFICATE_LOCKED', details: { retryAfterSeconds: 86_400 } });
    expect(await verify(cert.number, cert.code)).toMatchObject({ ok: false, code: 'CERTIFICATE_LOCKED' });
    // the person it was issued to always gets their answer
    expect(await verify(cert.number, cert.code, driver.openid)).toMatchObject({ ok: true, data: { status: 'valid' } });
    await world.setClock(24 * 3_600_000 + 5_000);
    expect(await verify(cert.number, cert.code, 'o-crt-swarm-late-employer')).toMatchObject({ ok: true });
    await world.setClock(0);
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

describe('calls without a WeChat identity', () => {
  /** certificate.verify as the HTTP access service would hand it over, from `sourceIp`. */
  function overHttp(sourceIp: string, number: string, code: string) {
    return world.call<CertificateVerification>('certificate', {
      path: '/certificate',
      httpMethod: 'POST',
      headers: { 'content-type': 'application/json' },
      requestContext: { requestId: 'r', envId: 'local', sourceIp },
      body: JSON.stringify({ action: 'verify', number, code }),
      isBase64Encoded: false,
    });
  }

  it('are answered, and capped per address and all together: forged addresses do not lift the cap', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    expect(await overHttp('203.0.113.1', cert.number, cert.code)).toMatchObject({ ok: true });
    expect(await verifyAnonymously(cert.number, cert.code)).toMatchObject({ ok: true });
    const walk = async (sourceIp: string, count: number, from: number): Promise<string[]> =>
      (
        await Promise.all(
          Array.from({ length: count }, (_, i) =>
            overHttp(sourceIp, `XY20261124${String(92_000_000 + from + i)}`, 'AAAA-AAAA-AAAA'),
          ),
        )
      ).map((r) => (r.ok ? 'OK' : r.code));
    // one address: its own 30 a day
    const first = await walk('203.0.113.1', MAX_FAILURES_PER_CALLER_PER_DAY + 3, 0);
    expect(first.filter((c) => c === 'CERTIFICATE_MISMATCH')).toHaveLength(MAX_FAILURES_PER_CALLER_PER_DAY);
    expect(first.filter((c) => c !== 'CERTIFICATE_MISMATCH')).toEqual(Array(3).fill('RATE_LIMITED'));
    expect(await overHttp('203.0.113.1', cert.number, cert.code)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    // other addresses, until all anonymous calls together reach theirs
    let used = MAX_FAILURES_PER_CALLER_PER_DAY;
    for (let ip = 2; used < MAX_ANONYMOUS_FAILURES_PER_DAY; ip += 1) {
      const count = Math.min(MAX_FAILURES_PER_CALLER_PER_DAY, MAX_ANONYMOUS_FAILURES_PER_DAY - used);
      expect(await walk(`203.0.113.${ip}`, count, used)).toEqual(Array(count).fill('CERTIFICATE_MISMATCH'));
      used += count;
    }
    const capped = await overHttp('198.51.100.99', cert.number, cert.code);
    expect(capped).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
      details: { limit: MAX_ANONYMOUS_FAILURES_PER_DAY },
    });
    expect(await verifyAnonymously(cert.number, cert.code)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    // an account is not held back by them
    expect(await verify(cert.number, cert.code, 'o-crt-after-anonymous')).toMatchObject({ ok: true });
  });
});

finalChecks(() => world);
