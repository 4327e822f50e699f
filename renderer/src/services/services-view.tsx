import { useServices } from '../stores/service-store';
import { exampleSpec } from './example-spec';
import { ReleaseDialog } from './release-dialog';
import { ServiceList } from './service-list';
import { ServicePage } from './service-page';
import { SpecEditor } from './spec-editor';

/** Every service on the left; beside it the open service's spec, or a new one. */
export function ServicesView() {
  const services = useServices((s) => s.services);
  const selectedName = useServices((s) => s.selected);
  const creating = useServices((s) => s.creating);
  const releasingName = useServices((s) => s.releasing);
  const selected = services.find((e) => e.name === selectedName);
  const releasing = services.find((e) => e.name === releasingName);

  return (
    <div className="services">
      <ServiceList />
      <div className="service-detail">
        {creating ? (
          <section className="page" aria-label="New service">
            <h2>New service</h2>
            <p className="muted">
              Write the service’s spec. It is checked as you type; save it once it has no problems.
            </p>
            <SpecEditor initialText={exampleSpec} isNew />
          </section>
        ) : selected ? (
          <ServicePage key={selected.name} entry={selected} />
        ) : (
          <div className="empty muted">
            <p>
              {services.length === 0
                ? 'No services yet: a service says which image runs on which servers, and how to check it.'
                : 'Choose a service to edit its spec or release it.'}
            </p>
            <button className="primary" onClick={() => useServices.getState().startCreating()}>
              New service
            </button>
          </div>
        )}
      </div>
      {releasing?.spec && (
        <ReleaseDialog
          key={releasing.name}
          entry={releasing}
          spec={releasing.spec}
          onClose={() => useServices.getState().closeRelease()}
        />
      )}
    </div>
  );
}
