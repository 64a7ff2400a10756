// Asks the user to confirm an action in a dialog (components/ConfirmDialog.vue, loaded on first use):
// `await confirm({...})` answers true for the confirm button, false for cancel, Esc or the close button.
export interface ConfirmRequest {
  title: string
  message: string
  confirmText: string
  /** The cancel button's words; "Cancel" unless told. */
  cancelText?: string
  danger?: boolean
}

// The pending answer lives outside the state: functions do not belong in Nuxt's payload (browser only).
let answer: ((ok: boolean) => void) | null = null

export function useConfirm() {
  const request = useState<ConfirmRequest | null>('confirm-request', () => null)

  function confirm(next: ConfirmRequest): Promise<boolean> {
    answer?.(false)
    request.value = next
    return new Promise((resolve) => {
      answer = resolve
    })
  }

  function settle(ok: boolean) {
    const resolve = answer
    answer = null
    request.value = null
    resolve?.(ok)
  }

  return { request, confirm, settle }
}
