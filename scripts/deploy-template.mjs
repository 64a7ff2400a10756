#!/usr/bin/env node
// The CloudFormation templates in infra/ as data: reading them (YAML with the !Ref/!Sub/... short forms),
// generating the hub's DynamoDB tables from tableDefinitions() in server/utils/tables.ts, and the moto variant.
//
//   node scripts/deploy-template.mjs --write   rewrites the generated blocks of infra/hub.yaml
//   node scripts/deploy-template.mjs --check   exits 1 when they differ from tableDefinitions()
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse, stringify } from 'yaml'

const root = resolve(import.meta.dirname, '..')
export const HUB_TEMPLATE = resolve(root, 'infra/hub.yaml')
export const MEMBER_TEMPLATE = resolve(root, 'infra/member-account.yaml')
export const ARTIFACTS_TEMPLATE = resolve(root, 'infra/artifacts.yaml')

// The short forms CloudFormation accepts in YAML, each as a scalar, a sequence or a mapping.
const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'GetAtt', 'Ref', 'Condition']

function longForm(fn, value) {
  if (fn === 'Ref' || fn === 'Condition') return { [fn]: value }
  if (fn === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.')
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] }
  }
  return { [`Fn::${fn}`]: value }
}

/** yaml customTags that turn CloudFormation's short forms into their long JSON forms. */
export const CFN_TAGS = FUNCTIONS.flatMap(fn => [
  { tag: `!${fn}`, resolve: value => longForm(fn, value) },
  { tag: `!${fn}`, collection: 'seq', resolve: seq => longForm(fn, seq.toJSON()) },
  { tag: `!${fn}`, collection: 'map', resolve: map => longForm(fn, map.toJSON()) },
])

/** A template's text as the JSON CloudFormation sees. */
export function parseTemplate(text) {
  return parse(text, { customTags: CFN_TAGS })
}

/** Reads a template file. */
export function loadTemplate(path) {
  return parseTemplate(readFileSync(path, 'utf8'))
}

// --- Tables -------------------------------------------------------------------------------------------

/** Attributes DynamoDB's TTL deletes items by, per table key; tables.ts may export TABLE_TIME_TO_LIVE to say so itself. */
export const DEFAULT_TIME_TO_LIVE = { logs: 'expiresAt', limits: 'expiresAt', overrides: 'expiresAt', notifications: 'expiresAt', savings: 'expiresAt' }

const PREFIX = 'tableprefix.'

/**
 * Every table the app uses, from its own code: the names the configuration derives from NUXT_TABLE_PREFIX,
 * and the CreateTable input tableDefinitions() gives for each. Pass the two functions (tests import them).
 */
export function tableSpecs({ parseServerConfig, tableDefinitions, timeToLive = DEFAULT_TIME_TO_LIVE }) {
  const config = parseServerConfig({ tablePrefix: PREFIX, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  // Every string of the configuration that starts with the prefix is a table name; its property is the table's key.
  const names = {}
  const walk = (value) => {
    for (const [key, v] of Object.entries(value ?? {})) {
      if (typeof v === 'string' && v.startsWith(PREFIX)) names[key] = v
      else if (v && typeof v === 'object') walk(v)
    }
  }
  walk(config)
  const keyOf = Object.fromEntries(Object.entries(names).map(([k, name]) => [name, k]))
  return tableDefinitions(names).map((definition) => {
    const key = keyOf[definition.TableName]
    if (!key) throw new Error(`tableDefinitions() made a table the configuration does not name: ${definition.TableName}`)
    return { key, suffix: definition.TableName.slice(PREFIX.length), definition, timeToLive: timeToLive[key] }
  })
}

const pascal = key => key.replace(/(^|[-_])(\w)/g, (_m, _s, c) => c.toUpperCase())

/** The logical id of a table's resource: rules -> RulesTable. */
export const tableLogicalId = key => `${pascal(key)}Table`

// checkov's CKV_AWS_119 wants a customer-managed key; the stack's KmsKeyArn parameter gives one, and without it
// DynamoDB's documented default (the AWS managed key) applies, which the skip says.
// A new object for each table: a shared one would be written as a YAML alias, which CloudFormation rejects.
const tableCheckovSkips = () => ({
  checkov: {
    skip: [{
      id: 'CKV_AWS_119',
      comment: 'Encrypted with the AWS managed key, DynamoDB\'s default; the KmsKeyArn parameter sets a customer-managed key instead.',
    }],
  },
})

/** The CloudFormation resource of one table: the CreateTable input plus PITR, encryption (KmsKeyArn if given) and TTL. */
export function tableResource(spec) {
  const { BillingMode, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes, LocalSecondaryIndexes } = spec.definition
  return {
    Type: 'AWS::DynamoDB::Table',
    // Data outlives the stack: removing or replacing the stack never deletes a table (docs/DEPLOY.md, removal).
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Metadata: tableCheckovSkips(),
    Properties: {
      TableName: { 'Fn::Sub': `\${AWS::StackName}-${spec.suffix}` },
      BillingMode: BillingMode ?? 'PAY_PER_REQUEST',
      AttributeDefinitions,
      KeySchema,
      ...(GlobalSecondaryIndexes?.length ? { GlobalSecondaryIndexes } : {}),
      ...(LocalSecondaryIndexes?.length ? { LocalSecondaryIndexes } : {}),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: { 'Fn::If': ['HasKmsKey', 'KMS', { Ref: 'AWS::NoValue' }] },
        KMSMasterKeyId: { 'Fn::If': ['HasKmsKey', { Ref: 'KmsKeyArn' }, { Ref: 'AWS::NoValue' }] },
      },
      ...(spec.timeToLive ? { TimeToLiveSpecification: { AttributeName: spec.timeToLive, Enabled: true } } : {}),
    },
  }
}

/** The function's DynamoDB permissions: the item and query actions, on these tables and their indexes only. */
export function tablesPolicyResource(specs) {
  const resources = specs.flatMap(s => [
    { 'Fn::GetAtt': [tableLogicalId(s.key), 'Arn'] },
    { 'Fn::Sub': `\${${tableLogicalId(s.key)}.Arn}/index/*` },
  ])
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: 'dynamodb-own-tables',
      Roles: [{ Ref: 'FunctionRole' }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem',
              'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem',
            ],
            Resource: resources,
          },
        ],
      },
    },
  }
}

const indent = (text, spaces) => text.trimEnd().split('\n').map(l => (l ? ' '.repeat(spaces) + l : l)).join('\n')

/** The generated Resources block: one resource per table, and the policy over them. */
export function renderTables(specs) {
  const resources = Object.fromEntries(specs.map(s => [tableLogicalId(s.key), tableResource(s)]))
  resources.TablesPolicy = tablesPolicyResource(specs)
  return indent(stringify(resources, { lineWidth: 0 }), 2)
}

/** The generated Outputs block: each table's name. */
export function renderTableOutputs(specs) {
  const outputs = Object.fromEntries(specs.map(s => [`${pascal(s.key)}TableName`, { Value: { Ref: tableLogicalId(s.key) } }]))
  return indent(stringify(outputs, { lineWidth: 0 }), 2)
}

const BLOCKS = [
  { begin: '  # BEGIN generated tables', end: '  # END generated tables', render: renderTables },
  { begin: '  # BEGIN generated table outputs', end: '  # END generated table outputs', render: renderTableOutputs },
]

/** The template text with its generated blocks replaced by what `specs` give. */
export function withGeneratedTables(text, specs) {
  let out = text
  for (const block of BLOCKS) {
    const from = out.indexOf(block.begin)
    const beginEnd = out.indexOf('\n', from)
    const to = out.indexOf(block.end, beginEnd)
    if (from < 0 || to < 0) throw new Error(`the template has no '${block.begin.trim()}' ... '${block.end.trim()}' block`)
    out = `${out.slice(0, beginEnd + 1)}${block.render(specs)}\n${out.slice(to)}`
  }
  return out
}

// --- The moto variant ------------------------------------------------------------------------------------

/**
 * The template moto's CloudFormation can create: every resource whose type is not in `supported` is removed,
 * and each reference to a removed resource (Ref, GetAtt, ${X} or ${X.Attr} in Sub, DependsOn, a Condition's
 * use) becomes a placeholder string `removed:<LogicalId>[.<Attr>]`. Outputs that named one keep the placeholder.
 * Answers the variant and the logical ids removed, so a test can check those by reading the template instead.
 */
export function motoVariant(template, supported) {
  const removed = Object.entries(template.Resources)
    .filter(([, r]) => !supported.has(r.Type))
    .map(([id]) => id)
  const gone = new Set(removed)
  const replace = (value) => {
    if (Array.isArray(value)) return value.map(replace)
    if (!value || typeof value !== 'object') return value
    if (typeof value.Ref === 'string' && gone.has(value.Ref)) return `removed:${value.Ref}`
    const getAtt = value['Fn::GetAtt']
    if (Array.isArray(getAtt) && gone.has(getAtt[0])) return `removed:${getAtt.join('.')}`
    if (typeof value['Fn::Sub'] === 'string') {
      return { 'Fn::Sub': value['Fn::Sub'].replace(/\$\{([\w]+)(\.[\w.]+)?\}/g, (m, id, attr) => (gone.has(id) ? `removed:${id}${attr ?? ''}` : m)) }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]))
  }
  const resources = {}
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (gone.has(id)) continue
    const copy = replace(resource)
    if (copy.DependsOn) {
      const deps = [copy.DependsOn].flat().filter(d => !gone.has(d))
      if (deps.length) copy.DependsOn = deps
      else delete copy.DependsOn
    }
    resources[id] = copy
  }
  return { template: { ...template, Resources: resources, Outputs: replace(template.Outputs ?? {}) }, removed }
}

// --- CLI -----------------------------------------------------------------------------------------------------

async function loadAppTables() {
  const { createJiti } = await import('jiti')
  const jiti = createJiti(import.meta.url, { alias: { '#shared': resolve(root, 'shared'), '~~': root }, fsCache: false })
  const config = await jiti.import(resolve(root, 'server/utils/config.ts'))
  const tables = await jiti.import(resolve(root, 'server/utils/tables.ts'))
  return tableSpecs({
    parseServerConfig: config.parseServerConfig,
    tableDefinitions: tables.tableDefinitions,
    timeToLive: tables.TABLE_TIME_TO_LIVE ?? DEFAULT_TIME_TO_LIVE,
  })
}

async function main() {
  const mode = process.argv[2]
  if (mode !== '--write' && mode !== '--check') {
    console.error('usage: node scripts/deploy-template.mjs --write | --check')
    process.exit(2)
  }
  const current = readFileSync(HUB_TEMPLATE, 'utf8')
  const specs = await loadAppTables()
  const next = withGeneratedTables(current, specs)
  if (mode === '--write') {
    if (next !== current) writeFileSync(HUB_TEMPLATE, next)
    console.log(`infra/hub.yaml: ${specs.length} tables (${specs.map(s => s.key).join(', ')})${next === current ? ', unchanged' : ', rewritten'}`)
    return
  }
  if (next !== current) {
    console.error('infra/hub.yaml: its tables differ from tableDefinitions(): run node scripts/deploy-template.mjs --write')
    process.exit(1)
  }
  console.log(`infra/hub.yaml: tables match tableDefinitions() (${specs.map(s => s.key).join(', ')})`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
