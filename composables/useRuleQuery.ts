// The rule filter of a list page, kept in the URL (?rule=), where a rule's "Logs" link lands: `rule` is what the
// URL says, `ruleInput` the search field, written to the URL 300 ms after the last keystroke.
export function useRuleQuery() {
  const route = useRoute()
  const router = useRouter()
  const rule = computed(() => (typeof route.query.rule === 'string' && route.query.rule ? route.query.rule : undefined))

  const ruleInput = ref(rule.value ?? '')
  watch(rule, (r) => {
    ruleInput.value = r ?? ''
  })
  let typing: ReturnType<typeof setTimeout> | undefined
  watch(ruleInput, (value) => {
    clearTimeout(typing)
    typing = setTimeout(() => {
      const wanted = value.trim()
      if (wanted !== (rule.value ?? '')) router.replace({ query: wanted ? { rule: wanted } : {} })
    }, 300)
  })
  onBeforeUnmount(() => clearTimeout(typing))

  return { rule, ruleInput }
}
