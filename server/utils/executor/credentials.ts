// Credentials for an account: the app's own identity for its own account, else the member role assumed
// through STS. Assumed credentials are cached until shortly before they expire, and concurrent requests
// for the same account share one AssumeRole call.
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import type { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentials } from '../aws/credentials'
import { describeAwsError } from '../aws/errors'
import { withThrottlingRetry } from '../aws/retry'
import type { BackoffOptions } from '../aws/retry'

/** The member role could not be assumed: the account's part of the run fails with this message. */
export class AssumeRoleDenied extends Error {
  override name = 'AssumeRoleDenied'
  constructor(readonly accountId: string, readonly roleArn: string, cause: unknown) {
    super(`could not assume ${roleArn} (account ${accountId}): ${describeAwsError(cause)}`, { cause })
  }
}

/** The app's own identity could not be read (sts:GetCallerIdentity), so no account can be worked on. */
export class IdentityUnavailable extends Error {
  override name = 'IdentityUnavailable'
  constructor(cause: unknown) {
    super(`could not read the app's own AWS identity (sts:GetCallerIdentity): ${describeAwsError(cause)}`, { cause })
  }
}

/** How the executor reaches an account: with the app's own credentials, or with assumed ones. */
export type AccountAccess
  = | { accountId: string, own: true, credentials?: undefined, roleArn?: undefined }
    | { accountId: string, own: false, credentials: AwsCredentials, roleArn: string }

/** The partition of a region, for the role ARN: aws-cn and aws-us-gov have their own. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

/** The ARN of the member role in an account. */
export function memberRoleArn(accountId: string, roleName: string, region: string): string {
  return `arn:${partitionOf(region)}:iam::${accountId}:role/${roleName}`
}

/** `ouroboros-<rule>`, within STS's RoleSessionName rules (2-64 characters of [\w+=,.@-]). */
export function roleSessionName(ruleName: string): string {
  return `ouroboros-${ruleName}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64)
}

export interface CredentialsResolverOptions {
  sts: STSClient
  memberRoleName: string
  /** Sent as ExternalId when not empty. */
  externalId: string
  /** The app's region: picks the partition of the role ARN. */
  region: string
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number
  /** Assumed credentials are renewed this long before they expire. */
  refreshMarginMs?: number
  durationSeconds?: number
  backoff?: Partial<BackoffOptions>
}

export interface CredentialsResolver {
  /** The app's own account id, asked of STS once per resolver (a failure is not remembered). */
  ownAccountId: () => Promise<string>
  /** Access to `accountId` for a run of `ruleName`; throws AssumeRoleDenied or IdentityUnavailable. */
  forAccount: (accountId: string, ruleName: string) => Promise<AccountAccess>
}

interface CachedCredentials {
  credentials: AwsCredentials
  roleArn: string
  expiresAt: number
}

/** Creates a resolver with its own cache; the app keeps one per process (see deps.ts). */
export function createCredentialsResolver(options: CredentialsResolverOptions): CredentialsResolver {
  const now = options.now ?? Date.now
  // 15 minutes: more than the longest verification wait (600 s), so credentials never expire mid-run.
  const margin = options.refreshMarginMs ?? 15 * 60_000
  const duration = options.durationSeconds ?? 3600
  let own: Promise<string> | undefined
  // Keyed by account and session name: CloudTrail then names the rule that acted, not whichever rule
  // happened to assume the role first. A run of one rule still assumes the role once for all its regions.
  const cache = new Map<string, Promise<CachedCredentials>>()
  const settled = new Map<string, CachedCredentials>()

  function ownAccountId(): Promise<string> {
    own ??= withThrottlingRetry(() => options.sts.send(new GetCallerIdentityCommand({})), options.backoff)
      .then((out) => {
        if (!out.Account) throw new Error('GetCallerIdentity answered no account')
        return out.Account
      })
      .catch((e) => {
        own = undefined
        throw new IdentityUnavailable(e)
      })
    return own
  }

  async function assume(accountId: string, sessionName: string): Promise<CachedCredentials> {
    const roleArn = memberRoleArn(accountId, options.memberRoleName, options.region)
    try {
      const out = await withThrottlingRetry(() => options.sts.send(new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: duration,
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
      })), options.backoff)
      const c = out.Credentials
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole answered no credentials')
      const expiration = c.Expiration ? new Date(c.Expiration) : new Date(now() + duration * 1000)
      return {
        roleArn,
        credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration },
        expiresAt: expiration.getTime(),
      }
    }
    catch (e) {
      throw new AssumeRoleDenied(accountId, roleArn, e)
    }
  }

  async function forAccount(accountId: string, ruleName: string): Promise<AccountAccess> {
    if (accountId === await ownAccountId()) return { accountId, own: true }
    const sessionName = roleSessionName(ruleName)
    const key = `${accountId}#${sessionName}`
    const known = settled.get(key)
    // Settled credentials are reused until `margin` before expiry; a call in flight is shared.
    if (known && known.expiresAt - margin <= now()) {
      settled.delete(key)
      cache.delete(key)
    }
    let pending = cache.get(key)
    if (!pending) {
      pending = assume(accountId, sessionName)
      cache.set(key, pending)
      pending.then(
        c => settled.set(key, c),
        // A failure is not cached: the next run tries again.
        () => cache.delete(key),
      )
    }
    const { credentials, roleArn } = await pending
    return { accountId, own: false, credentials, roleArn }
  }

  return { ownAccountId, forAccount }
}
