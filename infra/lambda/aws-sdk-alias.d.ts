// The real SDK packages behind the lazy stand-ins: nuxt.config.ts aliases #aws-sdk/<client> to each package's own ES module.
declare module '#aws-sdk/client-ec2' {
  export * from '@aws-sdk/client-ec2'
}
declare module '#aws-sdk/client-sts' {
  export * from '@aws-sdk/client-sts'
}
declare module '#aws-sdk/client-scheduler' {
  export * from '@aws-sdk/client-scheduler'
}
