/**
 * The on-disk format of a bundled seed dataset (`seeds/<name>.json`): flat
 * records, one published number each, with the source file and line it was
 * read from. {@link loadSeed} validates a seed file and groups its records
 * into typed series.
 *
 * @module
 */
import { z } from 'zod';
import { AreaSchema, BreakdownSchema, SeriesKindSchema, SuppressionSchema } from './schemas.js';

/** Another place the same figure is published (possibly with a different value). */
export const SeedAlsoInSchema = z.object({
  source: z.string().min(1),
  line: z.number().int().positive(),
  value: z.number().nullable(),
  note: z.string().optional(),
});

/** One published number in a seed file. */
export const SeedRecordSchema = z
  .object({
    measure: z.string().regex(/^[a-z][a-z0-9_]*$/),
    kind: SeriesKindSchema,
    unit: z.enum(['children', 'placements', 'gbp', 'gbp_per_week', 'per_10k', 'share', 'carers', 'beds', 'homes', 'days']),
    frequency: z.enum(['annual', 'quarterly']),
    /** Annual: year of the 31 March (or financial year end). Quarterly: financial year end. */
    year: z.number().int().min(1990).max(2100),
    /** Quarterly records only: 1-4 within the financial year. */
    quarter: z.number().int().min(1).max(4).optional(),
    breakdown: BreakdownSchema.default({}),
    value: z.number().finite().nullable(),
    suppressed: SuppressionSchema.optional(),
    /** Source document file name in the project's shared seeds folder. */
    source: z.string().min(1),
    /** 1-based line number of the figure in the source document. */
    line: z.number().int().positive(),
    note: z.string().optional(),
    alsoIn: z.array(SeedAlsoInSchema).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.frequency === 'quarterly' && r.quarter === undefined) {
      ctx.addIssue({ code: 'custom', path: ['quarter'], message: 'quarterly records need a quarter (1-4)' });
    }
    if (r.frequency === 'annual' && r.quarter !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['quarter'], message: 'annual records take no quarter' });
    }
    if (r.value === null && !r.suppressed) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is null but no suppression marker is given' });
    }
  });
/** One published number in a seed file. */
export type SeedRecord = z.infer<typeof SeedRecordSchema>;

/** A projection published in a seed document (a target to reproduce, not an input). */
export const SeedProjectionSchema = z.object({
  /** What is projected, e.g. `children_in_care`, or `placements` with a breakdown. */
  measure: z.string(),
  breakdown: BreakdownSchema.default({}),
  /** The statement as published, quoted. */
  statement: z.string(),
  baseYear: z.number().int(),
  targetYear: z.number().int(),
  /** Projected level in the target year, when published. */
  value: z.number().optional(),
  /** Projected percentage change from base to target year, when published. */
  percentChange: z.number().optional(),
  /** The method as the document describes it. */
  method: z.string(),
  source: z.string(),
  line: z.number().int().positive(),
});
/** A projection published in a seed document. */
export type SeedProjection = z.infer<typeof SeedProjectionSchema>;

/** A seed source document. */
export const SeedDocumentSchema = z.object({
  file: z.string(),
  title: z.string(),
  publisher: z.string(),
  date: z.string(),
});

/** The whole seed file. */
export const SeedFileSchema = z.object({
  name: z.string(),
  area: AreaSchema,
  documents: z.array(SeedDocumentSchema),
  records: z.array(SeedRecordSchema),
  projections: z.array(SeedProjectionSchema).default([]),
  notes: z.array(z.string()).default([]),
});
/** The whole seed file, as parsed. */
export type SeedFile = z.infer<typeof SeedFileSchema>;
