// Path and query parameters of routes whose resource has no input schema of its own: a key's id, a log's event id,
// a delete's version, the holidays' language, the member-role setup's account id. The routes validate with these,
// and the OpenAPI document (server/openapi/) describes them from these.
import { z } from 'zod'
import { KEY_ID_PATTERN } from './key'
import { OrganizationalUnitIdSchema } from './rule'

export const KeyParamsSchema = z.object({ id: z.string().regex(KEY_ID_PATTERN, 'id must be 5-32 lowercase letters and digits') })

export const LogParamsSchema = z.object({
  eventId: z.string().regex(/^[\w.:-]{1,128}$/, 'eventId must be 1-128 letters, digits, . _ : or -'),
})

/** `DELETE ...?version=N`: delete only if the stored version is still N. */
export const VersionQuerySchema = z.object({ version: z.coerce.number({ message: 'version must be a number' }).int().min(1).optional() })

export const HolidaysQuerySchema = z.object({ lang: z.enum(['en', 'zh'], { message: 'lang must be "en" or "zh"' }).default('en') })

export const MemberRoleQuerySchema = z.object({
  accountId: z.string({ message: 'accountId is required' }).regex(/^\d{12}$/, 'accountId must be a 12-digit AWS account id'),
})

/** `GET /api/organization/units?parent`: the roots without a parent, or the units directly beneath one. */
export const OrganizationUnitsQuerySchema = z.object({ parent: OrganizationalUnitIdSchema.optional() })
