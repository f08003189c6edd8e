/**
 * Ping An Property & Casualty's electronic-policy query over HTTPS, as wechat-http.ts calls WeChat: the base URL
 * comes from PINGAN_API_BASE (set on the `insurance` function in the cloud console with PINGAN_APP_ID and
 * PINGAN_APP_SECRET, from the insurer's open platform; the local cloud points it at its labelled Ping An sandbox).
 * The request is signed with HMAC-SHA256 over the sorted fields. The field names follow the interface agreed
 * for this project (scripts/local-cloud/sandbox/pingan.ts answers the same shape); check them against Ping An's own
 * documents when the contract is signed.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isIsoDate } from '../../../miniprogram/domain/core/dates';
import { nowMs } from '../clock';
import type { InsurerPolicy, InsurerPort, PolicyQuery } from './insurer';
import { postJson } from './wechat-http';
import type { PolicyType } from '../../../miniprogram/domain/insurance/insurers';

export const PINGAN_QUERY_PATH = '/open/policy/v1/query-by-plate';
/** Ping An's risk codes: 交强险 (compulsory) and 商业险 (commercial). */
const RISK_TYPES: Readonly<Record<string, PolicyType>> = { JQX: 'compulsory', SYX: 'commercial' };
const OK = '0000';

/** HMAC-SHA256 hex of `k1=v1&k2=v2…` over the envelope's fields in key order (the sandbox checks the same). */
function pingAnSignature(fields: Readonly<Record<string, string>>, secret: string): string {
  const text = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key] ?? ''}`)
    .join('&');
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function toPolicy(raw: unknown): InsurerPolicy | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const p = raw as Record<string, unknown>;
  const type = RISK_TYPES[text(p['riskType'])];
  const startDate = text(p['startDate']);
  const endDate = text(p['endDate']);
  if (type === undefined || !text(p['policyNo']) || !isIsoDate(startDate) || !isIsoDate(endDate)) return null;
  return {
    policyNo: text(p['policyNo']),
    type,
    startDate,
    endDate,
    plate: text(p['plateNo']),
    vin: text(p['vin']),
    model: text(p['brandModel']),
  };
}

export const pingAnInsurer: InsurerPort = {
  async findPolicies(query: PolicyQuery) {
    const base = process.env['PINGAN_API_BASE'];
    if (!base) throw new Error('PINGAN_API_BASE is not configured on this function');
    const secret = process.env['PINGAN_APP_SECRET'] ?? '';
    const envelope = {
      appId: process.env['PINGAN_APP_ID'] ?? '',
      timestamp: String(nowMs()),
      nonce: randomBytes(8).toString('hex'),
      bizContent: JSON.stringify({
        plateNo: query.plate,
        plateType: query.plateType,
        insuredName: query.ownerName,
        insuredCertType: '01', // 01 = resident identity card
        insuredCertNo: query.ownerIdNumber,
      }),
    };
    const reply = await postJson(`${base}${PINGAN_QUERY_PATH}`, {
      ...envelope,
      sign: pingAnSignature(envelope, secret),
    });
    if (text(reply['code']) !== OK)
      throw new Error(`Ping An answered ${text(reply['code']) || '?'}: ${text(reply['message'])}`);
    const data = reply['data'];
    const list = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['policies'] : undefined;
    if (!Array.isArray(list)) throw new Error('Ping An answered without data.policies');
    const policies: InsurerPolicy[] = [];
    for (const raw of list as unknown[]) {
      const policy = toPolicy(raw);
      // one odd entry must not hide the others; it is logged for the on-call engineer
      if (policy === null)
        console.warn('[insurance] Ping An sent a policy this adapter cannot read', JSON.stringify(raw).slice(0, 200));
      else policies.push(policy);
    }
    return { policies, sandbox: reply['sandbox'] === true };
  },
};
