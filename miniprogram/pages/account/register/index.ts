// Registration and real-name authentication: name + ID number checked locally first, consent, then the
// real-person face scan (startFaceVerify → wx.requestFacialVerify → confirmFaceVerify).
import { shanghaiDate } from '../../../domain/core/dates';
import { checkIdNumber } from '../../../domain/account/id-number';
import { toServiceError } from '../../../services/errors';
import { requestFacialVerify } from '../../../services/face';
import { confirmFaceVerify, getProfile, register, startFaceVerify } from '../../../services/user';
import { busyAction, isBusy } from '../../../utils/busy';
import { type CheckboxChangeEvent, type InputChangeEvent } from '../../../utils/events';
import { instanceState } from '../../../utils/instance-state';
import { goBack, openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { PERSON_NAME } from '../../../domain/account/person-name';
import { checkString } from '../../../domain/core/fields';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

/** Steps shown in t-steps: 0 fill in, 1 face scan, 2 done. */
type Step = 0 | 1 | 2;

const FACE_TIPS: readonly string[] = [
  '请本人操作，不要由他人代替；',
  '在光线充足、背景简洁的地方进行，避免逆光；',
  '正对手机，摘下帽子、口罩和眼镜；',
  '按屏幕提示完成动作，保持网络通畅。',
];

/** Failures after which a new face scan is the way forward (not a correction of the form). */
const FACE_RETRY_CODES: readonly string[] = [
  'FACE_VERIFY_FAILED',
  'FACE_INTERRUPTED',
  'FACE_CANCELLED',
  'VERIFY_EXPIRED',
];

const state = instanceState(() => ({ registered: null as boolean | null, name: '', idNumber: '' }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    step: field<Step>(0),
    name: '',
    nameError: '',
    idNumber: '',
    idNumberError: '',
    consent: false,
    consentError: '',
    busy: false,
    error: '',
    faceFailed: false,
    faceTips: FACE_TIPS,
    verifiedName: '',
    movedNotice: '',
  },

  methods: {
    async onLoad() {
      const s = state(this);
      try {
        const profile = await getProfile();
        s.registered = true;
        if (profile.verified) this.setData({ step: 2, verifiedName: profile.name ?? '' });
      } catch (error: unknown) {
        // not registered yet: register() runs before the face scan; any other failure is retried on submit
        s.registered = toServiceError(error).code === 'UNAUTHENTICATED' ? false : null;
      }
      this.setData({ loading: false });
    },

    onName(e: InputChangeEvent) {
      this.setData({ name: e.detail.value, nameError: '', faceFailed: false });
    },

    onIdNumber(e: InputChangeEvent) {
      const value = e.detail.value;
      // inline check as soon as all 18 characters are there; shorter input is judged on submit
      const check = value.trim().length >= 18 ? checkIdNumber(value, shanghaiDate(Date.now())) : null;
      this.setData({
        idNumber: value,
        idNumberError: check !== null && !check.ok ? check.message : '',
        faceFailed: false,
      });
    },

    onConsent(e: CheckboxChangeEvent) {
      this.setData({ consent: e.detail.checked, consentError: '' });
    },

    /** The form's own checks; true when the name and ID number may be sent. */
    validate(): boolean {
      let nameError = '';
      let name = '';
      try {
        name = checkString(this.data.name, PERSON_NAME, 'name');
      } catch (error: unknown) {
        nameError = error instanceof Error ? error.message : '请填写姓名。';
      }
      const check = checkIdNumber(this.data.idNumber, shanghaiDate(Date.now()));
      const idNumberError = check.ok ? '' : check.message;
      const consentError = this.data.consent ? '' : '请先阅读并同意《个人信息处理说明》。';
      this.setData({ nameError, idNumberError, consentError, error: '' });
      if (nameError !== '' || !check.ok || consentError !== '') return false;
      const s = state(this);
      s.name = name;
      s.idNumber = check.idNumber;
      return true;
    },

    async onSubmit() {
      // a tap during the face scan leaves the form's hints as they are
      if (isBusy(this, 'face') || !this.validate()) return;
      await this.verifyFace();
    },

    onRetryFace() {
      void this.verifyFace();
    },

    /** Register if needed, then one face scan with a fresh verifyId (each is used once). */
    async verifyFace() {
      const s = state(this);
      await busyAction(
        this,
        'face',
        async () => {
          if (s.registered !== true) {
            await register();
            s.registered = true;
          }
          const { verifyId } = await startFaceVerify(s.name, s.idNumber);
          this.setData({ step: 1 });
          await requestFacialVerify(verifyId);
          const result = await confirmFaceVerify(verifyId);
          this.setData({
            step: 2,
            verifiedName: result.name,
            movedNotice:
              result.movedFromAnotherAccount === true
                ? '该身份证号码此前在另一个微信账号上认证过，现已转到本账号，原账号的车辆绑定一并转入。'
                : '',
          });
        },
        {
          start: { busy: true, error: '', faceFailed: false },
          failure: (error) => {
            const failure = toServiceError(error);
            return { error: failure.message, faceFailed: FACE_RETRY_CODES.indexOf(failure.code) >= 0 };
          },
          end: { busy: false },
        },
      );
    },

    onBindCar() {
      openPage(ROUTES.vehicles);
    },

    onHome() {
      goBack(ROUTES.home);
    },
  },
});
