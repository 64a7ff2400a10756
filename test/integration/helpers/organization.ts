// A moto organization of a test's own: a fresh management account (moto keeps an organization in the account that
// created it), its root, units and accounts, each account moved beneath its unit.
import { CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, ListRootsCommand, MoveAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations'
import { credentialsFor, motoEndpoint, newAccountId, uniqueValue } from './ec2'

export const ORG_ROLE = 'OuroborosOrganizationReader'

export interface TestOrganization {
  management: string
  /** The organization role the app is given: any role of the management account reads its organization on moto. */
  roleArn: string
  client: OrganizationsClient
  root: string
  /** Unit ids by name. */
  units: Record<string, string>
  /** Account ids by name. */
  accounts: Record<string, string>
}

/**
 * Builds `units` (name → parent's name, or null beneath the root; parents first) and `accounts` (name → unit name)
 * in a new organization.
 */
export async function createTestOrganization(units: Record<string, string | null>, accounts: Record<string, string>): Promise<TestOrganization> {
  const management = newAccountId()
  const tag = uniqueValue('org')
  const client = new OrganizationsClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: await credentialsFor(management) })
  await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
  const root = (await client.send(new ListRootsCommand({}))).Roots![0]!.Id!
  const unitIds: Record<string, string> = {}
  for (const [name, parent] of Object.entries(units)) {
    const out = await client.send(new CreateOrganizationalUnitCommand({ ParentId: parent ? unitIds[parent]! : root, Name: name }))
    unitIds[name] = out.OrganizationalUnit!.Id!
  }
  const accountIds: Record<string, string> = {}
  for (const [name, unit] of Object.entries(accounts)) {
    const created = await client.send(new CreateAccountCommand({ AccountName: `${tag}-${name}`, Email: `${name}@${tag}.example.com` }))
    const id = created.CreateAccountStatus!.AccountId!
    accountIds[name] = id
    await client.send(new MoveAccountCommand({ AccountId: id, SourceParentId: root, DestinationParentId: unitIds[unit]! }))
  }
  return { management, roleArn: `arn:aws:iam::${management}:role/${ORG_ROLE}`, client, root, units: unitIds, accounts: accountIds }
}
