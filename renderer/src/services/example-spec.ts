/** What "New service" starts from: every common field, with what it means. */
export const exampleSpec = `# A service: what runs, where, and how Shipdeck knows it is healthy.
service: web                 # lowercase letters, digits and dashes
image: shop/web              # no tag: each release names its version (v2, 1.4.0…)
port: 3000                   # the port the app listens on; each release gets its own from here up

# Server names from Fleet, per environment.
servers:
  staging: [stage-1]
  production: [prod-1, prod-2]

# Asked of the new release before any traffic moves to it.
healthcheck:
  path: /up
  status: 200
  interval: 1s
  timeout: 5s
  retries: 30

strategy: blue-green         # or: rolling, or { rolling: { batch: 2 } }
retain: 3                    # previous releases kept on each host
`;
