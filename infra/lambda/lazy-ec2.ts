// Lambda build only: @aws-sdk/client-ec2, loaded on first use (see lazy-sdk.ts).
import { lazySdk } from './lazy-sdk'

const sdk = lazySdk(() => import('#aws-sdk/client-ec2'))
export const EC2Client = sdk.client('EC2Client')
export const DescribeInstancesCommand = sdk.command('DescribeInstancesCommand')
export const StartInstancesCommand = sdk.command('StartInstancesCommand')
export const StopInstancesCommand = sdk.command('StopInstancesCommand')
