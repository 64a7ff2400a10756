// The executor's real dependencies: the process's repositories, configuration, STS and EC2 clients.
import { useEc2Client } from '../aws/ec2'
import { useStsClient } from '../aws/sts'
import { useServerConfig } from '../config'
import { useServices } from '../context'
import { createLimiter } from '../concurrency'
import type { Limiter } from '../concurrency'
import { createCredentialsResolver } from './credentials'
import type { CredentialsResolver } from './credentials'
import type { ExecutorDeps } from './run'

// One resolver and one limiter per process: credentials are cached across runs, and concurrent runs
// (many schedules firing at the same minute) share the bound on account-regions in flight.
let resolver: CredentialsResolver | undefined
let limiter: Limiter | undefined

/** The executor's dependencies in this process, from the configuration and the services. */
export async function useExecutorDeps(): Promise<ExecutorDeps> {
  const config = useServerConfig()
  const { rules, logs } = await useServices()
  resolver ??= createCredentialsResolver({
    sts: useStsClient(),
    memberRoleName: config.execution.memberRoleName,
    externalId: config.execution.externalId,
    region: config.region,
  })
  limiter ??= createLimiter(config.execution.concurrency)
  return {
    rules,
    logs,
    execution: config.execution,
    region: config.region,
    credentials: resolver,
    ec2: useEc2Client,
    limiter,
    logger: console,
  }
}
