// EC2 instance filters: the seed's string form `tag:Name=web,vpc-id=vpc-4085e027` and the structured form.
// A key given twice ORs its values; different keys AND together (as EC2 DescribeInstances does).
import type { ResourceType } from './resource-types'
import { issue } from './schemas/issue'
import type { Issue, IssueCode, IssueParams } from './schemas/issue'

export interface Filter {
  key: string
  values: string[]
}

/** Thrown by parseFilterText for input that is not `key=value[,key=value...]`; `issue` says it in any language. */
export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError'
  readonly issue: Issue
  constructor(code: IssueCode, params: IssueParams = {}) {
    const problem = issue(code, params)
    super(problem.message)
    this.issue = problem
  }
}

interface KeyRule {
  pattern: RegExp
  /** The issue of a value that does not match; its message names the key, what it expects and an example. */
  code: IssueCode
}

const HEX_ID = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
// Tag keys and values may use EC2's wildcards `*` and `?`.
const TAG_KEY = /^[^\s=,][^=,]{0,127}$/u
const TAG_VALUE = /^[^,]{0,256}$/u

const KEY_RULES: Record<string, KeyRule> = {
  'instance-id': { pattern: HEX_ID('i'), code: 'filter.value.instanceId' },
  'vpc-id': { pattern: HEX_ID('vpc'), code: 'filter.value.vpcId' },
  'subnet-id': { pattern: HEX_ID('subnet'), code: 'filter.value.subnetId' },
  'private-ip-address': {
    pattern: /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
    code: 'filter.value.privateIp',
  },
  'instance-type': { pattern: /^[a-z0-9*?][a-z0-9*?-]*\.[a-z0-9*?]+$|^\*$/, code: 'filter.value.instanceType' },
  'availability-zone': { pattern: /^[a-z]{2}(?:-[a-z0-9]+)+[a-z]$/, code: 'filter.value.availabilityZone' },
  'tag-key': { pattern: TAG_KEY, code: 'filter.value.tagKey' },
}
const TAG_RULE: KeyRule = { pattern: TAG_VALUE, code: 'filter.value.tag' }

// RDS identifiers: a letter, then letters, digits and hyphens, at most 63 characters (DescribeDBInstances/Clusters).
const DB_ID = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/
// The filter keys of the other resource types; `tag:KEY` and `tag-key` apply to every type.
const TYPE_KEY_RULES: Record<Exclude<ResourceType, 'ec2'>, Record<string, KeyRule>> = {
  rds: {
    'db-instance-id': { pattern: DB_ID, code: 'filter.value.dbInstanceId' },
    'engine': { pattern: /^[a-z][a-z0-9-]{0,49}$/, code: 'filter.value.engine' },
  },
  aurora: {
    'db-cluster-id': { pattern: DB_ID, code: 'filter.value.dbClusterId' },
    'engine': { pattern: /^[a-z][a-z0-9-]{0,49}$/, code: 'filter.value.engine' },
  },
  asg: {
    // Auto Scaling group names: 1-255 characters; a comma would split the filter text.
    'asg-name': { pattern: /^[^,]{1,255}$/u, code: 'filter.value.asgName' },
  },
}
const SHARED_KEYS = ['tag:KEY', 'tag-key']

/** Each type's own filter keys, with the shared tag keys. */
export const TYPE_FILTER_KEYS: Record<ResourceType, readonly string[]> = {
  ec2: [...Object.keys(KEY_RULES), 'tag:KEY'],
  rds: [...Object.keys(TYPE_KEY_RULES.rds), ...SHARED_KEYS],
  aurora: [...Object.keys(TYPE_KEY_RULES.aurora), ...SHARED_KEYS],
  asg: [...Object.keys(TYPE_KEY_RULES.asg), ...SHARED_KEYS],
}

/** Every filter key of every type. */
export const FILTER_KEYS = [...new Set([...Object.keys(KEY_RULES), ...Object.values(TYPE_KEY_RULES).flatMap(r => Object.keys(r)), 'tag:KEY'])]

/** The rule for the values of a filter key; null for a key that is not usable. */
function ruleFor(key: string): KeyRule | null {
  if (key.startsWith('tag:')) return TAG_KEY.test(key.slice(4)) ? TAG_RULE : null
  return KEY_RULES[key] ?? Object.values(TYPE_KEY_RULES).map(r => r[key]).find(Boolean) ?? null
}

const isSharedKey = (key: string) => key.startsWith('tag:') || key === 'tag-key'

/** Whether a usable filter key applies to a resource type. */
export function keyAppliesTo(key: string, type: ResourceType): boolean {
  if (isSharedKey(key)) return true
  return type === 'ec2' ? key in KEY_RULES : key in TYPE_KEY_RULES[type]
}

/** Checks a filter key; returns its issue, or null when the key is usable for some resource type. */
export function filterKeyIssue(key: string): Issue | null {
  if (key.startsWith('tag:')) return TAG_KEY.test(key.slice(4)) ? null : issue('filter.key.tag', { key })
  if (ruleFor(key)) return null
  return issue('filter.key.unknown', { key, keys: FILTER_KEYS.join(', ') })
}

/**
 * Checks that a usable key applies to every type of a rule: one type takes its own keys, several only the tag keys.
 * Returns its issue, or null.
 */
export function filterTypeIssue(key: string, types: readonly ResourceType[]): Issue | null {
  if (types.length > 1) return isSharedKey(key) ? null : issue('filter.key.sharedOnly', { key, types: types.join(', ') })
  const type = types[0] ?? 'ec2'
  return keyAppliesTo(key, type) ? null : issue('filter.key.wrongType', { key, type, keys: TYPE_FILTER_KEYS[type].join(', ') })
}

/** Checks one value of a filter; returns an issue naming the key and an example, or null when valid. */
export function filterValueIssue(key: string, value: string): Issue | null {
  const rule = ruleFor(key)
  if (!rule) return filterKeyIssue(key)
  if (rule.pattern.test(value)) return null
  return issue(rule.code, { key, value })
}

/** The first issue of a filter: its key's, else its first bad value's. */
export function filterIssue(filter: Filter): Issue | null {
  return filterKeyIssue(filter.key) ?? filter.values.map(v => filterValueIssue(filter.key, v)).find(Boolean) ?? null
}

/** Checks a filter key; returns a message, or null when the key is usable. */
export function filterKeyError(key: string): string | null {
  return filterKeyIssue(key)?.message ?? null
}

/** Checks one value of a filter; returns a message naming the key and an example, or null when valid. */
export function filterValueError(key: string, value: string): string | null {
  return filterValueIssue(key, value)?.message ?? null
}

// Backslash escapes `,` `=` and `\` inside values, so any tag value round-trips through the text form.
function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1')
}
function escape(s: string): string {
  return s.replace(/[\\,=]/g, c => `\\${c}`)
}

/** Splits on a separator that is not escaped with a backslash. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1]
      i++
    }
    else if (c === sep) {
      parts.push(current)
      current = ''
    }
    else current += c
  }
  parts.push(current)
  return parts
}

/**
 * Parses the seed's string form into structured filters, merging repeated keys (their values OR).
 * Only syntax is checked here; value shapes are checked by filterValueError.
 */
export function parseFilterText(text: string): Filter[] {
  const trimmed = text.trim()
  if (trimmed === '') return []
  const byKey = new Map<string, string[]>()
  for (const raw of splitUnescaped(trimmed, ',')) {
    const pair = raw.trim()
    if (pair === '') throw new FilterSyntaxError('filter.syntax.empty')
    const eq = splitUnescaped(pair, '=')
    if (eq.length < 2) throw new FilterSyntaxError('filter.syntax.pair', { pair })
    const key = eq[0]!.trim()
    const value = unescape(eq.slice(1).join('=').trim())
    const values = byKey.get(key) ?? []
    if (!values.includes(value)) values.push(value)
    byKey.set(key, values)
  }
  return [...byKey].map(([key, values]) => ({ key, values }))
}

/** Prints structured filters back to the string form; parseFilterText(formatFilters(f)) equals f. */
export function formatFilters(filters: Filter[]): string {
  return filters.flatMap(f => f.values.map(v => `${f.key}=${escape(v)}`)).join(',')
}

/** Merges filters with the same key into one, keeping the first-seen order (values OR). */
export function mergeFilters(filters: Filter[]): Filter[] {
  const byKey = new Map<string, string[]>()
  for (const f of filters) {
    const values = byKey.get(f.key) ?? []
    for (const v of f.values) if (!values.includes(v)) values.push(v)
    byKey.set(f.key, values)
  }
  return [...byKey].map(([key, values]) => ({ key, values }))
}
