// Types of scripts/deploy-lib.mjs, for the tests.
export const SETTINGS_FILE: string
export const OUTPUT_DIR: string
export const ZIP_FILE: string
export const USAGE: string

export interface DeploySettings {
  stackName: string
  region: string | null
  profile?: string
  memorySize: number
  timeout: number
  reservedConcurrency: number
  alarmEmail: string
  memberRoleName: string
  externalId: string
  /** The stack's NotificationTopicArns, comma-separated; undefined: the deployed value stays. */
  notificationTopicArns?: string
  /** The stack's NotificationEventBusArns, comma-separated; undefined: the deployed value stays. */
  notificationEventBusArns?: string
}

export interface DeployArgs {
  guided: boolean
  yes: boolean
  rotateAdminKey: boolean
  skipBuild: boolean
  dryRun: boolean
  help: boolean
  region?: string
  profile?: string
  stackName?: string
  reservedConcurrency?: string
  notificationTopicArns?: string
  notificationEventBusArns?: string
}

export const DEFAULTS: Pick<DeploySettings, 'stackName' | 'memorySize' | 'timeout' | 'reservedConcurrency' | 'alarmEmail' | 'memberRoleName'>
export function parseArgs(argv: string[]): DeployArgs
export function stackNameProblem(name: string): string | null
export function regionProblem(region: string): string | null
export function resolveRegion(input: { flag?: string, saved?: string, env?: Record<string, string | undefined>, configured?: string }): string | null
export function arnList(text: string | null | undefined): string | undefined
export function notificationProblems(settings: Pick<DeploySettings, 'notificationTopicArns' | 'notificationEventBusArns'>): string[]
export interface GuidedQuestion { key: keyof DeploySettings, label: string, current: string | number, numeric?: boolean }
export function guidedQuestions(saved?: Partial<DeploySettings>, defaults?: { region?: string }): GuidedQuestion[]
export function newAdminKey(): string
export function newExternalId(): string
export function adminKeyHash(key: string): string
export function adminKeyPlan(input: { stack: { parameters?: string[] } | null, rotate: boolean }): 'new' | 'keep' | 'upgrade'
export function resolveSettings(input: {
  args: Partial<DeployArgs>
  saved?: Partial<DeploySettings>
  answers?: Partial<DeploySettings>
  env?: Record<string, string | undefined>
  configuredRegion?: string
}): DeploySettings
export function savedForm(settings: DeploySettings): Partial<DeploySettings>
export function settingsProblems(settings: DeploySettings): string[]
export function preflightProblems(input: {
  cli: { ok: boolean, version?: string, error?: string }
  identity: { ok: boolean, account?: string, arn?: string, error?: string } | null
  region: string | null
  stack: { name: string, status: string } | null
}): string[]
export function commonArgs(settings: DeploySettings): string[]
export function artifactsStackName(settings: DeploySettings): string
export function codeKey(settings: DeploySettings, sha256: string): string
export function describeStackArgs(settings: DeploySettings, stackName?: string): string[]
export function artifactsDeployArgs(settings: DeploySettings): string[]
export function headObjectArgs(settings: DeploySettings, bucket: string, key: string): string[]
export function uploadArgs(settings: DeploySettings, bucket: string, key: string, file?: string): string[]
export function hubDeployArgs(settings: DeploySettings, code: { bucket: string, key: string, adminApiKey?: string }): string[]
export function outputsArgs(settings: DeploySettings, stackName?: string): string[]
export function outputsMap(outputs: { OutputKey: string, OutputValue: string }[] | null | undefined): Record<string, string>
export function stackStatus(describe: { Stacks?: { StackName: string, StackStatus: string, Parameters?: { ParameterKey: string }[] }[] } | null): { name: string, status: string, parameters: string[] } | null
export function formatCommand(argv: string[], options?: { mask?: boolean }): string
export function summary(input: { outputs: Record<string, string>, adminApiKey?: string, account?: string, region: string | null }): string
