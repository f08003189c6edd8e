/**
 * Real-person verification, WeChat's current flow (face verification 2.0): getVerifyId → wx.requestFacialVerify on
 * the phone → queryVerifyInfo. Both server APIs are HTTPS-only ("不支持云调用"), hence the HTTP adapter.
 */
import { createHash } from 'node:crypto';
import { callWechatApi } from './wechat-http';

export interface Cert {
  name: string;
  idNumber: string;
}

export interface FaceVerifyPort {
  getVerifyId(outSeqNo: string, cert: Cert, openid: string): Promise<{ verifyId: string; expiresIn: number }>;
  /** true only when WeChat answers errcode 0 and verify_ret 10000. */
  queryVerifyInfo(
    verifyId: string,
    outSeqNo: string,
    certHash: string,
    openid: string,
  ): Promise<{ passed: boolean; verifyRet: number }>;
}

const CERT_TYPE = 'IDENTITY_CARD';
const VERIFY_PASSED = 10000;

/** Lowercase hex SHA-256 of cert_type=<b64>&cert_name=<b64>&cert_no=<b64> (WeChat's definition). */
export function certHashOf(cert: Cert): string {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return createHash('sha256')
    .update(`cert_type=${b64(CERT_TYPE)}&cert_name=${b64(cert.name)}&cert_no=${b64(cert.idNumber)}`)
    .digest('hex');
}

export const wechatFaceVerify: FaceVerifyPort = {
  async getVerifyId(outSeqNo, cert, openid) {
    const reply = await callWechatApi('/cityservice/face/identify/getverifyid', {
      out_seq_no: outSeqNo,
      cert_info: { cert_type: CERT_TYPE, cert_name: cert.name, cert_no: cert.idNumber },
      openid,
    });
    const verifyId = reply['verify_id'];
    if (typeof verifyId !== 'string' || verifyId === '') throw new Error('getVerifyId answered without verify_id');
    return { verifyId, expiresIn: typeof reply['expires_in'] === 'number' ? reply['expires_in'] : 3600 };
  },
  async queryVerifyInfo(verifyId, outSeqNo, certHash, openid) {
    const reply = await callWechatApi('/cityservice/face/identify/queryverifyinfo', {
      verify_id: verifyId,
      out_seq_no: outSeqNo,
      cert_hash: certHash,
      openid,
    });
    const verifyRet = Number(reply['verify_ret'] ?? -1);
    return { passed: verifyRet === VERIFY_PASSED, verifyRet };
  },
};
