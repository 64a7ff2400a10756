// Kept apart from the resolver, so that a run's code can tell this error without loading the Organizations SDK.
import { describeAwsError } from '../aws/errors'

/** The organization could not be read: the rule's OUs reach no account this run, and the log says why. */
export class OrganizationUnavailable extends Error {
  override name = 'OrganizationUnavailable'
  constructor(message: string, cause?: unknown) {
    super(message, { cause })
  }
}

/** The organization's tree was asked for, and NUXT_ORGANIZATION_ROLE_ARN, the role that reads it, is not set. */
export class OrganizationRoleMissing extends Error {
  override name = 'OrganizationRoleMissing'
  constructor() {
    super('reading the organization needs NUXT_ORGANIZATION_ROLE_ARN, the role that reads AWS Organizations: none is set')
  }
}

/** Opens a client through the organization role; a refused AssumeRole or any other failure is OrganizationUnavailable. */
export async function openOrganizations<T>(client: () => Promise<T>): Promise<T> {
  try {
    return await client()
  }
  catch (e) {
    throw new OrganizationUnavailable(`could not reach AWS Organizations: ${e instanceof Error && e.name === 'AssumeRoleDenied' ? e.message : describeAwsError(e)}`, e)
  }
}
