// A minimal W3C WebDriver client (fetch, Node 20) for geckodriver.
export class WebDriver {
  /** @param {string} base */
  constructor(base) { this.base = base; /** @type {string | null} */ this.sid = null; this.caps = {}; }
  /** @param {string} method @param {string} path @param {unknown} [body] */
  async req(method, path, body) {
    const r = await fetch(this.base + path, {
      method, headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const j = await r.json();
    if (!r.ok || (j.value && j.value.error)) throw new Error(`WebDriver ${method} ${path}: ${r.status} ${JSON.stringify(j.value).slice(0, 500)}`);
    return j.value;
  }
  async newSession(caps) {
    const v = await this.req('POST', '/session', { capabilities: { alwaysMatch: caps } });
    this.sid = v.sessionId; this.caps = v.capabilities; return v;
  }
  /** @param {string} p */
  s(p) { return `/session/${this.sid}${p}`; }
  installAddon(path, temporary = true) { return this.req('POST', this.s('/moz/addon/install'), { path, temporary }); }
  go(url) { return this.req('POST', this.s('/url'), { url }); }
  exec(script, args = []) { return this.req('POST', this.s('/execute/sync'), { script, args }); }
  screenshot() { return this.req('GET', this.s('/screenshot')); }
  setContext(context) { return this.req('POST', this.s('/moz/context'), { context }); }
  handles() { return this.req('GET', this.s('/window/handles')); }
  currentHandle() { return this.req('GET', this.s('/window')); }
  switchTo(handle) { return this.req('POST', this.s('/window'), { handle }); }
  newWindow() { return this.req('POST', this.s('/window/new'), { type: 'tab' }); }
  closeWindow() { return this.req('DELETE', this.s('/window')); }
  url() { return this.req('GET', this.s('/url')); }
  quit() { return this.req('DELETE', this.s('')); }
}
