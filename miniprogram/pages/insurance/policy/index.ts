// Electronic insurance policy: choose one of my own cars and the insurer, see the policies the insurer holds for it.
import { errorMessage } from '../../../services/errors';
import { findPolicy } from '../../../services/insurance';
import { listVehicles } from '../../../services/vehicle';
import { busyAction } from '../../../utils/busy';
import { type ValueChangeEvent } from '../../../utils/events';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import {
  type PolicyStatus,
  type InsurerCode,
  INSURERS,
  INSURER_NAMES,
  POLICY_TYPE_NAMES,
  POLICY_STATUS_NAMES,
} from '../../../domain/insurance/insurers';
import { careBehavior } from '../../../utils/care';

const STATUS_THEME: Readonly<Record<PolicyStatus, 'success' | 'warning' | 'default'>> = {
  active: 'success',
  pending: 'warning',
  expired: 'default',
};

function insurerOf(value: string): InsurerCode | undefined {
  return INSURERS.find((code) => code === value);
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    cars: [] as { label: string; value: string }[],
    insurers: INSURERS.map((code) => ({ label: INSURER_NAMES[code], value: code })),
    plate: '',
    insurer: 'pingan',
    querying: false,
    queryError: '',
    sandbox: false,
    heading: '',
    policies: [] as {
      policyNo: string;
      typeName: string;
      period: string;
      status: string;
      statusTheme: string;
      plate: string;
      vin: string;
      model: string;
    }[],
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      return loadOnce(
        this,
        async () => {
          // A policy carries the owner's details: only the user's own cars are offered (the cloud checks it again).
          const own = (await listVehicles()).filter((v) => v.relation === 'own');
          const cars = own.map((v) => ({ label: v.plate, value: v.plate }));
          this.setData({ loading: false, needsVerify: false, cars, plate: cars[0]?.value ?? '' });
        },
        { start: { loading: true, loadError: '' } },
      );
    },

    onCar(e: ValueChangeEvent<string>) {
      this.setData({ plate: e.detail.value, queryError: '', policies: [], heading: '' });
    },

    onInsurer(e: ValueChangeEvent<string>) {
      this.setData({ insurer: e.detail.value, queryError: '', policies: [], heading: '' });
    },

    async onQuery() {
      const insurer = insurerOf(this.data.insurer);
      if (this.data.plate === '' || insurer === undefined) return;
      await busyAction(
        this,
        'query',
        async () => {
          const result = await findPolicy(this.data.plate, insurer);
          this.setData({
            querying: false,
            sandbox: result.sandbox === true,
            heading: `${result.insurerName} · ${result.plate}`,
            policies: result.policies.map((p) => ({
              policyNo: p.policyNo,
              typeName: POLICY_TYPE_NAMES[p.type],
              period: `${p.startDate} 至 ${p.endDate}`,
              status: POLICY_STATUS_NAMES[p.status],
              statusTheme: STATUS_THEME[p.status],
              plate: p.plate,
              vin: p.vin,
              model: p.model,
            })),
          });
        },
        {
          start: { querying: true, queryError: '', policies: [], heading: '', sandbox: false },
          // the result's own patch turns `querying` off with what it shows
          failure: (error) => ({ querying: false, queryError: errorMessage(error) }),
        },
      );
    },

    onBindCar() {
      openPage(ROUTES.vehicles);
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
