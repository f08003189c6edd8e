import { DomainError } from '../../../miniprogram/domain/core/errors';
import { defineFunction, type Caller } from '../../_shared/handler';
import type { Actor } from '../../_shared/police/access';
import { importDrivers, importVehicles, importViolations } from '../../_shared/police/registry-import';
import { exportPayments, refundQueue } from '../../_shared/police/reconciliation';
import { importGuides, importOffices, importTows } from '../../_shared/police/city-import';
import { listFaults, updateFault } from '../../_shared/fault/faults';
import { adminTokenMatches, readAdminToken } from '../../_shared/police/parse';
import { exportDecisions } from '../../_shared/police/decisions-export';
import {
  approveRefund,
  listRefunds,
  requestRefund,
  retryRefund,
  syncPendingRefunds,
  syncRefund,
} from '../../_shared/payment/refunds/refunds';

/** A police call's caller: who acts, as the credential check established it. */
interface PoliceCaller extends Caller {
  readonly actor: Actor;
}

export const main = defineFunction<'admin', PoliceCaller>(
  'admin',
  {
    importDrivers: (parsed) => importDrivers(parsed),
    importVehicles: (parsed) => importVehicles(parsed),
    importViolations: (parsed) => importViolations(parsed),
    exportPayments: (range) => exportPayments(range),
    refundQueue: () => refundQueue(),
    importOffices: (parsed) => importOffices(parsed),
    importTows: (parsed) => importTows(parsed),
    importGuides: (parsed) => importGuides(parsed),
    listFaults: (params) => listFaults(params),
    updateFault: (params) => updateFault(params),
    exportDecisions: (params, caller) => exportDecisions(params, caller.actor),
    listRefunds: (params) => listRefunds(params),
    requestRefund: (params, caller) => requestRefund(params, caller.actor),
    approveRefund: ({ refundId }, caller) => approveRefund(refundId, caller.actor),
    retryRefund: ({ refundId }, caller) => retryRefund(refundId, caller.actor),
    syncRefund: ({ refundId }, caller) => syncRefund(refundId, caller.actor),
  },
  {
    // Refunds WeChat Pay has not confirmed yet are asked about (config.json's timer); an approval whose send was lost is sent.
    onTimer: () => syncPendingRefunds(),
    // ADMIN_TOKEN is set on this function in the cloud console (locally by the local cloud); without it, nothing passes.
    authorise: (event, caller) => {
      if (!adminTokenMatches(readAdminToken(event), process.env['ADMIN_TOKEN'])) throw new DomainError('FORBIDDEN');
      return { ...caller, actor: { kind: 'bootstrap' } };
    },
  },
);
