import { defineFunction } from '../../_shared/handler';
import {
  certificateDetail,
  issueCertificate,
  listCertificates,
  revokeCertificate,
  verifyCertificate,
} from '../../_shared/certificate/certificates';

export const main = defineFunction('certificate', {
  issue: (_params, caller) => issueCertificate(caller.openid),
  list: (_params, caller) => listCertificates(caller.openid),
  detail: (params, caller) => certificateDetail(caller.openid, params.number),
  revoke: (params, caller) => revokeCertificate(caller.openid, params.number),
  verify: (params, caller) =>
    verifyCertificate({ openid: caller.openid, sourceIp: caller.http?.sourceIp ?? null }, params),
});
