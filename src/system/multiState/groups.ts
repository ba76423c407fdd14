/**
 * The groups of the multi-state model's states: the lists for each
 * grouping, and the group of an episode.
 *
 * @module
 */
import { SYSTEM_PLACEMENT_GROUPS, SYSTEM_PROVIDER_GROUPS, systemPlacementGroupOf, systemProviderGroupOf } from '../../data/codes.js';
import type { Episode } from '../../data/loaders/ssda903.js';
import type { MultiStateGrouping } from './model.js';

/**
 * The group of an episode under a grouping.
 *
 * @param e - a cleaned episode
 * @param by - the grouping
 * @returns one of `GROUP_LISTS[by]`
 * @example
 * ```ts
 * groupKeyOf(episode, 'placement'); // 'fostering'
 * ```
 */
export function groupKeyOf(e: Episode, by: MultiStateGrouping): string {
  switch (by) {
    case 'placement':
      return e.placementGroup;
    case 'provider':
      return e.providerGroup;
    case 'placementType':
      return e.placementType;
    case 'none':
      return 'in_care';
    case 'placementProvider':
      return `${systemPlacementGroupOf(e.placementType)}/${systemProviderGroupOf(e.provider)}`;
  }
}

/** The groups of each grouping, in the model's order. */
export const GROUP_LISTS: Record<MultiStateGrouping, readonly string[]> = {
  placement: ['fostering', 'residential', 'adoption', 'parents', 'other'],
  provider: ['internal', 'private', 'voluntary', 'other'],
  placementType: ['fostering', 'childrens_home', 'secure', 'semi_independent', 'adoption', 'parents', 'residential_school', 'other'],
  none: ['in_care'],
  placementProvider: SYSTEM_PLACEMENT_GROUPS.flatMap((p) => SYSTEM_PROVIDER_GROUPS.map((q) => `${p}/${q}`)),
};
