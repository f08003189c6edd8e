/**
 * The one error type the pages see. Server failures keep their stable code and Chinese message; failures that never
 * reached a function (network, face scan interrupted, payment cancelled) get client codes of their own.
 */
import { ERROR_MESSAGES, isErrorCode, type ErrorCode, type ErrorDetails } from '../domain/core/errors';

export const CLIENT_ERROR_MESSAGES = {
  NETWORK: '网络不给力，请检查网络连接后重试。',
  FACE_CANCELLED: '您已退出人脸识别。如需继续办理，请点击“重新识别”。',
  FACE_INTERRUPTED: '人脸识别未完成。请本人在光线充足的地方，正对手机、摘下帽子和眼镜后重试。',
  WECHAT_TOO_OLD: '当前微信版本过低，无法进行人脸识别，请升级微信后重试。',
  PAY_CANCELLED: '您已取消支付，可以稍后继续缴款。',
  PAY_FAILED: '支付未完成，请稍后重试；如已扣款，请勿重复支付，稍后在“缴款记录”中查看结果。',
  UPLOAD_FAILED: '照片上传失败，请检查网络后重试。',
} as const;

export type ClientErrorCode = keyof typeof CLIENT_ERROR_MESSAGES;
export type ServiceErrorCode = ErrorCode | ClientErrorCode;

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ServiceErrorCode, message?: string, details?: ErrorDetails) {
    super(message === undefined || message === '' ? defaultMessage(code) : message);
    // keeps instanceof working when DevTools compiles to ES5
    Object.setPrototypeOf(this, ServiceError.prototype);
    this.name = 'ServiceError';
    this.code = code;
    this.details = details;
  }
}

function defaultMessage(code: ServiceErrorCode): string {
  return isErrorCode(code) ? ERROR_MESSAGES[code] : CLIENT_ERROR_MESSAGES[code];
}

/** Anything a service threw, as a ServiceError (a bug in a page becomes INTERNAL, never a raw stack). */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  return new ServiceError('INTERNAL');
}

/** The sentence to show for anything a service threw. */
export function errorMessage(error: unknown): string {
  return toServiceError(error).message;
}
