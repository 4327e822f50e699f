import type { ChannelMap } from '../channels';
import type { AuditTrail } from './audit-trail';

/** The audit trail's channels: its hash chain checked, and its newest entries. */
export type AuditChannel = 'verifyAudit' | 'listAudit';

/** The audit trail's handlers (what is written to it is the engine boundary's concern). */
export function auditChannels(audit: AuditTrail): ChannelMap<AuditChannel> {
  return {
    verifyAudit: async () => audit.verify(),
    listAudit: async ({ limit }) => audit.list(limit),
  };
}
