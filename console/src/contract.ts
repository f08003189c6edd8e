/** The actions the console calls on `admin`: the server's own contract, so the console compiles against its shapes. */
import type { AdminActions } from '../../cloudfunctions/_shared/police/contract';

export type { OfficerView, SignInParams, SignInResult } from '../../cloudfunctions/_shared/police/officers/contract';

export type ConsoleActions = AdminActions;
export type ConsoleAction = Extract<keyof ConsoleActions, string>;
