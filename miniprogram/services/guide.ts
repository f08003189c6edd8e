/** The `guide` function: the police's guides and offices (public: no registration needed). */
import type { GuideSummary, GuideDetailResult, OfficesParams, OfficesResult } from '../domain/guide/contract';
import { call } from './cloud';

export async function listGuides(): Promise<readonly GuideSummary[]> {
  const { guides } = await call('guide', 'list', {});
  return guides;
}

export function getGuide(guideId: string): Promise<GuideDetailResult> {
  return call('guide', 'detail', { guideId });
}

/** Nearest first when `params` carries the user's GCJ-02 location, else in pinyin order of the names. */
export function listOffices(params: OfficesParams): Promise<OfficesResult> {
  return call('guide', 'offices', params);
}
