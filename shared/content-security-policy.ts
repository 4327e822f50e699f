/**
 * The policy every Shipdeck page runs under, in the desktop app and the
 * browser host alike: nothing but our own files, no inline script, no
 * plugins, no framing, no forms.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
