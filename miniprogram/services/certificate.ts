/** The `certificate` function: the driver's credit certificates, and the public check an employer makes. */
import type { CertificateDetail, CertificateItem, CertificateVerification } from '../domain/certificate/contract';
import { call } from './cloud';

/** Snapshots the caller's record now into a new certificate (number + verification code, valid 30 days). */
export function issueCertificate(): Promise<CertificateDetail> {
  return call('certificate', 'issue', {});
}

export async function listCertificates(): Promise<readonly CertificateItem[]> {
  const { certificates } = await call('certificate', 'list', {});
  return certificates;
}

export function getCertificate(number: string): Promise<CertificateDetail> {
  return call('certificate', 'detail', { number });
}

export function revokeCertificate(number: string): Promise<CertificateItem> {
  return call('certificate', 'revoke', { number });
}

/** No registration needed: anyone with the number and the code may check; wrong codes are counted by the server. */
export function verifyCertificate(number: string, code: string): Promise<CertificateVerification> {
  return call('certificate', 'verify', { number, code });
}
