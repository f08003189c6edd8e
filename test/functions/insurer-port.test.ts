/**
 * The insurer port on its own: the registry (adding an insurer is one adapter + one entry) and Ping An's adapter
 * against a stand-in HTTP server — the signed request it sends, and what it makes of odd answers.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '../../miniprogram/domain/core/errors';
import { INSURER_ADAPTERS, insurerPort, type InsurerPort } from '../../cloudfunctions/_shared/ports/insurer';
import { PINGAN_QUERY_PATH, pingAnInsurer } from '../../cloudfunctions/_shared/ports/insurer-pingan';

const QUERY = { plate: '桂A12345', plateType: '02' as const, ownerName: '李明', ownerIdNumber: '450103198803150217' };

describe('the registry', () => {
  it('has Ping An only; any other insurer is INSURER_NOT_SUPPORTED', () => {
    expect(Object.keys(INSURER_ADAPTERS)).toEqual(['pingan']);
    expect(insurerPort('pingan')).toBe(pingAnInsurer);
    for (const code of ['picc', 'cpic', 'toString', '__proto__'] as const) {
      let error: unknown;
      try {
        insurerPort(code as 'picc');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'INSURER_NOT_SUPPORTED', message: '暂只支持平安保险。' });
    }
  });

  it('another insurer is one adapter and one entry', () => {
    const picc: InsurerPort = { findPolicies: () => Promise.resolve({ policies: [], sandbox: false }) };
    expect(insurerPort('picc', { ...INSURER_ADAPTERS, picc })).toBe(picc);
  });
});

describe("Ping An's adapter", () => {
  let server: http.Server;
  let answer: (body: Record<string, unknown>) => unknown = () => ({});
  const received: { url: string; body: Record<string, unknown> }[] = [];
  const saved = {
    base: process.env['PINGAN_API_BASE'],
    secret: process.env['PINGAN_APP_SECRET'],
    appId: process.env['PINGAN_APP_ID'],
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        received.push({ url: req.url ?? '', body });
        const reply = answer(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(typeof reply === 'string' ? reply : JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env['PINGAN_API_BASE'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pa`;
    process.env['PINGAN_APP_SECRET'] = 'test-secret';
    process.env['PINGAN_APP_ID'] = 'gui-a-app';
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    for (const [key, value] of [
      ['PINGAN_API_BASE', saved.base],
      ['PINGAN_APP_SECRET', saved.secret],
      ['PINGAN_APP_ID', saved.appId],
    ] as const) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  });

  it('sends a signed query for the car and the insured, and reads the policies', async () => {
    answer = () => ({
      code: '0000',
      data: {
        policies: [
          {
            policyNo: 'P1',
            riskType: 'JQX',
            startDate: '2026-03-02',
            endDate: '2027-03-01',
            plateNo: '桂A12345',
            vin: 'LSVAU2180N2123456',
            brandModel: '朗逸',
          },
          { policyNo: 'P2', riskType: 'XYZ', startDate: '2026-03-02', endDate: '2027-03-01' },
          { policyNo: 'P3', riskType: 'SYX', startDate: '2026-13-02', endDate: '2027-03-01' },
        ],
      },
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = await pingAnInsurer.findPolicies(QUERY);
    warn.mockRestore();
    // entries the adapter cannot read are skipped (and logged), the others kept
    expect(result).toEqual({
      sandbox: false,
      policies: [
        {
          policyNo: 'P1',
          type: 'compulsory',
          startDate: '2026-03-02',
          endDate: '2027-03-01',
          plate: '桂A12345',
          vin: 'LSVAU2180N2123456',
          model: '朗逸',
        },
      ],
    });
    const sent = received.at(-1);
    expect(sent?.url).toBe(`/pa${PINGAN_QUERY_PATH}`);
    const { sign, ...fields } = sent?.body as Record<string, string>;
    expect(fields['appId']).toBe('gui-a-app');
    expect(JSON.parse(fields['bizContent'] ?? '')).toEqual({
      plateNo: '桂A12345',
      plateType: '02',
      insuredName: '李明',
      insuredCertType: '01',
      insuredCertNo: QUERY.ownerIdNumber,
    });
    const text = Object.keys(fields)
      .sort()
      .map((k) => `${k}=${fields[k]}`)
      .join('&');
    expect(sign).toBe(createHmac('sha256', 'test-secret').update(text).digest('hex'));
  });

  it('no policy is an empty list; an error code, a shapeless or non-JSON answer throw (the use case says INSURER_UNAVAILABLE)', async () => {
    answer = () => ({ code: '0000', data: { policies: [] } });
    expect(await pingAnInsurer.findPolicies(QUERY)).toEqual({ policies: [], sandbox: false });
    for (const reply of [
      { code: '5000', message: '系统维护' },
      { code: '0000', data: {} },
      { code: '0000' },
      'not json',
    ]) {
      answer = () => reply;
      await expect(pingAnInsurer.findPolicies(QUERY)).rejects.toThrow();
    }
    const base = process.env['PINGAN_API_BASE'];
    delete process.env['PINGAN_API_BASE'];
    await expect(pingAnInsurer.findPolicies(QUERY)).rejects.toThrow('PINGAN_API_BASE');
    process.env['PINGAN_API_BASE'] = base;
  });
});
