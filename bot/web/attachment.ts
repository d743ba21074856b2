/**
 * A Content-Disposition for a download: an ASCII fallback name for old clients and the real
 * (Chinese) name as RFC 5987 UTF-8.
 */
export function attachment(name: string, ascii: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
