// An empty field is asked for as a clerk would ask: 请输入 / 请选择 / 请上传, the field's path kept in the details.
import { missingField } from '../../miniprogram/domain/core/fields';

describe('missingField', () => {
  it('asks for a typed field with 请输入', () => {
    expect(missingField('name').message).toBe('请输入姓名');
    expect(missingField('idNumber').message).toBe('请输入身份证号码');
    expect(missingField('ownerName').message).toBe('请输入机动车所有人姓名');
  });

  it('asks for a picked field with 请选择 and a photo with 请上传', () => {
    expect(missingField('plateType').message).toBe('请选择号牌种类');
    expect(missingField('fileIDs').message).toBe('请上传照片');
  });

  it('keeps the code and the full path for the form to point at the field', () => {
    const error = missingField('rows[3].fine');
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe('请输入罚款金额');
    expect(error.details).toEqual({ field: 'rows[3].fine' });
  });
});
