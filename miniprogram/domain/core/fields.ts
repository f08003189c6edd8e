/**
 * Checking one typed value against its rule, with a sentence that names the field in Chinese; shared by the pages'
 * form checks and the server's parsers.
 */

import { DomainError } from './errors';

export type RawObject = Readonly<Record<string, unknown>>;

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Chinese labels so a message names the field in words a driver understands. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  event: '请求',
  action: '操作类型',
  name: '姓名',
  idNumber: '身份证号码',
  purpose: '认证用途',
  verifyId: '认证编号',
  plate: '号牌号码',
  plateType: '号牌种类',
  ownerName: '机动车所有人姓名',
  requestId: '申请编号',
  bindingId: '绑定编号',
  violationIds: '违法记录',
  decisionId: '处罚决定书',
  orderId: '订单编号',
  rows: '导入数据',
  from: '开始日期',
  to: '结束日期',
  licenceClass: '准驾车型',
  firstIssueDate: '初次领证日期',
  validUntil: '有效期止',
  status: '状态',
  cyclePoints: '记分周期累积记分',
  ownerIdNumber: '所有人身份证号码',
  inspectionDue: '检验有效期止',
  violationId: '违法记录编号',
  occurredAt: '违法时间',
  place: '违法地点',
  behaviour: '违法行为',
  fine: '罚款金额',
  points: '记分',
  source: '记录来源',
  disputed: '异议标记',
  outTradeNo: '商户订单号',
  totalFee: '支付金额',
  guideId: '指南编号',
  officeId: '网点编号',
  address: '地址',
  latitude: '纬度',
  longitude: '经度',
  hours: '办公时间',
  services: '办理业务',
  service: '业务类型',
  phone: '联系电话',
  towId: '拖移记录编号',
  towedAt: '拖移时间',
  yardName: '停车场名称',
  yardAddress: '停车场地址',
  fee: '费用',
  yardHours: '停车场开放时间',
  yardPhone: '停车场电话',
  title: '标题',
  summary: '摘要',
  sections: '内容',
  heading: '小标题',
  items: '条目',
  officeService: '办理网点业务',
  order: '排序',
  updatedOn: '更新日期',
  insurer: '保险公司',
  kinds: '提醒类型',
  number: '证明编号',
  code: '核验码',
  reply: '回复内容',
  type: '设施类型',
  description: '问题描述',
  fileIDs: '照片',
  reportId: '报障编号',
  note: '处理说明',
  limit: '数量',
  onlinePointsThrough: '记分已含网上处理截至时间',
  paidAt: '缴款时间',
  login: '登录名',
  password: '密码',
  totp: '动态验证码',
  current: '当前密码',
  next: '新密码',
  roles: '角色',
  state: '账号状态',
  keyId: '密钥编号',
  actor: '操作人',
  after: '翻页位置',
};

/** A path's last named segment: `rows[3].fine` → fine. */
function lastSegment(path: string): string {
  const segments = path.split('.');
  return (segments[segments.length - 1] ?? path).replace(/\[\d+\]$/, '');
}

/** The label of a path's last named segment: `rows[3].fine` → 罚款金额. */
export function fieldLabel(path: string): string {
  const last = lastSegment(path);
  // Own labels only: `__proto__` or `constructor` would otherwise read Object.prototype's and print "[object Object]".
  return hasOwn(FIELD_LABELS, last) ? (FIELD_LABELS[last] ?? last) : last;
}

/** Fields a person picks from a list or a sheet rather than types: 请选择…; photos are 请上传…. */
const CHOSEN_FIELDS: ReadonlySet<string> = new Set([
  'plateType',
  'licenceClass',
  'purpose',
  'violationIds',
  'service',
  'kinds',
  'type',
  'from',
  'to',
]);
const UPLOADED_FIELDS: ReadonlySet<string> = new Set(['fileIDs']);

/** What a form says about an empty field, as a clerk would ask for it: 请输入姓名, 请选择号牌种类, 请上传照片. */
export function missingField(path: string): DomainError {
  const last = lastSegment(path);
  const verb = CHOSEN_FIELDS.has(last) ? '请选择' : UPLOADED_FIELDS.has(last) ? '请上传' : '请输入';
  return new DomainError('INVALID_ARGUMENT', `${verb}${fieldLabel(path)}`, { field: path });
}

export function badField(path: string, message?: string): DomainError {
  return new DomainError('INVALID_ARGUMENT', message ?? `${fieldLabel(path)}格式不正确，请检查后重试。`, {
    field: path,
  });
}

export function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** A JSON-like object: not null, not an array, plain prototype (or none). */
export function isPlainObject(value: unknown): value is RawObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export interface StringRule {
  /** Minimum length after trimming (default 1: empty counts as missing). */
  readonly min?: number;
  /** Maximum length after trimming, in UTF-16 code units. */
  readonly max: number;
  readonly pattern?: RegExp;
  /** Default true. */
  readonly trim?: boolean;
  /** Message when the value is present but wrong. */
  readonly message?: string;
}

export function checkString(value: unknown, rule: StringRule, path: string): string {
  if (value === undefined || value === null) throw missingField(path);
  if (typeof value !== 'string') throw badField(path, rule.message);
  // refuse absurd lengths before doing any work on them
  if (value.length > rule.max * 4 + 64) throw badField(path, rule.message);
  const text = rule.trim === false ? value : value.trim();
  const min = rule.min ?? 1;
  if (text.length === 0 && min > 0) throw missingField(path);
  if (text.length < min || text.length > rule.max) throw badField(path, rule.message);
  if (CONTROL_CHARS.test(text)) throw badField(path, rule.message);
  if (rule.pattern !== undefined && !rule.pattern.test(text)) throw badField(path, rule.message);
  return text;
}
