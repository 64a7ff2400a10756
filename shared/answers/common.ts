// Pieces every answer schema uses. The answer schemas (this folder) say what the API answers: the OpenAPI document
// is generated from them (server/openapi/), and the UI takes its answer types from them with `import type`, so no
// route and no page constructs them at run time.
import { z } from 'zod'

/** An instant, UTC ISO 8601 (`2026-12-24T18:00:00.000Z`). */
export const InstantText = z.string().describe('an instant, ISO 8601')

/** A local date, YYYY-MM-DD. */
export const LocalDateText = z.string().describe('a local date, YYYY-MM-DD')

/** One EC2 filter, structured. */
export const FilterAnswer = z.object({ key: z.string(), values: z.array(z.string()) })

/** A page of a list: `{ items, cursor }`; pass `cursor` back for the next page (null on the last). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), cursor: z.string().nullable() })
}

/** A region (or the whole account) that could not be worked on, and why. */
export const RegionErrorAnswer = z.object({
  accountId: z.string().optional().describe('the account, in a run over several; empty, with an empty region, when the organization could not be read'),
  region: z.string(),
  message: z.string(),
})
