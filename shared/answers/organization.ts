// What `GET /api/organization/units` answers: one level of the organization's tree, for the rule dialog's picker.
import { z } from 'zod'
import { InstantText } from './common'

export const OrganizationUnitAnswer = z.object({
  id: z.string().describe('an organizational unit (ou-…) or a root (r-…)'),
  name: z.string(),
  parentId: z.string().nullable().describe('the parent\'s id; null for a root'),
})

export const OrganizationUnitsAnswer = z.object({
  parentId: z.string().nullable().describe('the parent asked for; null for the roots'),
  units: z.array(OrganizationUnitAnswer).describe('in name order'),
  readAt: InstantText.describe('when this level was read from AWS Organizations (cached 15 minutes)'),
})

export type OrganizationUnitsLevel = z.infer<typeof OrganizationUnitsAnswer>
