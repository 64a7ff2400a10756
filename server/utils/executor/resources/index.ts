// Every kind of resource a rule can name, by its type. A new kind is one file beside this one and one line here.
import type { ResourceType } from '#shared/resource-types'
import { ec2Handler } from './ec2'
import type { FoundResource, ResourceHandler } from './types'

// Each handler takes back only what its own find answered, which run.ts guarantees: the cast forgets that pairing.
const erase = <R extends FoundResource>(handler: ResourceHandler<R>) => handler as unknown as ResourceHandler

const HANDLERS: Partial<Record<ResourceType, ResourceHandler>> = {
  ec2: erase(ec2Handler),
}

/** The handler of a resource type. */
export function handlerFor(type: ResourceType): ResourceHandler {
  const handler = HANDLERS[type]
  if (!handler) throw new Error(`no executor for the resource type '${type}'`)
  return handler
}
