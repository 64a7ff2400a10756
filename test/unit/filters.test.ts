import { describe, expect, it } from 'vitest'
import { filterKeyError, filterValueError, FilterSyntaxError, formatFilters, mergeFilters, parseFilterText } from '../../shared/filters'

describe('parseFilterText', () => {
  it('parses the seed\'s string form into structured filters', () => {
    expect(parseFilterText('tag:Name=instance-scheduler,vpc-id=vpc-4085e027')).toEqual([
      { key: 'tag:Name', values: ['instance-scheduler'] },
      { key: 'vpc-id', values: ['vpc-4085e027'] },
    ])
  })

  it('ORs the values of a key given twice', () => {
    expect(parseFilterText('tag:Env=dev, vpc-id=vpc-4085e027 ,tag:Env=test')).toEqual([
      { key: 'tag:Env', values: ['dev', 'test'] },
      { key: 'vpc-id', values: ['vpc-4085e027'] },
    ])
  })

  it('answers no filters for empty text', () => {
    expect(parseFilterText('  ')).toEqual([])
  })

  it.each([
    ['tag:Name', 'is not key=value'],
    ['tag:Name=web,,vpc-id=vpc-4085e027', 'empty filter between commas'],
    ['tag:Name=web,', 'empty filter between commas'],
  ])('rejects malformed text %j', (text, message) => {
    expect(() => parseFilterText(text)).toThrow(FilterSyntaxError)
    expect(() => parseFilterText(text)).toThrow(message)
  })
})

describe('formatFilters', () => {
  it.each([
    'tag:Name=instance-scheduler,vpc-id=vpc-4085e027',
    'tag:Env=dev,tag:Env=test,instance-id=i-0123456789abcdef0',
    'tag:Note=a\\,b\\=c,private-ip-address=10.0.0.1',
  ])('prints %j back to the same text', (text) => {
    expect(formatFilters(parseFilterText(text))).toBe(text)
  })

  it('round-trips a tag value with commas and equals signs', () => {
    const filters = [{ key: 'tag:Note', values: ['a,b=c', 'back\\slash'] }]
    expect(parseFilterText(formatFilters(filters))).toEqual(filters)
  })
})

describe('mergeFilters', () => {
  it('merges repeated keys and drops duplicate values', () => {
    expect(mergeFilters([
      { key: 'tag:Env', values: ['dev'] },
      { key: 'instance-type', values: ['t3.micro'] },
      { key: 'tag:Env', values: ['dev', 'prod'] },
    ])).toEqual([
      { key: 'tag:Env', values: ['dev', 'prod'] },
      { key: 'instance-type', values: ['t3.micro'] },
    ])
  })
})

describe('filter keys', () => {
  it.each(['instance-id', 'tag:Name', 'tag:aws:cloudformation:stack-name', 'tag-key', 'private-ip-address', 'vpc-id', 'subnet-id', 'instance-type', 'availability-zone'])(
    'accepts the key %s',
    key => expect(filterKeyError(key)).toBeNull(),
  )

  it.each([
    ['instance-state-name', 'unknown filter key'],
    ['Name', 'unknown filter key'],
    ['tag:', 'needs a tag key'],
  ])('rejects the key %s', (key, message) => {
    expect(filterKeyError(key)).toContain(message)
  })
})

describe('filter values', () => {
  it.each([
    ['instance-id', 'i-0123456789abcdef0'],
    ['instance-id', 'i-1234abcd'],
    ['vpc-id', 'vpc-4085e027'],
    ['subnet-id', 'subnet-0a1b2c3d4e5f60718'],
    ['private-ip-address', '10.0.1.25'],
    ['instance-type', 't3.micro'],
    ['instance-type', 't3.*'],
    ['availability-zone', 'us-east-1a'],
    ['availability-zone', 'us-west-2-lax-1a'],
    ['tag:Name', 'web-*'],
    ['tag:Name', ''],
    ['tag-key', 'Environment'],
  ])('accepts %s=%s', (key, value) => {
    expect(filterValueError(key, value)).toBeNull()
  })

  it.each([
    ['instance-id', 'web-1', 'instance-id must be an instance id, e.g. instance-id=i-0123456789abcdef0'],
    ['instance-id', 'i-XYZ', 'e.g. instance-id=i-'],
    ['vpc-id', 'vpc-123', 'vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027'],
    ['subnet-id', 'sub-0a1b2c3d', 'subnet-id must be a subnet id'],
    ['private-ip-address', '10.0.0.256', 'private-ip-address must be an IPv4 address, e.g. private-ip-address=10.0.1.25'],
    ['private-ip-address', '10.0.0', 'IPv4'],
    ['instance-type', 'T3 micro', 'instance-type must be an instance type, e.g. instance-type=t3.micro'],
    ['availability-zone', 'us-east-1', 'availability-zone must be an availability zone'],
    ['tag:Name', 'x'.repeat(257), 'tag value of at most 256 characters'],
    ['tag-key', '', 'tag-key must be a tag key'],
  ])('rejects %s=%s with a message that names the key and shows an example', (key, value, message) => {
    expect(filterValueError(key, value)).toContain(message)
  })
})
