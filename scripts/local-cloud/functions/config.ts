/**
 * A function folder's `config.json`, as WeChat DevTools uploads it with the function:
 *   { "permissions": { "openapi": ["subscribeMessage.send"] },
 *     "triggers": [{ "name": "daily", "type": "timer", "config": "0 0 2 * * * *" }] }
 * Read once when the local cloud loads its functions; anything WeChat would refuse to deploy is refused at startup
 * with the file and the reason, so a broken trigger is found on a laptop rather than at upload.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCron, type Cron } from '../timers/cron';

export interface TimerTrigger {
  functionName: string;
  name: string;
  config: string;
  cron: Cron;
}

export interface FunctionConfig {
  /** permissions.openapi: the open APIs the function may call (WeChat answers -604101 for any other). */
  openapi: ReadonlySet<string>;
  triggers: TimerTrigger[];
}

class FunctionConfigError extends Error {}

/** WeChat's rule for trigger names: up to 60 of a-z A-Z 0-9 - _, starting with a letter. */
const TRIGGER_NAME = /^[A-Za-z][\w-]{0,59}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFunctionConfig(functionsRoot: string, functionName: string): FunctionConfig {
  const file = path.join(functionsRoot, functionName, 'config.json');
  if (!existsSync(file)) return { openapi: new Set(), triggers: [] };
  const fail = (reason: string): never => {
    throw new FunctionConfigError(`${file}: ${reason}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) return fail('must be a JSON object');

  const openapi = new Set<string>();
  const permissions = parsed['permissions'];
  if (permissions !== undefined) {
    if (!isRecord(permissions)) return fail('permissions must be an object');
    const list = permissions['openapi'];
    if (list !== undefined) {
      if (!Array.isArray(list) || list.some((api) => typeof api !== 'string'))
        return fail('permissions.openapi must be an array of API names such as "subscribeMessage.send"');
      for (const api of list as string[]) openapi.add(api);
    }
  }

  const triggers: TimerTrigger[] = [];
  const declared = parsed['triggers'];
  if (declared !== undefined) {
    if (!Array.isArray(declared)) return fail('triggers must be an array');
    // WeChat: "目前仅支持一个触发器，即数组只能填写一个，不可添加多个" — one trigger per function.
    if (declared.length > 1)
      return fail(`declares ${declared.length} triggers; WeChat cloud supports one trigger per function`);
    for (const [i, trigger] of declared.entries()) {
      if (!isRecord(trigger)) return fail(`triggers[${i}] must be an object { name, type, config }`);
      const { name, type, config } = trigger;
      if (typeof name !== 'string' || !TRIGGER_NAME.test(name))
        return fail(
          `triggers[${i}].name ${JSON.stringify(name)} must be up to 60 of a-z A-Z 0-9 - _, starting with a letter`,
        );
      if (type !== 'timer')
        return fail(`triggers[${i}].type ${JSON.stringify(type)}: WeChat cloud supports only "timer"`);
      if (typeof config !== 'string')
        return fail(`triggers[${i}].config must be a cron string such as "0 0 2 * * * *"`);
      let cron: Cron;
      try {
        cron = parseCron(config);
      } catch (error) {
        return fail(`triggers[${i}] (${name}): ${(error as Error).message}`);
      }
      triggers.push({ functionName, name, config, cron });
    }
  }
  return { openapi, triggers };
}

/** Every function's config; the first invalid file stops the local cloud from starting. */
export function readFunctionConfigs(
  functionsRoot: string,
  functionNames: readonly string[],
): Map<string, FunctionConfig> {
  return new Map(functionNames.map((name) => [name, readFunctionConfig(functionsRoot, name)]));
}
