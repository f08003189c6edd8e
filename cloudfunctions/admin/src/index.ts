import { DomainError } from '../../../miniprogram/domain/core/errors';
import { defineFunction, type Caller } from '../../_shared/handler';
import type { Actor } from '../../_shared/police/access';
import { importDrivers, importVehicles, importViolations } from '../../_shared/police/registry-import';
import { exportPayments, refundQueue } from '../../_shared/police/reconciliation';
import { importGuides, importOffices, importTows } from '../../_shared/police/city-import';
import { listFaults, updateFault } from '../../_shared/fault/faults';
import { adminTokenMatches, readAdminToken } from '../../_shared/police/parse';
import { exportDecisions } from '../../_shared/police/decisions-export';

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
  },
  {
    // ADMIN_TOKEN is set on this function in the cloud console (locally by the local cloud); without it, nothing passes.
    authorise: (event, caller) => {
      if (!adminTokenMatches(readAdminToken(event), process.env['ADMIN_TOKEN'])) throw new DomainError('FORBIDDEN');
      return { ...caller, actor: { kind: 'bootstrap' } };
    },
  },
);
