// Health: answers 200 when the store answers, 503 otherwise, with `reason`: what failed and what to do.
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { unavailableOf } from '../utils/aws/unavailable'
import { describeAwsError } from '../utils/aws/errors'

export default defineApiHandler(async (event) => {
  const config = useServerConfig()
  try {
    const { store } = await useServices()
    // DescribeTable on our own table: it needs no permission beyond the app's tables (ListTables would need "*").
    await store.client.send(new DescribeTableCommand({ TableName: config.tables.rules }))
    return { status: 'ok', store: config.store, region: config.region }
  }
  catch (error) {
    setResponseStatus(event, 503)
    return { status: 'unavailable', store: config.store, region: config.region, reason: unavailableOf(error)?.message ?? describeAwsError(error) }
  }
})
