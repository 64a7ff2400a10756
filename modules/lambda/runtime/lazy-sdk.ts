// Lambda build only: stand-ins for AWS SDK clients that load the real package on the first send().
// modules/lambda aliases @aws-sdk/client-ec2, client-sts and client-scheduler to the files beside this one, so
// a cold start that answers a page or an API read never parses them (the EC2 client alone is most of the bundle);
// a scheduled run or a rule change loads them once per Lambda instance. Errors and answers are the real SDK's.
// test/unit/lambda-build.test.ts checks that every name the server imports from these packages exists here.

// The real module: every export is a client or command class, looked up by name.
type SdkModule = Record<string, new (arg?: unknown) => { send?: (command: unknown, options?: unknown) => Promise<unknown>, destroy?: () => void }>

/** Builds lazy client and command classes over the module `load` imports. */
export function lazySdk(load: () => Promise<unknown>) {
  let loaded: Promise<SdkModule> | undefined
  const sdk = () => (loaded ??= load() as Promise<SdkModule>)

  /** A command records its name and input; the real command is built when a client sends it. */
  function command(name: string) {
    return class LazyCommand {
      readonly commandName = name
      constructor(readonly input: unknown) {}
    }
  }

  /** A client records its configuration; the real client is made on the first send. */
  function client(name: string) {
    return class LazyClient {
      private real?: InstanceType<SdkModule[string]>
      constructor(readonly config?: unknown) {}

      async send(cmd: { commandName: string, input: unknown }, options?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
        const mod = await sdk()
        this.real ??= new mod[name]!(this.config)
        return this.real.send!(new mod[cmd.commandName]!(cmd.input), options)
      }

      destroy(): void {
        this.real?.destroy?.()
      }
    }
  }

  return { client, command }
}
