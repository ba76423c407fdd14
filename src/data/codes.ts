/**
 * SSDA903 placement and provider codes, and the groups carecast reports on.
 *
 * One table in code maps every code onto a detailed placement type and a
 * placement group; another maps provider codes onto provider groups. All
 * loaders and models use these tables, so a change of grouping is made here
 * only.
 *
 * @module
 */
import { z } from 'zod';

/** Placement groups used across carecast (the seeds' reporting groups). */
export const PLACEMENT_GROUPS = ['fostering', 'residential', 'adoption', 'parents', 'other'] as const;
/** Zod schema of {@link PlacementGroup}. */
export const PlacementGroupSchema = z.enum(PLACEMENT_GROUPS);
/**
 * A placement group: `fostering` (U1-U6), `residential` (children's homes K2 +
 * secure K1 + semi-independent/supported H5, P2, K3), `adoption` (placed for
 * adoption A3-A6), `parents` (placed with parents P1), `other` (residential
 * schools, NHS, family centres, YOI/prison, temporary and other placements).
 */
export type PlacementGroup = z.infer<typeof PlacementGroupSchema>;

/** Detailed placement types (finer than {@link PlacementGroup}). */
export const PLACEMENT_TYPES = [
  'fostering',
  'childrens_home',
  'secure',
  'semi_independent',
  'adoption',
  'parents',
  'residential_school',
  'other',
] as const;
/** Zod schema of {@link PlacementType}. */
export const PlacementTypeSchema = z.enum(PLACEMENT_TYPES);
/** A detailed placement type; each belongs to exactly one {@link PlacementGroup}. */
export type PlacementType = z.infer<typeof PlacementTypeSchema>;

/** Which group each detailed placement type belongs to. */
export const PLACEMENT_TYPE_GROUP: Readonly<Record<PlacementType, PlacementGroup>> = {
  fostering: 'fostering',
  childrens_home: 'residential',
  secure: 'residential',
  semi_independent: 'residential',
  adoption: 'adoption',
  parents: 'parents',
  residential_school: 'other',
  other: 'other',
};

/** One SSDA903 placement code with its meaning and its carecast type. */
export interface PlacementCodeInfo {
  /** The SSDA903 `PLACE` code, e.g. `U1`. */
  readonly code: string;
  /** What the code means in the DfE guidance. */
  readonly label: string;
  /** The carecast placement type. */
  readonly type: PlacementType;
}

const placementCodeList: readonly PlacementCodeInfo[] = [
  { code: 'A3', label: 'Placed for adoption with consent with current foster carer', type: 'adoption' },
  { code: 'A4', label: 'Placed for adoption with consent not with current foster carer', type: 'adoption' },
  { code: 'A5', label: 'Placed for adoption with placement order with current foster carer', type: 'adoption' },
  { code: 'A6', label: 'Placed for adoption with placement order not with current foster carer', type: 'adoption' },
  { code: 'H5', label: 'Semi-independent living accommodation not subject to children\u2019s homes regulations', type: 'semi_independent' },
  { code: 'K1', label: 'Secure children\u2019s homes', type: 'secure' },
  { code: 'K2', label: 'Children\u2019s homes subject to children\u2019s homes regulations', type: 'childrens_home' },
  { code: 'K3', label: 'Supported accommodation (from 2023-24 returns)', type: 'semi_independent' },
  { code: 'P1', label: 'Placed with own parent(s) or other person(s) with parental responsibility', type: 'parents' },
  { code: 'P2', label: 'Independent living, e.g. in a flat, lodgings, bedsit, B&B or with friends', type: 'semi_independent' },
  { code: 'P3', label: 'Residential employment', type: 'other' },
  { code: 'R1', label: 'Residential care home', type: 'other' },
  { code: 'R2', label: 'NHS/health trust or other establishment providing medical or nursing care', type: 'other' },
  { code: 'R3', label: 'Family centre or mother and baby unit', type: 'other' },
  { code: 'R5', label: 'Young offender institution or prison', type: 'other' },
  { code: 'S1', label: 'All residential schools, except where dual-registered as a school and children\u2019s home', type: 'residential_school' },
  { code: 'T0', label: 'Temporary placement (all types)', type: 'other' },
  { code: 'T1', label: 'Temporary periods in hospital', type: 'other' },
  { code: 'T2', label: 'Temporary absences of the child on holiday', type: 'other' },
  { code: 'T3', label: 'Temporary accommodation whilst normal foster carer is on holiday', type: 'other' },
  { code: 'T4', label: 'Temporary accommodation of seven days or less', type: 'other' },
  { code: 'U1', label: 'Foster placement with relative or friend, long term fostering', type: 'fostering' },
  { code: 'U2', label: 'Foster placement with relative or friend who is also an approved adopter (FFA/concurrent)', type: 'fostering' },
  { code: 'U3', label: 'Foster placement with relative or friend not long term or FFA/concurrent', type: 'fostering' },
  { code: 'U4', label: 'Foster placement with other foster carer, long term fostering', type: 'fostering' },
  { code: 'U5', label: 'Foster placement with other foster carer who is also an approved adopter (FFA/concurrent)', type: 'fostering' },
  { code: 'U6', label: 'Foster placement with other foster carer not long term or FFA/concurrent', type: 'fostering' },
  { code: 'Z1', label: 'Other placements', type: 'other' },
];

/** Every SSDA903 placement code carecast knows, keyed by code. */
export const PLACEMENT_CODES: ReadonlyMap<string, PlacementCodeInfo> = new Map(
  placementCodeList.map((c) => [c.code, c]),
);

/** Provider groups: internal = own LA (PR1) + other LA (PR2). */
export const PROVIDER_GROUPS = ['internal', 'private', 'voluntary', 'other'] as const;
/** Zod schema of {@link ProviderGroup}. */
export const ProviderGroupSchema = z.enum(PROVIDER_GROUPS);
/**
 * A provider group: `internal` (own LA PR1 + other LA PR2), `private` (PR4),
 * `voluntary` (PR5), `other` (other public PR3, and PR0 parents or other
 * person with parental responsibility).
 */
export type ProviderGroup = z.infer<typeof ProviderGroupSchema>;

/** One SSDA903 provider code with its meaning and group. */
export interface ProviderCodeInfo {
  /** The SSDA903 `PLACE_PROVIDER` code, e.g. `PR4`. */
  readonly code: string;
  /** What the code means. */
  readonly label: string;
  /** The carecast provider group. */
  readonly group: ProviderGroup;
}

const providerCodeList: readonly ProviderCodeInfo[] = [
  { code: 'PR0', label: 'Parent(s) or other person(s) with parental responsibility', group: 'other' },
  { code: 'PR1', label: 'Own provision (by the council)', group: 'internal' },
  { code: 'PR2', label: 'Other local authority provision', group: 'internal' },
  { code: 'PR3', label: 'Other public provision (e.g. by a PCT)', group: 'other' },
  { code: 'PR4', label: 'Private provision', group: 'private' },
  { code: 'PR5', label: 'Voluntary/third sector provision', group: 'voluntary' },
];

/** Every SSDA903 provider code carecast knows, keyed by code. */
export const PROVIDER_CODES: ReadonlyMap<string, ProviderCodeInfo> = new Map(
  providerCodeList.map((c) => [c.code, c]),
);

/**
 * The placement groups of the whole-system projection (the groups of the
 * system model, issue 13): `fostering` (U1-U6), `homes_secure` (children's
 * homes K2 and secure children's homes K1), `independent_supported`
 * (semi-independent living H5, independent living P2, supported
 * accommodation K3), `other` (everything else: placed for adoption, with
 * parents, residential schools, NHS, YOI, temporary and other placements).
 */
export const SYSTEM_PLACEMENT_GROUPS = ['fostering', 'homes_secure', 'independent_supported', 'other'] as const;
/** A placement group of the whole-system projection (see {@link SYSTEM_PLACEMENT_GROUPS}). */
export type SystemPlacementGroup = (typeof SYSTEM_PLACEMENT_GROUPS)[number];

/**
 * The provider groups of the whole-system projection (the groups of the
 * system model, issue 13): `in_house` (own provision, PR1), `external`
 * (other LA PR2, private PR4, voluntary PR5), `other` (parents PR0, other
 * public PR3, not recorded).
 */
export const SYSTEM_PROVIDER_GROUPS = ['in_house', 'external', 'other'] as const;
/** A provider group of the whole-system projection (see {@link SYSTEM_PROVIDER_GROUPS}). */
export type SystemProviderGroup = (typeof SYSTEM_PROVIDER_GROUPS)[number];

const SYSTEM_PLACEMENT_OF_TYPE: Readonly<Record<PlacementType, SystemPlacementGroup>> = {
  fostering: 'fostering',
  childrens_home: 'homes_secure',
  secure: 'homes_secure',
  semi_independent: 'independent_supported',
  adoption: 'other',
  parents: 'other',
  residential_school: 'other',
  other: 'other',
};

const SYSTEM_PROVIDER_OF_CODE: Readonly<Record<string, SystemProviderGroup>> = { PR0: 'other', PR1: 'in_house', PR2: 'external', PR3: 'other', PR4: 'external', PR5: 'external' };

/**
 * The whole-system placement group of a placement type.
 *
 * @param type - the detailed placement type of an SSDA903 code ({@link placementGroupOf})
 * @returns its group in {@link SYSTEM_PLACEMENT_GROUPS}
 * @example
 * ```ts
 * systemPlacementGroupOf('semi_independent'); // 'independent_supported' (H5, P2, K3)
 * ```
 */
export function systemPlacementGroupOf(type: PlacementType): SystemPlacementGroup {
  return SYSTEM_PLACEMENT_OF_TYPE[type];
}

/**
 * The whole-system provider group of an SSDA903 provider code.
 *
 * @param code - a `PLACE_PROVIDER` code such as `PR4`, or `''` when not recorded
 * @returns its group in {@link SYSTEM_PROVIDER_GROUPS} (`other` for a blank or unknown code)
 * @example
 * ```ts
 * systemProviderGroupOf('PR2'); // 'external'
 * ```
 */
export function systemProviderGroupOf(code: string): SystemProviderGroup {
  return SYSTEM_PROVIDER_OF_CODE[code.trim().toUpperCase()] ?? 'other';
}

/** Age bands of the DfE tables (age at 31 March). */
export const AGE_BANDS = ['under_1', '1_4', '5_9', '10_15', '16_plus'] as const;
/** Zod schema of {@link AgeBand}. */
export const AgeBandSchema = z.enum(AGE_BANDS);
/** An age band: under 1, 1-4, 5-9, 10-15, 16 and over. */
export type AgeBand = z.infer<typeof AgeBandSchema>;

/**
 * The placement type and group of an SSDA903 placement code.
 *
 * @param code - an SSDA903 `PLACE` code such as `U4` (case and surrounding spaces ignored)
 * @returns the code's type and group, or `undefined` for an unknown code
 * @example
 * ```ts
 * placementGroupOf('K2'); // { type: 'childrens_home', group: 'residential' }
 * ```
 */
export function placementGroupOf(code: string): { type: PlacementType; group: PlacementGroup } | undefined {
  const info = PLACEMENT_CODES.get(code.trim().toUpperCase());
  if (!info) return undefined;
  return { type: info.type, group: PLACEMENT_TYPE_GROUP[info.type] };
}

/**
 * The provider group of an SSDA903 provider code.
 *
 * @param code - an SSDA903 `PLACE_PROVIDER` code such as `PR4`
 * @returns the provider group, or `undefined` for an unknown code
 * @example
 * ```ts
 * providerGroupOf('PR2'); // 'internal'
 * ```
 */
export function providerGroupOf(code: string): ProviderGroup | undefined {
  return PROVIDER_CODES.get(code.trim().toUpperCase())?.group;
}

/**
 * The DfE age band of a child's age in whole years.
 *
 * @param age - age in completed years (0 and over)
 * @returns the age band
 * @throws RangeError for a negative or non-finite age
 * @example
 * ```ts
 * ageBandOf(12); // '10_15'
 * ```
 */
export function ageBandOf(age: number): AgeBand {
  if (!Number.isFinite(age) || age < 0) throw new RangeError(`age must be a non-negative number, got ${age}`);
  if (age < 1) return 'under_1';
  if (age < 5) return '1_4';
  if (age < 10) return '5_9';
  if (age < 16) return '10_15';
  return '16_plus';
}
