// Every resource's entries of the OpenAPI document, one file per resource. A new route gets its entry in its
// resource's file (operation() beside the others); a new resource gets a file here and one line in this list.
// test/unit/openapi.test.ts fails for a route file in server/api that no entry describes.
import { paths as admin } from './admin'
import { paths as calendars } from './calendars'
import { paths as channels } from './channels'
import { paths as keys } from './keys'
import { paths as logs } from './logs'
import { paths as overrides } from './overrides'
import { paths as rules } from './rules'
import { paths as savings } from './savings'
import { paths as schedule } from './schedule'

export const RESOURCES = [rules, calendars, schedule, overrides, logs, savings, channels, keys, admin]
