import { defineFunction } from '../../_shared/handler';
import { importDrivers, importVehicles, importViolations } from '../../_shared/police/registry-import';
import { exportPayments, refundQueue } from '../../_shared/police/reconciliation';
import { importGuides, importOffices, importTows } from '../../_shared/police/city-import';
import { listFaults, revealFaultReporter, updateFault } from '../../_shared/fault/faults';
import { authorisePolice, type PoliceCaller } from '../../_shared/police/officers/authorise';
import { withCallAudit } from '../../_shared/police/officers/audit-trail';
import { signIn, signOut, sourceOf } from '../../_shared/police/officers/sign-in';
import {
  bootstrapOfficer,
  changePassword,
  createOfficer,
  listOfficers,
  me,
  resetOfficer,
  unlockOfficer,
  updateOfficer,
} from '../../_shared/police/officers/accounts';
import {
  createIntegrationKey,
  listIntegrationKeys,
  revokeIntegrationKey,
  rotateIntegrationKey,
} from '../../_shared/police/officers/keys';
import { readAudit } from '../../_shared/police/officers/audit-trail';
import { completeEnrolment, startEnrolment } from '../../_shared/police/officers/enrolment';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { exportDecisions } from '../../_shared/police/decisions-export';
import {
  approveRefund,
  listRefunds,
  requestRefund,
  retryRefund,
  syncPendingRefunds,
  syncRefund,
} from '../../_shared/payment/refunds/refunds';

/** The officer behind a session-only action (an integration key never reaches one: ACTION_ACCESS refuses it first). */
function officerOf(caller: PoliceCaller): { officerId: string; session: NonNullable<PoliceCaller['session']> } {
  if (caller.actor.kind !== 'officer' || caller.session === undefined) throw new DomainError('FORBIDDEN');
  return { officerId: caller.actor.officerId, session: caller.session };
}

export const main = defineFunction<'admin', PoliceCaller>(
  'admin',
  withCallAudit({
    importDrivers: (parsed) => importDrivers(parsed),
    importVehicles: (parsed) => importVehicles(parsed),
    importViolations: (parsed) => importViolations(parsed),
    exportPayments: (range) => exportPayments(range),
    refundQueue: () => refundQueue(),
    importOffices: (parsed) => importOffices(parsed),
    importTows: (parsed) => importTows(parsed),
    importGuides: (parsed) => importGuides(parsed),
    listFaults: (params) => listFaults(params),
    updateFault: (params, caller) => updateFault(params, caller.actor),
    exportDecisions: (params, caller) => exportDecisions(params, caller.actor),
    listRefunds: (params) => listRefunds(params),
    requestRefund: (params, caller) => requestRefund(params, caller.actor),
    approveRefund: ({ refundId }, caller) => approveRefund(refundId, caller.actor),
    retryRefund: ({ refundId }, caller) => retryRefund(refundId, caller.actor),
    syncRefund: ({ refundId }, caller) => syncRefund(refundId, caller.actor),
    revealFaultReporter: (params) => revealFaultReporter(params.reportId),
    signIn: (params, caller) => signIn(params, caller),
    signOut: (_params, caller) => signOut(officerOf(caller).session.id),
    me: (_params, caller) => me(officerOf(caller).officerId, officerOf(caller).session),
    changePassword: (params, caller) => changePassword(params, officerOf(caller).officerId, sourceOf(caller)),
    bootstrapOfficer: (params) => bootstrapOfficer(params),
    createOfficer: (params, caller) => createOfficer(params, caller.actor),
    updateOfficer: (params) => updateOfficer(params),
    unlockOfficer: (params) => unlockOfficer(params.login),
    resetOfficerPassword: (params) => resetOfficer(params),
    resetOfficerTotp: (params) => resetOfficer(params),
    startEnrolment: (_params, caller) => startEnrolment(officerOf(caller).officerId, officerOf(caller).session.epoch),
    completeEnrolment: (params, caller) => {
      const { officerId, session } = officerOf(caller);
      return completeEnrolment(params, { id: session.id, officerId, epoch: session.epoch });
    },
    listOfficers: () => listOfficers(),
    createIntegrationKey: (params, caller) => createIntegrationKey(params.name, caller.actor),
    rotateIntegrationKey: (params) => rotateIntegrationKey(params.keyId),
    revokeIntegrationKey: (params) => revokeIntegrationKey(params.keyId),
    listIntegrationKeys: () => listIntegrationKeys(),
    readAudit: (params) => readAudit(params),
  }),
  {
    // Officers' sessions and integration keys; ADMIN_TOKEN only opens bootstrapOfficer while no admin exists.
    authorise: authorisePolice,
    // Refunds WeChat Pay has not confirmed yet are asked about (config.json's timer); an approval whose send was lost is sent.
    onTimer: () => syncPendingRefunds(),
  },
);
