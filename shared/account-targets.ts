// Which accounts a rule reaches, in its stored form: no zod here, since the rules list reads stored rules through it
// at a Lambda cold start (issue 12).

export interface AccountTargetsInput {
  accountId?: string
  accountIds?: string[]
  organizationalUnits?: string[]
  excludeAccountIds?: string[]
}

/** A rule's accounts, as stored: the legacy `accountId` folded into `accountIds`. */
export interface AccountTargets {
  accountIds: string[]
  organizationalUnits: string[]
  excludeAccountIds: string[]
}

/** The explicit accounts of `input`, its legacy `accountId` first. */
export function explicitAccounts(input: AccountTargetsInput): string[] {
  return [...new Set([...(input.accountId ? [input.accountId] : []), ...(input.accountIds ?? [])])]
}

/** The stored form of a rule's accounts: `accountId` folded into `accountIds`, the lists always present. */
export function normalizeAccountTargets<T extends AccountTargetsInput>(input: T): Omit<T, keyof AccountTargetsInput> & AccountTargets {
  const { accountId: _legacy, accountIds: _ids, organizationalUnits, excludeAccountIds, ...rest } = input
  return { ...rest, accountIds: explicitAccounts(input), organizationalUnits: organizationalUnits ?? [], excludeAccountIds: excludeAccountIds ?? [] }
}
