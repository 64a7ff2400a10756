// The app's own AWS region (GET /api/health says it), read once: a rule without regions runs there.
export function useAppRegion() {
  const region = useState<string | null>('app-region', () => null)
  if (import.meta.client && region.value === null) {
    $fetch<{ region?: string }>('/api/health', { ignoreResponseError: true })
      .then((health) => {
        region.value = health?.region ?? ''
      })
      .catch(() => {
        region.value = ''
      })
  }
  return region
}
