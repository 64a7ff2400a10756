// True on a phone-sized screen, where the tables become cards and columns are dropped.
import { requestFromPhone } from '#shared/phone'

export function useNarrow(maxWidth = 720) {
  // The server cannot measure the screen, so it guesses from the request: a phone gets its cards in the HTML rather
  // than a table that the browser swaps for cards once it runs (issue 13: on a phone that re-render was the longest
  // task of the page). The browser keeps the guess while it hydrates, then answers from the screen itself.
  const guess = useState('narrow-guess', () => (import.meta.server ? requestFromPhone(useRequestHeaders()) : false))
  const narrow = ref(guess.value)
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
