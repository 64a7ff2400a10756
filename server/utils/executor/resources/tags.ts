// The rule's tag filters (`tag:KEY`, `tag-key`) matched against a resource's own tags, for the services whose Describe
// calls take no tag filter (DescribeDBInstances and DescribeDBClusters refuse them) or take them without wildcards.
// Values use EC2's wildcards: `*` any characters, `?` one; different keys AND, a key's values OR, as in EC2.
import type { Filter } from '#shared/filters'

const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'su')

/** True for a filter the tag matcher judges. */
export const isTagFilter = (f: Filter) => f.key.startsWith('tag:') || f.key === 'tag-key'

/** Whether the tags satisfy every tag filter of the rule (other keys are the service's to judge). */
export function matchesTagFilters(tags: Record<string, string>, filters: readonly Filter[]): boolean {
  return filters.filter(isTagFilter).every((f) => {
    const patterns = f.values.map(wildcard)
    if (f.key === 'tag-key') return Object.keys(tags).some(k => patterns.some(p => p.test(k)))
    const value = tags[f.key.slice(4)]
    return value !== undefined && patterns.some(p => p.test(value))
  })
}

/** An SDK tag list as a record. */
export const tagRecord = (list: readonly { Key?: string, Value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map(t => [t.Key ?? '', t.Value ?? '']))
