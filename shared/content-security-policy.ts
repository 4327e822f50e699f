/**
 * The policy every Shipdeck page runs under, in the desktop app and the
 * browser host alike: nothing but our own files, no inline script, no
 * plugins, no framing, no forms. The one inline stylesheet allowed, by its
 * hash, is the run report's, which the Report view shows in a sandboxed iframe.
 */
import { reportStyleSource } from './report-style';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${reportStyleSource}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
