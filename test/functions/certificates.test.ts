/**
 * Driver-credit certificates: the snapshot a driver gets, who can see and revoke it, what an employer without an
 * account sees, expiry and revocation, and guessing — slowed, then locked, per number and per account.
 */
import type { CertificateDetail, CertificateItem, CertificateListResult, CertificateVerification } from '../../miniprogram/domain/api';
import { CERTIFICATE_NUMBER_PATTERN, LOCK_AFTER_FAILURES, MAX_CERTIFICATES_PER_DAY, MAX_FAILURES_PER_CALLER_PER_DAY } from '../../miniprogram/domain/certificate';
import { maskIdNumber, maskName } from '../../miniprogram/domain/id-number';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Person } from './story';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'crt');

async function issue(person: Person): Promise<CertificateDetail> {
  return world.ok<CertificateDetail>('certificate', { action: 'issue' }, person.openid);
}

function verify(number: string, code: string, openid = 'o-crt-employer') {
  return world.call<CertificateVerification>('certificate', { action: 'verify', number, code }, openid);
}

/** A verified driver with one processed (unpaid) and one untouched violation on their own car. */
async function driverWithRecord(): Promise<Person> {
  const driver = await world.driver({ licence: { licenceClass: 'C1', cyclePoints: 2 } });
  const car = await world.car(driver);
  await world.bindOwn(car);
  const [processed] = await world.violations(car, { points: 3, fine: 20_000, behaviour: '机动车不按交通信号灯规定通行的' }, { points: 1 });
  const reply = await world.process(driver, [processed!]);
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
      violationCount: 1,
      violationsByKind: [{ behaviour: '机动车不按交通信号灯规定通行的', count: 1, points: 3 }],
      unpaidCount: 1,
      unpaidAmount: 20_000,
    });
    // a snapshot: what happens afterwards does not change it
    const again = await world.ok<CertificateDetail>('certificate', { action: 'detail', number: cert.number }, driver.openid);
    expect(again).toEqual(cert);
    const listed = await world.ok<CertificateListResult>('certificate', { action: 'list' }, driver.openid);
    expect(listed.certificates.map((c) => c.number)).toEqual([cert.number]);
  });

  it('never shows or revokes another driver\'s certificate, and lists only one\'s own', async () => {
    const owner = await driverWithRecord();
    const other = await world.driver();
    const cert = await issue(owner);
    expect((await world.fails('certificate', { action: 'detail', number: cert.number }, other.openid)).code).toBe('NOT_FOUND');
    expect((await world.fails('certificate', { action: 'revoke', number: cert.number }, other.openid)).code).toBe('NOT_FOUND');
    expect((await world.ok<CertificateListResult>('certificate', { action: 'list' }, other.openid)).certificates).toEqual([]);
    expect((await verify(cert.number, cert.code)).ok).toBe(true);
  });

  it('needs a verified driver with a licence; at most 5 a day', async () => {
    const unverified = await world.driver({ verified: false });
    expect((await world.fails('certificate', { action: 'issue' }, unverified.openid)).code).toBe('NOT_VERIFIED');
    const noLicence = await world.driver({ licence: null });
    expect((await world.fails('certificate', { action: 'issue' }, noLicence.openid)).code).toBe('LICENCE_NOT_FOUND');
    const busy = await world.driver();
    for (let i = 0; i < MAX_CERTIFICATES_PER_DAY; i += 1) await issue(busy);
    expect((await world.fails('certificate', { action: 'issue' }, busy.openid)).code).toBe('RATE_LIMITED');
  });

  it('records a licence past its validity as expired, whatever the registry\'s status field says', async () => {
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
    const reply = await verify(cert.number, ` ${cert.code.toLowerCase().replace(/-/g, ' ')} `, 'o-crt-unregistered-employer');
    expect(reply).toMatchObject({ ok: true, data: { number: cert.number, status: 'valid', snapshot: cert.snapshot } });
    expect(JSON.stringify(reply)).not.toContain(cert.code.replace(/-/g, ''));
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
    const revoked = await world.ok<CertificateItem>('certificate', { action: 'revoke', number: cert.number }, driver.openid);
    expect(revoked.status).toBe('revoked');
    expect(await verify(cert.number, cert.code)).toMatchObject({ ok: true, data: { status: 'revoked', revokedAt: revoked.revokedAt, snapshot: null } });
    // revoking twice is harmless
    expect((await world.ok<CertificateItem>('certificate', { action: 'revoke', number: cert.number }, driver.openid)).status).toBe('revoked');

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
      expect(reply).toMatchObject({ ok: false, code: i < LOCK_AFTER_FAILURES ? 'CERTIFICATE_MISMATCH' : 'CERTIFICATE_LOCKED' });
      if (i === 3) {
        // the next try comes too soon
        expect(await verify(cert.number, cert.code, guesser)).toMatchObject({ ok: false, code: 'RATE_LIMITED', details: { retryAfterSeconds: 30 } });
      }
      if (i >= 3 && i < LOCK_AFTER_FAILURES) {
        offset += 30_000 * 2 ** (i - 3) + 1000;
        await world.setClock(offset);
      }
    }
    expect(await verify(cert.number, cert.code, 'o-crt-another')).toMatchObject({ ok: false, code: 'CERTIFICATE_LOCKED' });
    await world.setClock(offset + 24 * 3_600_000 - 5_000);
    expect(await verify(cert.number, cert.code, 'o-crt-another')).toMatchObject({ ok: false, code: 'CERTIFICATE_LOCKED' });
    await world.setClock(offset + 24 * 3_600_000 + 5_000);
    expect(await verify(cert.number, cert.code, 'o-crt-another')).toMatchObject({ ok: true, data: { status: 'valid' } });
    await world.setClock(0);
  });

  it('cannot slip past the count with parallel guesses', async () => {
    const driver = await driverWithRecord();
    const cert = await issue(driver);
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => verify(cert.number, `AAAA-AAAA-AA${'AB'.charAt(i % 2)}${'CD'.charAt(i % 2)}`, `o-crt-par-${i}`)));
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
});

finalChecks(() => world);
