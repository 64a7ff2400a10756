// The opt-out tag (NUXT_OPT_OUT_TAG): a resource of any type that carries it is never touched.

/** The opt-out tag's reason, when the resource carries it (its value compared case-insensitively, so `True` opts out too). */
export function optOutReason(tags: Record<string, string>, optOutTag: { key: string, value: string }): string | undefined {
  const value = tags[optOutTag.key]
  if (value !== undefined && value.toLowerCase() === optOutTag.value.toLowerCase()) return `opted out with the tag ${optOutTag.key}=${value}`
  return undefined
}
