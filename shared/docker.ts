/** One container as the fleet view shows it. */
export interface ContainerSummary {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly state: string;
  /** Docker's own words, such as "Up 5 minutes". */
  readonly status: string;
  readonly createdAt: string;
  readonly ports: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}
