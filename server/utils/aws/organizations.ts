// The AWS Organizations client of the organization role (NUXT_ORGANIZATION_ROLE_ARN, in the management or a delegated
// administrator account), assumed with the member roles' ExternalId. Loaded only by a rule that names an OU.
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import type { STSClient } from '@aws-sdk/client-sts'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { partitionOf } from '../executor/credentials'
import { withThrottlingRetry } from './retry'
import { AWS_RETRY_SETTINGS } from './credentials'

/** Organizations answers in one region of each partition. */
function organizationsRegion(appRegion: string): string {
  const partition = partitionOf(appRegion)
  return partition === 'aws-cn' ? 'cn-northwest-1' : partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1'
}

export interface OrganizationsClientOptions {
  sts: STSClient
  roleArn: string
  externalId: string
  region: string
  /** For tests: overrides the SDK's endpoint resolution (AWS_ENDPOINT_URL_ORGANIZATIONS, then AWS_ENDPOINT_URL). */
  endpoint?: string
}

/** A new client with freshly assumed credentials; the resolver asks for one only when a unit is not cached. */
export async function organizationsClient({ sts, roleArn, externalId, region, endpoint }: OrganizationsClientOptions): Promise<OrganizationsClient> {
  const out = await withThrottlingRetry(() => sts.send(new AssumeRoleCommand({
    RoleArn: roleArn,
    RoleSessionName: 'ouroboros-organizations',
    DurationSeconds: 900,
    ...(externalId ? { ExternalId: externalId } : {}),
  })))
  const c = out.Credentials
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole of ${roleArn} answered no credentials`)
  return new OrganizationsClient({
    region: organizationsRegion(region),
    endpoint,
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken },
    ...AWS_RETRY_SETTINGS,
  })
}
