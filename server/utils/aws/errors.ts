// Reading AWS SDK errors: a readable one-liner, and whether an error concerns the whole request or its items.

/** "Code: message" of an AWS SDK error, or the message of any other error. */
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { Code?: string }).Code ?? error.name
  return code && code !== 'Error' && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message
}

/** The error's code, as AWS names it (e.g. IncorrectInstanceState). */
export function awsErrorCode(error: unknown): string {
  const e = error as { Code?: string, name?: string } | undefined
  return e?.Code ?? e?.name ?? 'Error'
}

// Codes that fail every request of the caller, whatever instances it names: splitting the batch cannot help.
const CALLER_LEVEL_CODES = new Set([
  'AuthFailure',
  'Blocked',
  'ExpiredToken',
  'InvalidClientTokenId',
  'OptInRequired',
  'RequestExpired',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
])

/** True when the error is about the caller or the service (5xx), not about an instance in the request. */
export function isCallerLevelError(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode
  return CALLER_LEVEL_CODES.has(awsErrorCode(error)) || (status !== undefined && status >= 500)
}
