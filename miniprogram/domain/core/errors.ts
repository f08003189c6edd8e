/**
 * Stable error codes (extend, never rename: see docs/ARCHITECTURE.md), each with a default Chinese sentence a driver understands.
 * Failures are decided in the domain and translated to the response envelope once, at the cloud function's edge.
 */

import { DRIVER_QUOTA_MESSAGE, VEHICLE_QUOTA_MESSAGE } from '../vehicle/quotas';

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'UNAUTHENTICATED',
  'NOT_VERIFIED',
  'FACE_VERIFY_FAILED',
  'PLATE_NOT_SUPPORTED',
  'VEHICLE_NOT_FOUND',
  'NOT_OWNER',
  'OWNER_MISMATCH',
  'ALREADY_BOUND',
  'DRIVER_QUOTA_EXCEEDED',
  'VEHICLE_QUOTA_EXCEEDED',
  'REQUEST_EXPIRED',
  'NOT_FOUND',
  'FORBIDDEN',
  'NOT_PROCESSABLE',
  'POINTS_LIMIT',
  'ALREADY_PAID',
  'CONFLICT',
  'INTERNAL',
  // additions (extend, never rename)
  'LICENCE_NOT_FOUND',
  'VERIFY_EXPIRED',
  'RATE_LIMITED',
  'OWN_VEHICLE',
  'CERTIFICATE_MISMATCH',
  'CERTIFICATE_LOCKED',
  'INSURER_NOT_SUPPORTED',
  'INSURER_UNAVAILABLE',
  'INVALID_TRANSITION',
  'PHOTO_NOT_FOUND',
  'PHOTO_NOT_OWNED',
  'PHOTO_TOO_LARGE',
  'PHOTO_TYPE_NOT_ALLOWED',
  'PLATE_NOT_RECOGNISED',
  'ORDER_NOT_PAID',
  'SIGN_IN_FAILED',
  'ACCOUNT_LOCKED',
  'SESSION_EXPIRED',
  'SAME_OFFICER',
  'AMOUNT_MISMATCH',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  INVALID_ARGUMENT: '请求信息有误，请检查后重试。',
  UNAUTHENTICATED: '请先注册并完成实名认证。',
  NOT_VERIFIED: '请先完成实名认证和人脸识别认证。',
  FACE_VERIFY_FAILED: '人脸识别未通过，请本人在光线充足的地方重试。',
  PLATE_NOT_SUPPORTED: '本业务仅支持桂A号牌的小型汽车和小型新能源汽车。',
  VEHICLE_NOT_FOUND: '未查询到该机动车，请核对号牌号码和号牌种类。',
  NOT_OWNER: '您不是该车辆的所有人，不能进行此操作。',
  OWNER_MISMATCH: '机动车所有人姓名与登记信息不一致，请核对。',
  ALREADY_BOUND: '该车辆已经绑定，无需重复绑定。',
  DRIVER_QUOTA_EXCEEDED: DRIVER_QUOTA_MESSAGE,
  VEHICLE_QUOTA_EXCEEDED: VEHICLE_QUOTA_MESSAGE,
  REQUEST_EXPIRED: '该申请已超过 24 小时失效，请重新申请。',
  NOT_FOUND: '未找到相关记录。',
  FORBIDDEN: '您没有权限进行此操作。',
  NOT_PROCESSABLE: '所选违法记录不符合网上处理条件，请查看具体原因。',
  POINTS_LIMIT: '处理后本记分周期累计记分将达到 12 分，不能在网上处理，请到交警窗口办理。',
  ALREADY_PAID: '该处罚决定书已经缴款，无需重复缴纳。',
  CONFLICT: '系统繁忙，请稍后重试。',
  INTERNAL: '系统出了点问题，请稍后重试。',
  LICENCE_NOT_FOUND: '未查询到您名下的驾驶证信息，请到车管所窗口核实。',
  VERIFY_EXPIRED: '人脸识别已超时失效，请重新发起认证。',
  RATE_LIMITED: '操作太频繁了，请稍后再试。',
  OWN_VEHICLE: '这是您本人名下的车辆，请直接绑定本人车辆，无需申请授权。',
  CERTIFICATE_MISMATCH: '证明编号或核验码不正确，请核对后重试。',
  CERTIFICATE_LOCKED: '该证明编号核验错误次数过多，已锁定 24 小时。',
  INSURER_NOT_SUPPORTED: '暂只支持平安保险。',
  INSURER_UNAVAILABLE: '保险公司系统暂时无法查询，请稍后重试。',
  INVALID_TRANSITION: '当前状态下不能进行此变更。',
  PHOTO_NOT_FOUND: '照片未上传成功或已被删除，请重新选择照片。',
  PHOTO_NOT_OWNED: '只能使用您本人刚上传的照片，请重新选择照片。',
  PHOTO_TOO_LARGE: '照片太大了，每张不能超过 5 MB，请重新选择或压缩后上传。',
  PHOTO_TYPE_NOT_ALLOWED: '只能上传 JPG、PNG 或 WebP 格式的照片。',
  PLATE_NOT_RECOGNISED: '未能识别出车牌，请对准车牌重拍或手动输入。',
  ORDER_NOT_PAID: '这笔订单还没有缴款成功，暂无缴款凭证。',
  SIGN_IN_FAILED: '账号、密码或动态验证码不正确。',
  ACCOUNT_LOCKED: '账号因多次登录失败已被锁定，请联系管理员解锁。',
  SESSION_EXPIRED: '登录已过期，请重新登录。',
  SAME_OFFICER: '同一笔退款的申请人和审批人不能是同一人。',
  AMOUNT_MISMATCH: '退款金额必须与原缴款金额一致。',
};

/** Machine-readable context of a failure; every field optional so each code uses what it needs. */
export interface ErrorDetails {
  /** INVALID_ARGUMENT: the offending parameter, as a path (`violationIds[2]`, `rows[5].fine`). */
  readonly field?: string;
  /** Stable reason codes (plate refusal, ID-number failure, eligibility reasons of a single violation). */
  readonly reasons?: readonly string[];
  /** NOT_PROCESSABLE in a batch: every violation that failed, with all its reasons. */
  readonly violations?: readonly { readonly id: string; readonly reasons: readonly string[] }[];
  /** POINTS_LIMIT: points already in the cycle, points of the chosen violations, their sum. */
  readonly currentPoints?: number;
  readonly batchPoints?: number;
  readonly totalPoints?: number;
  /** The limit that was hit (12 points, 3 vehicles, 20 violations, 1000 rows…). */
  readonly limit?: number;
  readonly retryAfterSeconds?: number;
  /** ORDER_NOT_PAID: the decision the unpaid order was for, still to be paid. */
  readonly decisionId?: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).indexOf(value) >= 0;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message?: string, details?: ErrorDetails) {
    super(message === undefined || message === '' ? ERROR_MESSAGES[code] : message);
    // keeps instanceof working when compiled to ES5 (older mini-program base libraries)
    Object.setPrototypeOf(this, DomainError.prototype);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** The failure half of the response envelope: `{ ok: false, code, message, details? }`. */
export interface Failure {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: ErrorDetails;
}

/** Translate anything thrown into the envelope; non-domain errors become INTERNAL so nothing internal leaks. */
export function toFailure(error: unknown): Failure {
  if (error instanceof DomainError) {
    return error.details === undefined
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: error.code, message: error.message, details: error.details };
  }
  return { ok: false, code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL };
}

/** A value or the reason there is none, for rules that report rather than throw. */
export type Result<T, E = DomainError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function success<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function failure<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

export function invalidArgument(field: string, message?: string, reasons?: readonly string[]): DomainError {
  const text = message ?? `参数“${field}”有误，请检查后重试。`;
  return new DomainError('INVALID_ARGUMENT', text, reasons === undefined ? { field } : { field, reasons });
}
