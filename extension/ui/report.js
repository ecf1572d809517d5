// @ts-check
/**
 * The diagnostics report a user can copy from the popup when a webmail check failed (issue #20
 * part 3): which adapter, which step, the HTTP status, the page's route shape and which parts of
 * the page the adapter found. It is built from the background's `Report`, which holds structure
 * only: never message content, an address or a message id. In English, for the maintainers who
 * read it; the popup says in the user's language what it contains.
 */

/** What each problem says about the step that failed. */
const STEPS = {
  no_token: 'finding the session token in the page (the page does not look like a complete webmail page)',
  request_check: 'downloading the raw message (the webmail refused the session: its request check failed)',
  http: 'downloading the raw message (the webmail answered with an HTTP error)',
  network: 'downloading the raw message (the webmail could not be reached)',
  timeout: 'downloading the raw message (no complete answer in time)',
  not_a_message: 'reading the answer (the webmail did not send a message)',
  too_large: 'the size check (the message is larger than 25 MB)',
};

/**
 * @param {{ problem: string, report?: import('../background/webmail.js').Report }} failed the tab's failed state
 * @param {{ version: string, browser: string }} about
 */
export function reportText(failed, about) {
  const r = failed.report;
  const step = /** @type {Record<string, string>} */ (STEPS)[failed.problem] ?? failed.problem;
  const lines = [
    'ImpaleMail webmail report (structure only: no message content, no address, no message id)',
    `Extension: ${about.version}`,
    `Browser: ${about.browser}`,
    `Adapter: ${r?.adapter ?? 'unknown'}`,
    `Failed step: ${step}`,
    `Problem code: ${failed.problem}`,
    `HTTP status: ${r?.status ?? 'none'}`,
  ];
  if (r) {
    lines.push(`Page route: ${r.page || '/'}`);
    const probes = Object.entries(r.probes);
    lines.push(`Page parts found: ${probes.length ? probes.map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`).join(', ') : 'none listed'}`);
    lines.push(`At: ${r.at}`);
  }
  return lines.join('\n');
}

/**
 * The browser's name and major version from a user-agent string (no platform, no build).
 * @param {string} ua
 */
export function browserName(ua) {
  const m = /(Firefox|Chrome|Chromium)\/(\d+)/.exec(ua);
  return m ? `${m[1]} ${m[2]}` : 'unknown';
}
