// Task rules:reconcile: make every schedule match its rule, arm every revert waiting for an override's end (running
// those whose time has come), and every follow-up check of databases likewise, retry the notifications a deadline left
// pending, tell schedule.drift what was repaired, and report what changed.
export default defineTask({
  meta: { name: 'rules:reconcile', description: 'Repair missing, orphan and drifted schedules, and arm the reverts of overrides' },
  async run() {
    const { schedules, logs } = await useServices()
    const report = await reconcileSchedules(schedules)
    // Deliveries a deadline cut short are sent now (notifications/deliver.ts).
    const [{ delivery }, { retryPending }] = await Promise.all([useNotifications(), import('../../utils/notifications/deliver')])
    const notifications = await retryPending(delivery, logs)
    return { result: { ...report, ...await reconcileAfterSchedules(report), notifications: { retried: notifications } } }
  },
})
