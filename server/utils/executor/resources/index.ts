// Every kind of resource a rule can name, by its type. A new kind is one file beside this one and one line here.
// The types other than EC2 load with the first rule that names them, and their SDK clients with them, so a run of
// EC2 rules (and a Lambda cold start) never parses the RDS or Auto Scaling SDK.
import type { ResourceType } from '#shared/resource-types'
import { ec2Handler } from './ec2'
import type { FoundResource, ResourceHandler } from './types'

// Each handler takes back only what its own find answered, which run.ts guarantees: the cast forgets that pairing.
const erase = <R extends FoundResource>(handler: ResourceHandler<R>) => handler as unknown as ResourceHandler

const LOADERS: Record<ResourceType, () => Promise<ResourceHandler>> = {
  ec2: async () => erase(ec2Handler),
  rds: async () => erase((await import('./rds')).rdsHandler),
  aurora: async () => erase((await import('./aurora')).auroraHandler),
  asg: async () => erase((await import('./asg')).asgHandler),
}

/** The handler of a resource type, loaded on first use. */
export function handlerFor(type: ResourceType): Promise<ResourceHandler> {
  return LOADERS[type]()
}
