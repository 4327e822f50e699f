import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemError } from '../../../shared/problem';
import type { ServiceEntry } from '../../../shared/run';
import type { ServiceSpec } from '../../../shared/service-spec';
import { makeFolder, writeWhole } from '../data-file';
import { describeSpecIssue, readServiceSpec } from './service-spec-reader';

/** The services the user keeps: one YAML file each in `<dataDir>/services/`, kept as written. */
export class ServiceStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'services');
    makeFolder(this.dir);
  }

  list(): ServiceEntry[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => this.entry(join(this.dir, f), readFileSync(join(this.dir, f), 'utf8')));
  }

  /** Check a text as it would be saved. */
  validate(text: string, file = 'service.yaml'): ServiceEntry {
    return this.entry(file, text);
  }

  /** Save a valid spec under its service name, whole or not at all (a full disk keeps the file as it was). */
  save(text: string): ServiceEntry {
    const checked = this.validate(text);
    if (!checked.spec) {
      throw new ProblemError({
        code: 'bad-request',
        message: `The spec has ${checked.issues.length} ${checked.issues.length === 1 ? 'problem' : 'problems'}: ${checked.issues.slice(0, 3).map(describeSpecIssue).join('; ')}`,
        where: checked.issues[0]
          ? `line ${checked.issues[0].line}${checked.issues[0].field ? `, ${checked.issues[0].field}` : ''}`
          : 'service.yaml',
        hint: 'Fix each problem listed, then save again.',
      });
    }
    const file = join(this.dir, `${checked.spec.service}.yaml`);
    writeWhole(file, text);
    return this.entry(file, text);
  }

  remove(name: string): void {
    this.get(name);
    rmSync(join(this.dir, `${name}.yaml`));
  }

  /** A saved service's spec; a missing or invalid one is a problem naming it. */
  get(name: string): ServiceSpec {
    const entry = this.list().find((e) => e.name === name);
    if (!entry)
      throw new ProblemError({
        code: 'not-found',
        message: `No service named ${name}`,
        hint: 'Create it in Services first.',
      });
    if (!entry.spec)
      throw new ProblemError({
        code: 'bad-request',
        message: `The spec of ${name} has problems: ${entry.issues.slice(0, 3).map(describeSpecIssue).join('; ')}`,
        where: entry.file,
        hint: 'Fix the spec in Services, then try again.',
      });
    return entry.spec;
  }

  private entry(file: string, text: string): ServiceEntry {
    const result = readServiceSpec(text, file);
    const name = result.ok
      ? result.spec.service
      : (/^service:\s*([^\s#]+)/m.exec(text)?.[1] ?? file.replace(/^.*\//, '').replace(/\.yaml$/, ''));
    return result.ok
      ? { name, file, text, spec: result.spec, issues: [] }
      : { name, file, text, issues: result.issues };
  }
}
