// Kept apart from the resolver, so that a run's code can tell this error without loading the Organizations SDK.

/** The organization could not be read: the rule's OUs reach no account this run, and the log says why. */
export class OrganizationUnavailable extends Error {
  override name = 'OrganizationUnavailable'
  constructor(message: string, cause?: unknown) {
    super(message, { cause })
  }
}
