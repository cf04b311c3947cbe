// The live stage's connection, shared by every screen (docs/live.md is the contract).
//
// One socket to the /live namespace. On every connect — the first, and each reconnect after a
// dropped Wi-Fi or a restarted server — the screen asks for its whole view again (`sync`) and
// measures the clock offset again, so it never relies on what it showed before. Views carry the
// log's `seq`; an older one arriving late is ignored. Countdowns are server deadlines: an
// element with data-deadline (server seconds) or data-remaining is redrawn four times a second.
// Uses the vendored socket.io-client (global `io`).

const CLOCK_SAMPLES = 5;
const ACK_TIMEOUT_MS = 8000;
const RETRY_MAX_MS = 30000;

export const L = JSON.parse(document.getElementById("stage-labels").textContent);

export function fill(text, values) {
  return String(text).replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

// Build a node: el("p", {class: "x", text: "…"}, child, …). Text only through textContent.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key === "html") node.innerHTML = value; // only the server's rendered Markdown
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

// Numbers as the interface language writes them (Vietnamese: 8,75).
const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "vi", {
  maximumFractionDigits: 2,
});
export function num(value) {
  return value === null || value === undefined ? "—" : numberFormat.format(value);
}

export function clockText(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const m = Math.floor(whole / 60);
  const s = String(whole % 60).padStart(2, "0");
  return `${m}:${s}`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export class StageClient {
  // root: the element with data-contest; as: "host" | "device" | "scoreboard";
  // onView(view): draw the role's view; onPresence(devices): the host's device list.
  constructor({ root, as, onView, onPresence }) {
    this.contest = Number(root.dataset.contest);
    this.as = as;
    this.onView = onView;
    this.onPresence = onPresence || (() => {});
    this.root = root;
    this.view = null;
    this.offset = 0; // server seconds minus this device's seconds
    this.failures = 0;
    this.statusEl = document.getElementById("stage-conn");
    this.show("connecting");
    this.socket = io("/live", {
      auth: { contest: this.contest, as },
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 5000,
    });
    this.socket.on("connect", () => this.joined());
    this.socket.on("disconnect", (reason) => this.dropped(reason));
    this.socket.on("connect_error", (error) => this.refused(error));
    this.socket.on("state", (data) => data && this.take(data.view, data.server_time));
    this.socket.on("presence", (data) => data && this.onPresence(data.devices || []));
    // The show switched between its live run and a rehearsal: start again from the new run.
    this.socket.on("resync", () => this.sync());
    // The server times a pad's round trip for the fair buzzer (live/latency.py): answer at once.
    this.socket.on("probe", (_data, ack) => ack && ack());
    setInterval(() => this.tick(), 250);
  }

  show(state, text) {
    if (!this.statusEl) return;
    this.statusEl.dataset.state = state;
    this.statusEl.textContent = text || L[state] || "";
  }

  async joined() {
    this.failures = 0;
    this.show("online");
    await this.sync();
    await this.measureClock();
  }

  // The whole view again. What was shown before is dropped first: after a switch between the
  // live run and a rehearsal the new run's `seq` may well be lower than the old one's.
  async sync() {
    this.view = null;
    // A server that has just started may be slow to answer: ask again rather than show nothing.
    for (let tries = 0; tries < 3 && this.socket.connected; tries += 1) {
      const reply = await this.emit("sync");
      if (reply && reply.ok) {
        this.take(reply.view, reply.server_time, true);
        if (reply.devices) this.onPresence(reply.devices);
        break;
      }
    }
  }

  dropped(reason) {
    this.show("offline");
    // The server closed this socket itself: socket.io-client does not come back on its own then.
    if (reason === "io server disconnect") this.retry();
  }

  refused() {
    // A transport failure (server down or restarting) is retried by socket.io-client itself
    // (`active` stays true). A handshake the server refused is not: the server may have been
    // half up, so try again with a growing pause, and say so.
    if (this.socket.active) {
      this.show("offline");
    } else {
      this.show("offline", L.refused);
      this.retry();
    }
  }

  retry() {
    this.failures += 1;
    const wait = Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.min(this.failures - 1, 5));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.socket.connected) this.socket.connect();
    }, wait * (0.75 + Math.random() * 0.5));
  }

  // Take a view unless an older one than the one shown (a late `state` after a newer `sync`).
  take(view, serverTime, fromSync = false) {
    if (!view) return;
    if (this.view && view.seq < this.view.seq) return;
    if (fromSync && serverTime && !this.measured) this.offset = serverTime - Date.now() / 1000;
    this.view = view;
    this.onView(view);
    this.rehearsal(Boolean(view.rehearsal));
    this.tick();
  }

  // Every screen says so while the show runs a rehearsal: nothing it shows is recorded.
  rehearsal(on) {
    let banner = document.getElementById("stage-rehearsal");
    if (!banner && !on) return;
    if (!banner) {
      banner = el("p", { id: "stage-rehearsal", class: "stage-rehearsal", role: "status", text: L.rehearsal });
      this.root.prepend(banner);
    }
    banner.hidden = !on;
  }

  emit(event, data) {
    return new Promise((resolve) => {
      const done = (error, reply) => resolve(error ? null : reply);
      if (data === undefined) this.socket.timeout(ACK_TIMEOUT_MS).emit(event, done);
      else this.socket.timeout(ACK_TIMEOUT_MS).emit(event, data, done);
    });
  }

  async measureClock() {
    const samples = [];
    for (let i = 0; i < CLOCK_SAMPLES && this.socket.connected; i += 1) {
      const t0 = Date.now() / 1000;
      const reply = await this.emit("clock");
      const t1 = Date.now() / 1000;
      if (reply && typeof reply.server_time === "number") samples.push(reply.server_time - (t0 + t1) / 2);
    }
    if (samples.length) {
      this.offset = median(samples);
      this.measured = true;
      this.tick();
    }
  }

  serverNow() {
    return Date.now() / 1000 + this.offset;
  }

  // Seconds left on a view's timer (negative once over), or null when there is no timer.
  remaining(timer) {
    if (!timer) return null;
    if (typeof timer.deadline === "number") return timer.deadline - this.serverNow();
    if (typeof timer.remaining === "number") return timer.remaining;
    return null;
  }

  // Send an action; resolves with the server's ack ({ok, seq} or {ok: false, error, message}).
  // Nothing is queued while offline: a buzz delivered a minute late would be worse than none.
  act(type, payload = {}) {
    if (!this.socket.connected) return Promise.resolve({ ok: false, error: "offline", message: L.not_sent });
    return this.emit("act", { type, payload }).then(
      (reply) => reply || { ok: false, error: "timeout", message: L.no_reply },
    );
  }

  // Redraw every countdown on the page from the server deadline.
  tick() {
    for (const node of document.querySelectorAll("[data-countdown]")) {
      let left = null;
      if (node.dataset.deadline) left = Number(node.dataset.deadline) - this.serverNow();
      else if (node.dataset.remaining) left = Number(node.dataset.remaining);
      if (left === null) {
        node.textContent = "";
        continue;
      }
      const over = left < 0 && node.dataset.countdown === "overtime";
      if (node.dataset.countdown === "big") {
        // The big countdown: red for its last 10 seconds, then the words instead of 0:00.
        const up = left <= 0;
        node.textContent = up ? L.time_up : clockText(left);
        node.classList.toggle("is-up", up);
        node.classList.toggle("is-final", !up && left <= 10);
        node.classList.toggle("is-long", node.textContent.length > 4); // 10:00 and over: smaller
        continue;
      }
      node.textContent = over ? `+${clockText(-left)}` : clockText(left);
      node.classList.toggle("is-over", over);
      node.classList.toggle("is-low", !over && left <= 5);
    }
  }
}

// A countdown element for a view's timer: redrawn by StageClient.tick().
export function countdown(timer, { overtime = false, big = false, cls = "countdown" } = {}) {
  const kind = big ? "big" : overtime ? "overtime" : "plain";
  const node = el("span", { class: cls, "data-countdown": kind, role: "timer" });
  if (timer && typeof timer.deadline === "number") node.dataset.deadline = String(timer.deadline);
  else if (timer && typeof timer.remaining === "number") node.dataset.remaining = String(timer.remaining);
  return node;
}

export function hasTimer(timer) {
  return Boolean(timer && (typeof timer.deadline === "number" || typeof timer.remaining === "number"));
}

// A refusal's message shown in the page's message line for a few seconds.
export function say(node, text, kind = "error") {
  if (!node) return;
  node.textContent = text || "";
  node.dataset.kind = kind;
  clearTimeout(node._timer);
  if (text) node._timer = setTimeout(() => (node.textContent = ""), 8000);
}
