/** A tow record's states. */

export const TOW_STATUSES = ['towed', 'released'] as const;

export type TowStatus = (typeof TOW_STATUSES)[number];
