import {
  ERROR_CODES,
  ERROR_MESSAGES,
  isErrorCode,
  DomainError,
  isDomainError,
  toFailure,
  invalidArgument,
  success,
  failure,
} from '../../miniprogram/domain/core/errors';

describe('error codes', () => {
  it('keeps every code DESIGN.md names, in Chinese', () => {
    const design = [
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
    ];
    for (const code of design) expect(ERROR_CODES).toContain(code);
    for (const code of ERROR_CODES) expect(ERROR_MESSAGES[code]).toMatch(/[\u4e00-\u9fff]/);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('isErrorCode accepts codes only', () => {
    expect(isErrorCode('CONFLICT')).toBe(true);
    expect(isErrorCode('conflict')).toBe(false);
    expect(isErrorCode(1)).toBe(false);
  });
});

describe('DomainError', () => {
  it('defaults the message from the code and keeps details', () => {
    const error = new DomainError('NOT_VERIFIED');
    expect(error).toBeInstanceOf(Error);
    expect(isDomainError(error)).toBe(true);
    expect(error.code).toBe('NOT_VERIFIED');
    expect(error.message).toBe(ERROR_MESSAGES.NOT_VERIFIED);
    expect(error.details).toBeUndefined();
    const withDetails = new DomainError('NOT_PROCESSABLE', '自定义', { reasons: ['DISPUTED'] });
    expect(withDetails.message).toBe('自定义');
    expect(withDetails.details).toEqual({ reasons: ['DISPUTED'] });
  });

  it('translates to the failure envelope; foreign errors become INTERNAL without leaking', () => {
    expect(toFailure(new DomainError('CONFLICT'))).toEqual({
      ok: false,
      code: 'CONFLICT',
      message: ERROR_MESSAGES.CONFLICT,
    });
    expect(toFailure(invalidArgument('plate'))).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
      details: { field: 'plate' },
    });
    const leaked = toFailure(new Error('connect ECONNREFUSED 10.0.0.1'));
    expect(leaked).toEqual({ ok: false, code: 'INTERNAL', message: ERROR_MESSAGES.INTERNAL });
    expect(toFailure('string thrown')).toMatchObject({ code: 'INTERNAL' });
  });

  it('result helpers', () => {
    expect(success(1)).toEqual({ ok: true, value: 1 });
    expect(failure('x')).toEqual({ ok: false, error: 'x' });
  });
});
