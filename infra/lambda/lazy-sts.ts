// Lambda build only: @aws-sdk/client-sts, loaded on first use (see lazy-sdk.ts).
import { lazySdk } from './lazy-sdk'

const sdk = lazySdk(() => import('#aws-sdk/client-sts'))
export const STSClient = sdk.client('STSClient')
export const AssumeRoleCommand = sdk.command('AssumeRoleCommand')
export const GetCallerIdentityCommand = sdk.command('GetCallerIdentityCommand')
