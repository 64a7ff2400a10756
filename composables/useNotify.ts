// Toasts: success in the UI's words, failure with the server's own message. Element Plus's message code (and its
// CSS) loads on the first toast, not with the page.
import type { MessageHandler, MessageParams } from 'element-plus'

async function toast(params: MessageParams): Promise<MessageHandler> {
  const [{ ElMessage }] = await Promise.all([
    import('element-plus/es/components/message/index.mjs'),
    // @ts-expect-error: Element Plus ships no types for its style entries (they only import CSS).
    import('element-plus/es/components/message/style/css.mjs'),
  ])
  // Below the header (about 50 px, one row at every width), never over its links or the key badge.
  return ElMessage({ offset: 64, ...(typeof params === 'object' ? params : { message: params }) } as MessageParams)
}

export function useNotify() {
  const { t } = useI18n()
  return {
    success: (message: string) => toast({ type: 'success', message, showClose: true }),
    failure: (e: unknown, what?: string) => toast({
      type: 'error',
      message: what ? t('toast.failed', { what, message: apiErrorMessage(e) }) : apiErrorMessage(e),
      showClose: true,
      duration: 6000,
    }),
    /** A toast that stays until closed (e.g. while a run goes on); answers its handle. */
    progress: (message: string) => toast({ type: 'info', message, duration: 0 }),
  }
}
