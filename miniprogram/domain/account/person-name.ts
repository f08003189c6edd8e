/** A person's name as the ID card has it: the rule the register and binding pages check and the server enforces. */

import type { StringRule } from '../core/fields';

/** A person's name: no digits or markup; minority names keep their `·`. */
export const PERSON_NAME: StringRule = {
  max: 30,
  pattern: /^[^\d<>{}[\]\\/@#$%^&*=+|~`"';:?!，。；：？！]+$/,
  message: '姓名格式不正确，请填写身份证上的姓名。',
};
