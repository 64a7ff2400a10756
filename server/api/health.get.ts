// Health: answers 200 when the store answers, 503 otherwise.
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'

export default defineApiHandler(async (event) => {
  const config = useServerConfig()
  try {
    const { store } = await useServices()
    await store.client.send(new ListTablesCommand({ Limit: 1 }))
    return { status: 'ok', store: config.store, region: config.region }
  }
  catch {
    setResponseStatus(event, 503)
    return { status: 'unavailable', store: config.store, region: config.region }
  }
})
