import type { ChannelMap, WriteLog } from '../channels';
import type { ServiceStore } from '../release/service-store';
import type { ServiceCatalog } from './service-catalog';

/** The services' channels: specs listed, checked, saved and removed, and their secrets set. */
export type ServiceChannel = 'listServices' | 'validateService' | 'saveService' | 'setServiceSecret' | 'removeService';

/** What the services' channels work on. */
export interface ServiceChannelParts {
  readonly services: ServiceStore;
  readonly catalog: ServiceCatalog;
  readonly log: WriteLog;
}

/** The services' handlers. */
export function serviceChannels({ services, catalog, log }: ServiceChannelParts): ChannelMap<ServiceChannel> {
  return {
    listServices: async () => catalog.list(),
    validateService: async ({ text }) => ({ issues: services.validate(text).issues }),
    saveService: async ({ text }) => {
      const entry = catalog.save(text);
      log('info', `service saved: ${entry.name}`);
      return entry;
    },
    setServiceSecret: async ({ service, name, value }) => {
      const entry = catalog.setSecret(service, name, value);
      log('info', `service secret ${value ? 'set' : 'cleared'}: ${service} ${name}`);
      return entry;
    },
    removeService: async ({ name }) => {
      services.remove(name);
      log('info', `service removed: ${name}`);
      return { removed: true };
    },
  };
}
