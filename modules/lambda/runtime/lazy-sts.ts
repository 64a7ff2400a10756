// Lambda build only: @aws-sdk/client-sts, loaded on first use (see lazy-sdk.ts).
import { lazySdk } from './lazy-sdk'

// Destructured where it is imported, so that Rollup keeps only these of the package in the lazy chunk.
const sdk = lazySdk(async () => {
  const { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } = await import('#aws-sdk/client-sts')
  return { STSClient, AssumeRoleCommand, GetCallerIdentityCommand }
})
export const STSClient = sdk.client('STSClient')
export const AssumeRoleCommand = sdk.command('AssumeRoleCommand')
export const GetCallerIdentityCommand = sdk.command('GetCallerIdentityCommand')
