import { DomainError } from '../../miniprogram/domain/core/errors';
import {
  type ProcessorLicence,
  type ViolationFacts,
  violationEligibility,
  ELIGIBILITY_REASONS,
  ELIGIBILITY_REASON_TEXT,
  reasonTexts,
  evaluateBatch,
  MAX_BATCH_SIZE,
  checkBatchSelection,
  requireBatchProcessable,
} from '../../miniprogram/domain/violation/eligibility';

const TODAY = '2025-06-15';
const licence: ProcessorLicence = { class: 'C1', status: 'valid', validUntil: '2030-01-01', cyclePoints: 0 };

let seq = 0;
function violation(overrides: Partial<ViolationFacts> = {}): ViolationFacts {
  seq += 1;
  return {
    id: `V${seq}`,
    source: 'camera',
    status: 'unprocessed',
    disputed: false,
    fine: 20_000,
    points: 6,
    ...overrides,
  };
}

function reasons(v: Partial<ViolationFacts>, l: ProcessorLicence | null = licence): readonly string[] {
  return violationEligibility(violation(v), l, TODAY).reasons;
}

describe('violationEligibility', () => {
  it('a camera violation of 200 yuan and 6 points, unprocessed, undisputed, is processable', () => {
    expect(violationEligibility(violation(), licence, TODAY)).toEqual({ processable: true, reasons: [] });
    expect(reasons({ fine: 0, points: 0 })).toEqual([]);
  });

  it('fine: 20000 fen OK, 20001 refused', () => {
    expect(reasons({ fine: 20_000 })).toEqual([]);
    expect(reasons({ fine: 20_001 })).toEqual(['FINE_OVER_LIMIT']);
  });

  it('points: 6 OK, 9 and 12 refused', () => {
    expect(reasons({ points: 6 })).toEqual([]);
    expect(reasons({ points: 9, fine: 100 })).toEqual(['POINTS_OVER_LIMIT']);
    expect(reasons({ points: 12, fine: 100 }, { ...licence, cyclePoints: 0 })).toEqual([
      'POINTS_OVER_LIMIT',
      'CYCLE_POINTS',
    ]);
  });

  it('malformed fine or points (7, negative, fractional) is INVALID_RECORD, never processable', () => {
    expect(reasons({ points: 7 })).toEqual(['INVALID_RECORD']);
    expect(reasons({ fine: -1 })).toEqual(['INVALID_RECORD']);
    expect(reasons({ fine: 100.5 })).toEqual(['INVALID_RECORD']);
    expect(reasons({ fine: Number.NaN })).toEqual(['INVALID_RECORD']);
  });

  it('cycle points: 5 + 6 = 11 OK, 6 + 6 = 12 refused, 11 + 1 refused, 12 + 0 refused', () => {
    expect(reasons({ points: 6 }, { ...licence, cyclePoints: 5 })).toEqual([]);
    expect(reasons({ points: 6 }, { ...licence, cyclePoints: 6 })).toEqual(['CYCLE_POINTS']);
    expect(reasons({ points: 1 }, { ...licence, cyclePoints: 11 })).toEqual(['CYCLE_POINTS']);
    expect(reasons({ points: 0 }, { ...licence, cyclePoints: 11 })).toEqual([]);
    expect(reasons({ points: 0 }, { ...licence, cyclePoints: 12 })).toEqual(['CYCLE_POINTS']);
    expect(reasons({ points: 0 }, { ...licence, cyclePoints: -1 })).toEqual(['CYCLE_POINTS']);
  });

  it('source, dispute and status', () => {
    expect(reasons({ source: 'onsite' })).toEqual(['NOT_CAMERA']);
    expect(reasons({ disputed: true })).toEqual(['DISPUTED']);
    expect(reasons({ status: 'processed' })).toEqual(['ALREADY_PROCESSED']);
    expect(reasons({ status: 'paid' })).toEqual(['ALREADY_PROCESSED']);
  });

  it('licence: none, expired (day after validUntil), revoked, suspended, wrong class; C2 accepted', () => {
    expect(reasons({}, null)).toEqual(['NO_LICENCE']);
    expect(reasons({}, { ...licence, validUntil: TODAY })).toEqual([]);
    expect(reasons({}, { ...licence, validUntil: '2025-06-14' })).toEqual(['LICENCE_INVALID']);
    expect(reasons({}, { ...licence, status: 'revoked' })).toEqual(['LICENCE_INVALID']);
    expect(reasons({}, { ...licence, status: 'suspended' })).toEqual(['LICENCE_INVALID']);
    expect(reasons({}, { ...licence, class: 'D' })).toEqual(['LICENCE_CLASS']);
    expect(reasons({}, { ...licence, class: 'C2' })).toEqual([]);
    expect(reasons({}, { ...licence, class: 'A1' })).toEqual([]);
  });

  it('reports every reason that applies, in the stable order', () => {
    const all = reasons(
      { source: 'onsite', disputed: true, status: 'processed', fine: 50_000, points: 9 },
      { class: 'E', status: 'expired', validUntil: '2020-01-01', cyclePoints: 10 },
    );
    expect(all).toEqual([
      'NOT_CAMERA',
      'DISPUTED',
      'ALREADY_PROCESSED',
      'FINE_OVER_LIMIT',
      'POINTS_OVER_LIMIT',
      'LICENCE_INVALID',
      'LICENCE_CLASS',
      'CYCLE_POINTS',
    ]);
  });

  it('every reason has a Chinese explanation and what to do instead', () => {
    for (const r of ELIGIBILITY_REASONS) {
      expect(ELIGIBILITY_REASON_TEXT[r].message).toMatch(/[\u4e00-\u9fff]/);
      expect(ELIGIBILITY_REASON_TEXT[r].whatToDo).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(ELIGIBILITY_REASON_TEXT.DISPUTED.whatToDo).toContain('违法行为发生地');
    expect(ELIGIBILITY_REASON_TEXT.FINE_OVER_LIMIT.whatToDo).toContain('窗口');
    expect(ELIGIBILITY_REASON_TEXT.POINTS_OVER_LIMIT.whatToDo).toContain('窗口');
    expect(reasonTexts(['DISPUTED'])).toEqual([ELIGIBILITY_REASON_TEXT.DISPUTED]);
  });
});

describe('batch', () => {
  function fail(vs: ViolationFacts[], l: ProcessorLicence | null = licence): DomainError {
    const result = evaluateBatch(vs, l, TODAY);
    if (result.ok) throw new Error('expected a refusal');
    return result.error;
  }

  it('accepts a batch whose points stay below 12 with the current points, and sums fines', () => {
    const result = evaluateBatch(
      [
        violation({ points: 3, fine: 10_000 }),
        violation({ points: 3, fine: 5_050 }),
        violation({ points: 0, fine: 1 }),
      ],
      { ...licence, cyclePoints: 5 },
      TODAY,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { totalFine: 15_051, batchPoints: 6, currentPoints: 5, totalPoints: 11 },
    });
  });

  it('refuses the whole batch when its sum reaches 12 (each alone would pass)', () => {
    const error = fail([violation({ points: 6 }), violation({ points: 6 })]);
    expect(error.code).toBe('POINTS_LIMIT');
    expect(error.details).toMatchObject({ currentPoints: 0, batchPoints: 12, totalPoints: 12, limit: 12 });
    expect(error.message).toContain('12');
  });

  it('refuses when current points plus the batch reach 12: 3 + 3 + 6 = 12', () => {
    const error = fail([violation({ points: 3 }), violation({ points: 6 })], { ...licence, cyclePoints: 3 });
    expect(error).toMatchObject({ code: 'POINTS_LIMIT', details: { totalPoints: 12 } });
  });

  it('an item that fails on points alone gives POINTS_LIMIT', () => {
    expect(fail([violation({ points: 6 })], { ...licence, cyclePoints: 6 }).code).toBe('POINTS_LIMIT');
  });

  it('any other failing item refuses the whole batch with NOT_PROCESSABLE and every reason', () => {
    const ok = violation();
    const disputed = violation({ disputed: true, fine: 30_000 });
    const error = fail([ok, disputed]);
    expect(error.code).toBe('NOT_PROCESSABLE');
    expect(error.details?.violations).toEqual([{ id: disputed.id, reasons: ['DISPUTED', 'FINE_OVER_LIMIT'] }]);
    expect(error.message).toContain('违法行为发生地');
    expect(fail([violation()], null).code).toBe('NOT_PROCESSABLE');
  });

  it('rejects empty batches, duplicates and more than the maximum', () => {
    expect(fail([]).code).toBe('INVALID_ARGUMENT');
    const v = violation();
    expect(fail([v, v])).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'violationIds[1]' } });
    const many = Array.from({ length: MAX_BATCH_SIZE + 1 }, () => violation({ points: 0, fine: 100 }));
    expect(fail(many)).toMatchObject({ code: 'INVALID_ARGUMENT', details: { limit: MAX_BATCH_SIZE } });
    expect(evaluateBatch(many.slice(0, MAX_BATCH_SIZE), licence, TODAY).ok).toBe(true);
    expect(checkBatchSelection(['a', 'b'])).toBeNull();
  });

  it('requireBatchProcessable throws the DomainError', () => {
    expect(() => requireBatchProcessable([violation({ points: 6 }), violation({ points: 6 })], licence, TODAY)).toThrow(
      DomainError,
    );
    expect(requireBatchProcessable([violation({ points: 1 })], licence, TODAY).totalPoints).toBe(1);
  });
});
