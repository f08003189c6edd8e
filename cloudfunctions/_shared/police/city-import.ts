/**
 * The police's city-service data: offices, tow records and guides, imported like the registries —
 * idempotent upserts by the police's own keys, a batch in one transaction, bad rows reported and skipped.
 */
import { type TowStatus, TOW_STATUSES } from '../../../miniprogram/domain/tow/tows';
import { today } from '../clock';
import { COLLECTIONS, vehicleDocId } from '../collections';
import type { ParsedImport, OfficeRow, ImportResult, TowRow, GuideRow } from './contract';
import { importBatch } from './registry-import';

export function importOffices(parsed: ParsedImport<OfficeRow>): Promise<ImportResult> {
  return importBatch(
    {
      collection: COLLECTIONS.offices,
      id: (row) => row.officeId,
      // a phone removed at the source is removed here too
      fields: (row) => ({ phone: null, ...row, services: [...row.services] }),
    },
    parsed,
  );
}

// Looked up with what a stored record holds, which may be no status at all.
const TOW_ORDER: Readonly<Partial<Record<string, number>>> = {
  towed: TOW_STATUSES.indexOf('towed'),
  released: TOW_STATUSES.indexOf('released'),
} satisfies Record<TowStatus, number>;

export function importTows(parsed: ParsedImport<TowRow>): Promise<ImportResult> {
  return importBatch(
    {
      collection: COLLECTIONS.tows,
      id: (row) => row.towId,
      fields: (row) => ({ ...row, vehicleId: vehicleDocId(row.plateType, row.plate) }),
      // A released car stays released: an older export arriving late must not send the driver to an empty yard.
      // (A car towed again is a new towId.)
      merge: (existing, incoming) => {
        const current = existing['status'] as TowStatus;
        const next = incoming['status'] as TowStatus;
        return (TOW_ORDER[current] ?? 0) > (TOW_ORDER[next] ?? 0) ? { ...incoming, status: current } : incoming;
      },
    },
    parsed,
  );
}

export function importGuides(parsed: ParsedImport<GuideRow>): Promise<ImportResult> {
  const day = today();
  const dated = new Set(parsed.rows.filter(({ row }) => row.updatedOn !== undefined).map(({ row }) => row.guideId));
  return importBatch(
    {
      collection: COLLECTIONS.guides,
      id: (row) => row.guideId,
      fields: (row) => ({
        officeService: null,
        ...row,
        sections: row.sections.map((s) => ({ heading: s.heading, items: [...s.items] })),
        updatedOn: row.updatedOn ?? day,
      }),
      // Re-importing the same text must not count as a correction just because the day changed.
      merge: (existing, incoming) =>
        !dated.has(existing._id) && sameGuide(existing, incoming)
          ? { ...incoming, updatedOn: existing['updatedOn'] }
          : incoming,
    },
    parsed,
  );
}

function sameGuide(existing: Record<string, unknown>, incoming: Record<string, unknown>): boolean {
  const keys = ['title', 'summary', 'sections', 'officeService', 'order'];
  return keys.every((key) => JSON.stringify(existing[key] ?? null) === JSON.stringify(incoming[key] ?? null));
}
