import { useCallback, useEffect, useState } from 'react';
import type { ContainerSummary } from '../../../shared/docker';
import { diagnostics } from '../../../shared/diagnostics';
import { incidentDiagnostics, type Incident, type IncidentDiagnostic } from '../../../shared/incident';
import { type Problem, problemOf } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import { api } from '../api';
import { useIncidents } from '../stores/incident-store';
import { onEscape } from '../common/on-escape';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';
import { TableHead } from '../common/table-head';

/** The button's words for each diagnostic; the service's logs are the live container's. */
function diagnosticLabel(diagnostic: IncidentDiagnostic, service: string): string {
  return diagnostic === 'logs' ? `Logs of ${service} (docker logs --tail 100)` : diagnostics[diagnostic].label;
}

interface Diagnosis {
  readonly diagnostic: IncidentDiagnostic;
  readonly running: boolean;
  readonly result?: { readonly commandLine: string; readonly exitCode: number | null; readonly output: string };
  readonly problem?: Problem;
}

/**
 * One host of the incident's environment: the service's containers there,
 * each restartable after a confirmation, and the diagnostics over SSH.
 */
export function IncidentHost({
  incident,
  server,
  by,
  readOnly,
}: {
  incident: Incident;
  server: Server;
  by: string;
  readOnly: boolean;
}) {
  const [containers, setContainers] = useState<readonly ContainerSummary[] | null>(null);
  const [reading, setReading] = useState(false);
  const [readProblem, setReadProblem] = useState<Problem | null>(null);
  const [diagnosis, setDiagnosis] = useState<Diagnosis | null>(null);
  const service = incident.service;

  const read = useCallback(async () => {
    setReading(true);
    try {
      const all = await api.listContainers({ serverId: server.id });
      setContainers(all.filter((c) => c.labels['shipdeck.service'] === service));
      setReadProblem(null);
    } catch (error) {
      setReadProblem(problemOf(error));
    }
    setReading(false);
  }, [server.id, service]);

  // Read again whenever the incident moves (a rollback started or ended, a restart): the containers change with it.
  const entries = incident.timeline.length;
  useEffect(() => {
    void read();
  }, [read, entries]);

  const diagnose = async (diagnostic: IncidentDiagnostic) => {
    setDiagnosis({ diagnostic, running: true });
    try {
      setDiagnosis({
        diagnostic,
        running: false,
        result: await api.diagnoseForIncident({ id: incident.id, serverId: server.id, diagnostic, by }),
      });
    } catch (error) {
      setDiagnosis({ diagnostic, running: false, problem: problemOf(error) });
    }
  };

  return (
    <section className="incident-host" aria-label={`Host ${server.name}`}>
      <div className="panel-head">
        <h4>
          {server.name}{' '}
          <span className="muted small">
            {server.user}@{server.host}:{server.port}
          </span>
        </h4>
        <button className="small-button" onClick={() => void read()} disabled={reading}>
          {reading ? 'Reading…' : 'Refresh containers'}
        </button>
      </div>
      {readProblem && <ProblemNotice problem={readProblem} title={`Could not read the containers on ${server.name}`} />}
      {containers && containers.length === 0 && (
        <p className="muted small">
          No container of {service} on {server.name}.
        </p>
      )}
      {containers && containers.length > 0 && (
        <table className="table" aria-label={`Containers of ${service} on ${server.name}`}>
          <TableHead columns={['Container', 'Release', 'Role', 'State', 'Status']} actions />
          <tbody>
            {containers.map((c) => (
              <ContainerRow
                key={c.id}
                incident={incident}
                server={server}
                container={c}
                by={by}
                readOnly={readOnly}
                onRestarted={read}
              />
            ))}
          </tbody>
        </table>
      )}
      <div className="actions diagnostics-buttons" role="group" aria-label={`Diagnostics on ${server.name}`}>
        {incidentDiagnostics.map((d) => (
          <button
            key={d}
            className="small-button"
            onClick={() => void diagnose(d)}
            disabled={diagnosis?.running || readOnly || !by}
            aria-pressed={diagnosis?.diagnostic === d}
          >
            {diagnosis?.running && diagnosis.diagnostic === d ? 'Running…' : diagnosticLabel(d, service)}
          </button>
        ))}
      </div>
      {diagnosis && <DiagnosisOutput diagnosis={diagnosis} server={server} service={service} />}
    </section>
  );
}

function DiagnosisOutput({ diagnosis, server, service }: { diagnosis: Diagnosis; server: Server; service: string }) {
  const label = diagnosticLabel(diagnosis.diagnostic, service);
  if (diagnosis.problem)
    return <ProblemNotice problem={diagnosis.problem} title={`${label} did not run on ${server.name}`} />;
  if (diagnosis.running || !diagnosis.result) {
    return (
      <p className="muted" role="status">
        <progress aria-label={`${label} running`} /> Running {label} on {server.name}…
      </p>
    );
  }
  const { commandLine, exitCode, output } = diagnosis.result;
  return (
    <figure className="incident-diagnosis">
      <pre className="output" aria-label={`Output of ${label} on ${server.name}`} tabIndex={0}>
        <span className="output-command">$ {commandLine}</span>
        {'\n'}
        {output || '(no output)'}
        {'\n'}
        <span className={exitCode === 0 ? 'output-exit ok' : 'output-exit fail'}>exit {exitCode ?? 'by signal'}</span>
      </pre>
    </figure>
  );
}

function ContainerRow({
  incident,
  server,
  container: c,
  by,
  readOnly,
  onRestarted,
}: {
  incident: Incident;
  server: Server;
  container: ContainerSummary;
  by: string;
  readOnly: boolean;
  onRestarted: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const { busy: restarting, problem, run } = useAction();

  const restart = () =>
    run(async () => {
      useIncidents
        .getState()
        .receive(await api.restartForIncident({ id: incident.id, serverId: server.id, containerId: c.id, by }));
      setConfirming(false);
      await onRestarted();
    });

  return (
    <>
      <tr>
        <td>
          <code>{c.name}</code>
        </td>
        <td>{c.labels['shipdeck.release'] ?? <span className="muted">—</span>}</td>
        <td>{c.labels['shipdeck.role'] ?? <span className="muted">—</span>}</td>
        <td>
          <span className={`state state-${c.state}`}>{c.state}</span>
        </td>
        <td>{c.status}</td>
        <td className="row-actions">
          <button
            onClick={() => setConfirming(true)}
            disabled={confirming || readOnly || !by}
            aria-label={`Restart ${c.name}…`}
          >
            Restart…
          </button>
        </td>
      </tr>
      {confirming && (
        <tr className="detail-row">
          <td colSpan={6}>
            <div
              className="confirm-box"
              role="group"
              aria-label={`Confirm restart of ${c.name}`}
              onKeyDown={onEscape(() => setConfirming(false))}
            >
              <p>
                Restart <code>{c.name}</code> on <strong>{server.name}</strong>? Docker stops it and starts it again;
                whatever it serves is down meanwhile. It is recorded in the incident's timeline.
              </p>
              {problem && <ProblemNotice problem={problem} title={`${c.name} was not restarted`} />}
              <div className="actions">
                <button className="danger" autoFocus onClick={() => void restart()} disabled={restarting}>
                  {restarting ? 'Restarting…' : `Restart ${c.name}`}
                </button>
                <button onClick={() => setConfirming(false)} disabled={restarting}>
                  Cancel
                </button>
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
