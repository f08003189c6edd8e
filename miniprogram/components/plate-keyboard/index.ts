/**
 * Plate keyboard for 桂A plates: 桂 and A are fixed, then only the characters domain/vehicle/plate.ts allows at the next
 * position are enabled (I and O never; 7 characters for type 02, 8 for 52; nothing after the last one).
 * Emits `change` with `{ value, complete }` after each key; the parent passes `value` back in (controlled).
 */
import { type DatasetEvent } from '../../utils/events';
import {
  isCompletePlate,
  isPlatePrefix,
  nextPlateChars,
  PLATE_PREFIX,
  plateMaxLength,
  type PlateType,
} from '../../domain/vehicle/plate';

/** QWERTY order, as on the phone's own keyboard; I and O stay visible (disabled) so the layout is familiar. */
const KEY_ROWS: readonly string[] = ['1234567890', 'QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'];

interface Key {
  readonly char: string;
  readonly enabled: boolean;
}

interface Slot {
  readonly char: string;
  readonly fixed: boolean;
  readonly active: boolean;
}

function asPlateType(value: string): PlateType {
  return value === '52' ? '52' : '02';
}

/** The longest start of `value` that is a valid plate prefix, never shorter than 桂A. */
function validPrefix(type: PlateType, value: string): string {
  const chars = Array.from(value.indexOf(PLATE_PREFIX) === 0 ? value : PLATE_PREFIX);
  while (chars.length > 2 && !isPlatePrefix(type, chars.join(''))) chars.pop();
  return chars.length < 2 ? PLATE_PREFIX : chars.join('');
}

function layout(
  type: PlateType,
  typed: string,
): { rows: Key[][]; slots: Slot[]; complete: boolean; canDelete: boolean } {
  const allowed = nextPlateChars(type, typed);
  const typedChars = Array.from(typed);
  const slots: Slot[] = [];
  for (let i = 0; i < plateMaxLength(type); i += 1) {
    slots.push({ char: typedChars[i] ?? '', fixed: i < 2, active: i === typedChars.length });
  }
  return {
    rows: KEY_ROWS.map((row) => Array.from(row).map((char) => ({ char, enabled: allowed.indexOf(char) >= 0 }))),
    slots,
    complete: isCompletePlate(type, typed),
    canDelete: typedChars.length > 2,
  };
}

Component({
  properties: {
    plateType: { type: String, value: '02' },
    value: { type: String, value: PLATE_PREFIX },
  },

  data: {
    typed: PLATE_PREFIX,
    ...layout('02', PLATE_PREFIX),
  },

  observers: {
    'plateType, value'(plateType: string, value: string) {
      const type = asPlateType(plateType);
      const typed = validPrefix(type, value);
      this.render(type, typed);
      // a type switch (8 → 7 characters) can cut the plate short: tell the parent what is left
      if (typed !== value) this.triggerEvent('change', { value: typed, complete: isCompletePlate(type, typed) });
    },
  },

  methods: {
    onKey(e: DatasetEvent<{ char: string }>) {
      const char = e.currentTarget.dataset.char ?? '';
      const type = asPlateType(this.data.plateType);
      // the disabled key already refuses the tap; checking again keeps a stale render from adding a 9th character
      if (nextPlateChars(type, this.data.typed).indexOf(char) < 0) return;
      this.update(type, this.data.typed + char);
    },

    onDelete() {
      const type = asPlateType(this.data.plateType);
      const chars = Array.from(this.data.typed);
      if (chars.length <= 2) return;
      chars.pop();
      this.update(type, chars.join(''));
    },

    update(type: PlateType, typed: string) {
      this.render(type, typed);
      this.triggerEvent('change', { value: typed, complete: isCompletePlate(type, typed) });
    },

    /** Sends only the keys and slots that changed, not the whole keyboard, on every key press. */
    render(type: PlateType, typed: string) {
      const next = layout(type, typed);
      const patch: Record<string, unknown> = { typed, complete: next.complete, canDelete: next.canDelete };
      const rows = this.data.rows;
      next.rows.forEach((row, r) =>
        row.forEach((key, c) => {
          if (rows[r]?.[c]?.enabled !== key.enabled) patch[`rows[${r}][${c}].enabled`] = key.enabled;
        }),
      );
      const slots = this.data.slots;
      if (slots.length !== next.slots.length) patch['slots'] = next.slots;
      else
        next.slots.forEach((slot, i) => {
          const old = slots[i];
          if (old === undefined || old.char !== slot.char || old.active !== slot.active) patch[`slots[${i}]`] = slot;
        });
      this.setData(patch);
    },
  },
});
