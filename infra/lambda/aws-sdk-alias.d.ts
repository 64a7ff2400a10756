// The real SDK packages behind the lazy stand-ins: nuxt.config.ts aliases #aws-sdk/<client> to each package's own ES module.
declare module '#aws-sdk/*' {
  const sdk: Record<string, unknown>
  export = sdk
}
