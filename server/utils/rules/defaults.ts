// Turns a validated rule input into what the repository stores: defaults that depend on the server.
import type { RuleDraft } from '#shared/schemas/rule'
import { useServerConfig } from '../config'

/** Fills `regions` with the app's region when the input left it out. */
export function withServerDefaults(draft: RuleDraft): RuleDraft & { regions: string[] } {
  // The config's region is checked against the same list at start.
  return { ...draft, regions: draft.regions ?? [useServerConfig().region] }
}
