// The credentials shape the SDK clients accept; declared here so nothing depends on @aws-sdk/types directly.

/** Static AWS credentials, e.g. from sts:AssumeRole; structurally the SDK's AwsCredentialIdentity. */
export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  expiration?: Date
}

/** Adaptive retry (client-side rate limiting plus backoff) with room for EC2's throttling bursts. */
export const AWS_RETRY_SETTINGS = { retryMode: 'adaptive', maxAttempts: 6 } as const
