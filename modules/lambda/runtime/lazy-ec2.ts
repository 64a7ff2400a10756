// Lambda build only: @aws-sdk/client-ec2, loaded on first use (see lazy-sdk.ts).
import { lazySdk } from './lazy-sdk'

// Destructured where it is imported, so that Rollup keeps only these of the package in the lazy chunk.
const sdk = lazySdk(async () => {
  const { EC2Client, DescribeInstancesCommand, StartInstancesCommand, StopInstancesCommand } = await import('#aws-sdk/client-ec2')
  return { EC2Client, DescribeInstancesCommand, StartInstancesCommand, StopInstancesCommand }
})
export const EC2Client = sdk.client('EC2Client')
export const DescribeInstancesCommand = sdk.command('DescribeInstancesCommand')
export const StartInstancesCommand = sdk.command('StartInstancesCommand')
export const StopInstancesCommand = sdk.command('StopInstancesCommand')
