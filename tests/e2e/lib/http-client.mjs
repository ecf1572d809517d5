// A plain-HTTP client with a cookie jar, for the few requests the webmail tests make to a real
// webmail themselves (lib/roundcube.mjs, lib/sogo.mjs): log in, fetch a message's source.

/** Time one HTTP request to a test webmail may take. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Takes the Set-Cookie lines of an answer into the jar (a deleted or expired cookie leaves it). @param {Map<string, string>} jar @param {Response} res */
export function absorbCookies(jar, res) {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a)) || value === 'deleted' || value === '-del-';
    if (expired) jar.delete(name); else jar.set(name, value);
  }
}

/** The Cookie header for a jar. @param {Map<string, string>} jar */
export const cookieHeader = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * One request with the jar's cookies; redirects are not followed (the caller decides).
 * @param {string} url @param {Map<string, string>} jar @param {RequestInit} [init]
 */
export async function request(url, jar, init = {}) {
  const headers = new Headers(init.headers);
  if (jar.size) headers.set('cookie', cookieHeader(jar));
  const res = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  absorbCookies(jar, res);
  return res;
}

/** The text of an HTML page's title, or ''. @param {string} html */
export function errorTitle(html) {
  return /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? '';
}
