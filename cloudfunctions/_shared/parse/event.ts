/**
 * Parsing of every cloud function's event into typed params: the features' parser tables, combined.
 * `parseEvent` returns a typed `{ action, params }` or throws a DomainError — INVALID_ARGUMENT naming the field,
 * or PLATE_NOT_SUPPORTED for a well-formed but refused plate — and never anything else, whatever the input.
 * The actions a function accepts are its parser table's keys, so an action without a parser cannot compile.
 */
import { hasOwn, badField } from '../../../miniprogram/domain/core/fields';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { isIsoDate } from '../../../miniprogram/domain/core/dates';
import { accountParsers } from '../account/parse';
import type { ServerFunctionName, ServerActionMap, ServerActionName, ParsedEvent } from '../actions';
import { certificateParsers } from '../certificate/parse';
import { faultParsers } from '../fault/parse';
import { guideParsers } from '../guide/parse';
import { homeParsers } from '../home/parse';
import { insuranceParsers } from '../insurance/parse';
import { licenceParsers } from '../licence/parse';
import { moveCarParsers } from '../move-car/parse';
import { paymentDeskParsers, paymentParsers } from '../payment/parse';
import { adminParsers } from '../police/parse';
import { reminderParsers } from '../reminder/parse';
import { towParsers } from '../tow/parse';
import { vehicleParsers } from '../vehicle/parse';
import { violationParsers } from '../violation/parse';
import { guardParse, FieldReader } from './reader';
import type { Parsers, ParseContext } from './fields';

const PARSERS: { readonly [F in ServerFunctionName]: Parsers<ServerActionMap[F]> } = {
  user: { ...accountParsers, ...licenceParsers, ...homeParsers },
  vehicle: vehicleParsers,
  violation: { ...violationParsers, ...paymentDeskParsers },
  payment: paymentParsers,
  reminder: reminderParsers,
  certificate: certificateParsers,
  guide: guideParsers,
  tow: towParsers,
  insurance: insuranceParsers,
  moveCar: moveCarParsers,
  fault: faultParsers,
  admin: adminParsers,
};

/** Each function's actions: its parser table's keys. */
export const ACTIONS = Object.fromEntries(
  Object.entries(PARSERS).map(([fn, table]) => [fn, Object.keys(table)]),
) as unknown as { readonly [F in ServerFunctionName]: readonly ServerActionName<F>[] };

/**
 * The event `{ action, ...params }` of function `fn` as typed params. Unknown keys (WeChat's `userInfo`, extras)
 * are ignored. Throws only DomainError.
 */
export function parseEvent<F extends ServerFunctionName>(fn: F, event: unknown, ctx: ParseContext): ParsedEvent<F> {
  return guardParse(() => {
    if (!isIsoDate(ctx.today)) throw new DomainError('INTERNAL', undefined, { field: 'today' });
    const reader = new FieldReader(event);
    const action = reader.raw('action');
    const table: Readonly<Record<string, (reader: FieldReader, ctx: ParseContext) => unknown>> = PARSERS[fn];
    const parse = typeof action === 'string' && hasOwn(table, action) ? table[action] : undefined;
    if (parse === undefined) {
      throw reader.has('action') ? badField('action', '不支持的操作。') : badField('action', '缺少操作类型。');
    }
    // the table is typed per action above; this cast only re-attaches the action name to its params
    return { action, params: parse(reader, ctx) } as ParsedEvent<F>;
  });
}
