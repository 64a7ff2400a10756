// True on a phone-sized screen, where the tables become cards and columns are dropped.
export function useNarrow(maxWidth = 720) {
  const narrow = ref(false)
  onMounted(() => {
    const query = matchMedia(`(max-width: ${maxWidth}px)`)
    narrow.value = query.matches
    const update = (e: MediaQueryListEvent) => {
      narrow.value = e.matches
    }
    query.addEventListener('change', update)
    onBeforeUnmount(() => query.removeEventListener('change', update))
  })
  return narrow
}
