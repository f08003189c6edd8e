/**
 * Electronic insurance policy (电子保单): for one of the caller's own bound cars, asked of the insurer the caller
 * picked, through the insurer port. Only the owner (the insured) may ask: a policy carries the owner's details.
 */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { today } from '../clock';
import { COLLECTIONS } from '../collections';
import { database, getById } from '../db';
import { insurerPort, INSURER_ADAPTERS, type InsurerAnswer, type InsurerPort } from '../ports/insurer';
import type { VehicleDoc } from '../records';
import { requireVerified } from '../account/caller';
import type { PolicyParams, PolicyResult } from '../../../miniprogram/domain/insurance/contract';
import { type InsurerCode, INSURER_NAMES, policyStatus, maskVin } from '../../../miniprogram/domain/insurance/insurers';

const NOT_OWN_CAR_MESSAGE = '电子保单只能查询您本人名下、已绑定的车辆。';

export async function findPolicy(
  openid: string,
  params: PolicyParams,
  adapters: Readonly<Partial<Record<InsurerCode, InsurerPort>>> = INSURER_ADAPTERS,
): Promise<PolicyResult> {
  const { person } = await requireVerified(openid);
  const port = insurerPort(params.insurer, adapters);
  const binding = person.bindings.find((b) => b.plate === params.plate);
  if (!binding || binding.relation !== 'own') throw new DomainError('NOT_OWNER', NOT_OWN_CAR_MESSAGE);
  // The binding was made when the registry said the car was theirs; a car sold since is not.
  const vehicle = await getById<VehicleDoc>(database, COLLECTIONS.vehicles, binding.vehicleId);
  if (!vehicle || vehicle.ownerIdNumber !== person.idNumber) throw new DomainError('NOT_OWNER', NOT_OWN_CAR_MESSAGE);
  let answer: InsurerAnswer;
  try {
    answer = await port.findPolicies({
      plate: vehicle.plate,
      plateType: vehicle.plateType,
      ownerName: person.name,
      ownerIdNumber: person.idNumber,
    });
  } catch (error) {
    if (error instanceof DomainError) throw error;
    console.error(`[insurance.policy] ${params.insurer}`, error);
    throw new DomainError('INSURER_UNAVAILABLE');
  }
  const insurerName = INSURER_NAMES[params.insurer];
  if (answer.policies.length === 0) throw new DomainError('NOT_FOUND', `未在${insurerName}查询到该车辆的保单。`);
  const day = today();
  const result: PolicyResult = {
    insurer: params.insurer,
    insurerName,
    plate: vehicle.plate,
    policies: answer.policies.map((p) => ({
      policyNo: p.policyNo,
      type: p.type,
      startDate: p.startDate,
      endDate: p.endDate,
      status: policyStatus(p.startDate, p.endDate, day),
      plate: p.plate,
      vin: maskVin(p.vin),
      model: p.model,
    })),
  };
  return answer.sandbox ? { ...result, sandbox: true } : result;
}
