// The taking page (templates/online/take.html): questions, countdown, saving and submitting.
//
// Everything comes from the JSON API (/api/online/attempts/<token>): the questions in the order
// this attempt shows them, the answers saved so far and the deadline. The page keeps nothing of
// its own, so a reload, or the same link on another device, resumes where the server stands.
// The countdown runs on the server's clock: the offset between server_now and this device's
// clock is measured when the attempt loads, so a wrong device clock changes nothing.
// Each answer is saved the moment it is chosen; a failed save is retried with exponential
// back-off until it succeeds, and each question shows whether it is saved.

const root = document.getElementById("take");
const L = JSON.parse(document.getElementById("take-labels").textContent);
const API = root.dataset.api;
const RESULT_URL = root.dataset.result;
const ONE_PER_SCREEN = root.dataset.onePerScreen === "true";
const LETTERS = "ABCDEFGH";
const TEXT_DELAY_MS = 700; // typing: save after a pause, and on leaving the box
const RETRY_MAX_MS = 30000;

const $ = (id) => document.getElementById(id);
const statusLine = $("take-status");
const questionsBox = $("take-questions");
const mapList = $("take-map");
const submitButton = $("take-submit");
const confirmDialog = $("take-confirm");

let attempt = null;
let offsetMs = 0; // server clock minus device clock
let deadlineMs = 0;
let screens = []; // [{key, section, mapButton}]
let current = 0;
let locked = false; // no more changes: submitting, or the time is up
let leaving = false; // on the way to the result page
let warnedMinute = false;
const savers = new Map();

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function say(text) {
  statusLine.textContent = text || "";
}

function serverNow() {
  return Date.now() + offsetMs;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function backoff(failures) {
  const base = Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.max(failures - 1, 0));
  return base * (0.75 + Math.random() * 0.5); // jitter: phones that lost the same Wi-Fi
}

async function api(path, options = {}) {
  const init = { ...options, headers: { Accept: "application/json" }, cache: "no-store" };
  if (options.body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  return fetch(API + path, init);
}

function goToResult() {
  leaving = true;
  window.location.assign(RESULT_URL);
}

// ---- saving ------------------------------------------------------------------------------------

// One saver per question (and one for the prediction): it sends the latest value, never two
// requests at once for the same question, and retries until the server has it.
class Saver {
  constructor(path, bodyOf, badge) {
    this.path = path;
    this.bodyOf = bodyOf;
    this.badge = badge;
    this.pending = undefined;
    this.busy = false;
    this.failures = 0;
    this.timer = null;
    this.state = "idle";
  }

  set(value) {
    if (locked) return;
    this.pending = { value };
    this.show("saving");
    if (!this.busy) {
      clearTimeout(this.timer);
      this.send();
    }
  }

  retryNow() {
    if (this.state === "retrying" && !this.busy) {
      clearTimeout(this.timer);
      this.send();
    }
  }

  get unsaved() {
    return this.busy || this.pending !== undefined || this.state === "retrying";
  }

  show(state) {
    this.state = state;
    if (!this.badge) return;
    this.badge.dataset.state = state;
    this.badge.textContent = { saving: L.saving, saved: L.saved, retrying: L.retrying,
      rejected: L.rejected, idle: "" }[state];
    updateMap();
  }

  async send() {
    if (this.pending === undefined || leaving) return;
    const { value } = this.pending;
    this.pending = undefined;
    this.busy = true;
    let response = null;
    try {
      response = await api(this.path, { method: "PUT", body: this.bodyOf(value) });
    } catch (error) {
      response = null; // offline or the connection dropped
    }
    this.busy = false;
    if (response && response.ok) {
      this.failures = 0;
      if (this.pending !== undefined) return this.send();
      this.show("saved");
      return;
    }
    if (response && (response.status === 409 || response.status === 410)) {
      say(L.finished);
      goToResult(); // submitted elsewhere, or the time is up: the server has the last word
      return;
    }
    if (response && (response.status === 422 || response.status === 404)) {
      this.show("rejected");
      return;
    }
    if (this.pending === undefined) this.pending = { value }; // keep the newest value
    this.failures += 1;
    this.show("retrying");
    if (!navigator.onLine) say(L.offline);
    this.timer = setTimeout(() => this.send(), backoff(this.failures));
  }
}

function saverFor(key, path, bodyOf, badge) {
  const saver = new Saver(path, bodyOf, badge);
  savers.set(key, saver);
  return saver;
}

async function allSaved(maxWaitMs) {
  const until = Date.now() + maxWaitMs;
  while ([...savers.values()].some((s) => s.unsaved) && Date.now() < until) {
    savers.forEach((s) => s.retryNow());
    await sleep(250);
  }
}

window.addEventListener("online", () => {
  say("");
  savers.forEach((s) => s.retryNow());
});

// ---- building the questions -------------------------------------------------------------------

function choiceInputs(q, saved, saver) {
  const multiple = q.type === "multiple";
  const name = `q${q.position}`;
  const chosen = new Set(multiple ? saved || [] : saved === undefined || saved === null ? [] : [saved]);
  const list = el("div", { class: "take-options" });
  for (const option of q.options) {
    const id = `${name}-${option.index}`;
    const input = el("input", {
      type: multiple ? "checkbox" : "radio", name, id, value: String(option.index),
      checked: chosen.has(option.index),
    });
    input.addEventListener("change", () => {
      if (multiple) {
        const picked = [...list.querySelectorAll("input:checked")].map((i) => Number(i.value));
        saver.set(picked.sort((a, b) => a - b));
      } else {
        saver.set(option.index);
      }
    });
    list.append(el("label", { class: "take-option", for: id }, input,
      el("span", { class: "letter", text: `${LETTERS[option.index]}.` }),
      el("span", { class: "take-option-text", text: option.text })));
  }
  const hint = multiple ? L.choose_many : L.choose_one;
  return [el("p", { class: "hint", id: `${name}-hint`, text: hint }), list];
}

function trueFalseInputs(q, saved, saver) {
  const name = `q${q.position}`;
  const list = el("div", { class: "take-options take-options-row" });
  for (const [value, text] of [[true, L.true], [false, L.false]]) {
    const id = `${name}-${value}`;
    const input = el("input", { type: "radio", name, id, value: String(value), checked: saved === value });
    input.addEventListener("change", () => saver.set(value));
    list.append(el("label", { class: "take-option", for: id }, input,
      el("span", { class: "take-option-text", text })));
  }
  return [list];
}

function textInput(q, saved, saver) {
  const id = `q${q.position}-text`;
  const multiline = q.type === "open";
  const input = multiline
    ? el("textarea", { id, rows: "6", maxlength: "10000" })
    : el("input", {
      id, type: "text", autocomplete: "off",
      maxlength: q.type === "numeric" ? "100" : "500",
      inputmode: q.type === "numeric" ? "decimal" : null,
    });
  input.value = saved ?? "";
  let timer = null;
  let sent = input.value;
  const send = () => {
    clearTimeout(timer);
    if (input.value !== sent) {
      sent = input.value;
      saver.set(input.value);
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(send, TEXT_DELAY_MS);
  });
  input.addEventListener("change", send);
  input.addEventListener("blur", send);
  const label = el("label", { for: id, class: "take-label", text: L.your_answer });
  const hint = q.type === "numeric" ? L.number_hint : q.type === "open" ? L.open_hint : null;
  const box = el("div", { class: "take-text" }, input, q.unit ? el("span", { class: "take-unit", text: q.unit }) : null);
  return [label, hint ? el("p", { class: "hint", text: hint }) : null, box];
}

function orderingInputs(q, saved, saver) {
  const order = Array.isArray(saved) && saved.length === q.items.length
    ? saved : q.items.map((item) => item.index);
  const byIndex = new Map(q.items.map((item) => [item.index, item.text]));
  const list = el("ol", { class: "take-ordering" });
  const current = () => [...list.children].map((li) => Number(li.dataset.index));
  const move = (li, delta) => {
    const target = delta < 0 ? li.previousElementSibling : li.nextElementSibling?.nextElementSibling;
    list.insertBefore(li, target || (delta < 0 ? list.firstElementChild : null));
    saver.set(current());
    li.querySelector(delta < 0 ? ".up" : ".down")?.focus();
  };
  for (const index of order) {
    const text = byIndex.get(index);
    const li = el("li", { "data-index": String(index) }, el("span", { class: "take-item-text", text }));
    const up = el("button", { type: "button", class: "button small up", "aria-label": `${L.move_up}: ${text}`, text: "↑" });
    const down = el("button", { type: "button", class: "button small down", "aria-label": `${L.move_down}: ${text}`, text: "↓" });
    up.addEventListener("click", () => move(li, -1));
    down.addEventListener("click", () => move(li, 1));
    li.append(el("span", { class: "take-item-buttons" }, up, down));
    list.append(li);
  }
  const keep = el("button", { type: "button", class: "button small", text: L.keep_order });
  keep.addEventListener("click", () => saver.set(current()));
  return [el("p", { class: "hint", text: L.order_hint }), list, keep];
}

function questionSection(q, total) {
  const key = String(q.position);
  const titleId = `q${q.position}-title`;
  const badge = el("span", { class: "take-saved", "data-state": "idle" });
  const saver = saverFor(key, `/answers/${q.position}`, (value) => ({ response: value }), badge);
  const saved = attempt.answers[key]?.response;
  if (saved !== undefined) saver.show("saved");
  const head = el("div", { class: "take-q-head" },
    el("h2", { id: titleId, text: fill(L.question_of, { n: q.position, total }) }),
    el("span", { class: "take-points", text: fill(L.points, { n: q.points }) }), badge);
  const stem = el("div", { class: "take-stem" });
  stem.innerHTML = q.stem_html; // sanitised on the server (questions.markdown)
  const body = el("fieldset", { class: "take-answer", "aria-labelledby": titleId });
  const parts = q.options ? choiceInputs(q, saved, saver)
    : q.items ? orderingInputs(q, saved, saver)
    : q.type === "true_false" ? trueFalseInputs(q, saved, saver)
    : textInput(q, saved, saver);
  parts.forEach((part) => part && body.append(part));
  const image = q.image_url ? el("img", { class: "take-image", src: q.image_url, alt: "" }) : null;
  return el("section", { class: "take-q panel", id: `cau-${q.position}`, "aria-labelledby": titleId },
    head, stem, image, body);
}

function predictionSection(prediction) {
  const badge = el("span", { class: "take-saved", "data-state": "idle" });
  const saver = saverFor("prediction", "/prediction", (value) => ({ prediction: value }), badge);
  if (prediction.response !== null && prediction.response !== undefined) saver.show("saved");
  const input = el("input", {
    id: "take-prediction", type: "text", inputmode: "numeric", autocomplete: "off",
    maxlength: "13", "aria-describedby": "take-prediction-hint",
  });
  input.value = prediction.response ?? "";
  const error = el("p", { class: "error", id: "take-prediction-error", hidden: true, text: L.prediction_bad });
  let timer = null;
  let sent = input.value;
  const send = () => {
    clearTimeout(timer);
    const digits = input.value.replace(/[\s.,]/g, ""); // "7.171" and "7 171" are 7171
    if (digits === "" || digits === sent) return;
    const ok = /^\d{1,10}$/.test(digits) && Number(digits) <= 2000000000;
    error.hidden = ok;
    if (!ok) return;
    sent = digits;
    saver.set(Number(digits));
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(send, TEXT_DELAY_MS);
  });
  input.addEventListener("change", send);
  input.addEventListener("blur", send);
  return el("section", { class: "take-q panel take-prediction", id: "cau-du-doan", "aria-labelledby": "take-prediction-title" },
    el("div", { class: "take-q-head" }, el("h2", { id: "take-prediction-title", text: L.prediction }), badge),
    el("p", { class: "take-stem", text: prediction.question }),
    el("label", { for: "take-prediction", class: "take-label", text: L.your_answer }),
    el("p", { class: "hint", id: "take-prediction-hint", text: L.prediction_hint }),
    input, error);
}

// ---- screens and the question map --------------------------------------------------------------

function answered(key) {
  const saver = savers.get(key);
  return saver && saver.state !== "idle" && saver.state !== "rejected";
}

function updateMap() {
  for (const [i, screen] of screens.entries()) {
    const button = screen.mapButton;
    const saver = savers.get(screen.key);
    button.dataset.state = saver ? saver.state : "idle";
    button.classList.toggle("is-answered", answered(screen.key));
    button.classList.toggle("is-current", ONE_PER_SCREEN && i === current);
    if (ONE_PER_SCREEN && i === current) button.setAttribute("aria-current", "step");
    else button.removeAttribute("aria-current");
    button.setAttribute("aria-label", screen.label + (answered(screen.key) ? `, ${L.map_answered}` : ""));
  }
}

function show(index, focus = true) {
  current = Math.max(0, Math.min(index, screens.length - 1));
  const screen = screens[current];
  if (ONE_PER_SCREEN) {
    screens.forEach((s, i) => { s.section.hidden = i !== current; });
    $("take-prev").disabled = current === 0;
    $("take-next").hidden = current === screens.length - 1;
    history.replaceState(null, "", `#${screen.section.id}`);
  }
  if (focus) {
    const heading = screen.section.querySelector("h2");
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: ONE_PER_SCREEN });
    if (ONE_PER_SCREEN) window.scrollTo({ top: root.offsetTop, behavior: "smooth" });
    else screen.section.scrollIntoView({ behavior: "smooth", block: "start" });
  }
  updateMap();
}

function build() {
  const total = attempt.questions.length;
  questionsBox.replaceChildren();
  mapList.replaceChildren();
  screens = attempt.questions.map((q) => ({
    key: String(q.position), section: questionSection(q, total),
    label: fill(L.map_item, { n: q.position }), short: String(q.position),
  }));
  if (attempt.prediction) {
    screens.push({ key: "prediction", section: predictionSection(attempt.prediction),
      label: L.map_prediction, short: "?" });
  }
  screens.forEach((screen, i) => {
    questionsBox.append(screen.section);
    screen.mapButton = el("button", { type: "button", class: "take-map-button", text: screen.short });
    screen.mapButton.addEventListener("click", () => show(i));
    mapList.append(el("li", {}, screen.mapButton));
  });
  if (ONE_PER_SCREEN) {
    $("take-prev").addEventListener("click", () => show(current - 1));
    $("take-next").addEventListener("click", () => show(current + 1));
    const fromHash = screens.findIndex((s) => `#${s.section.id}` === window.location.hash);
    show(fromHash >= 0 ? fromHash : 0, false);
  } else {
    updateMap();
  }
  submitButton.disabled = false;
}

// ---- time --------------------------------------------------------------------------------------

function clockText(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${String(m).padStart(2, "0")}:${s}`;
}

function tick() {
  if (locked) return;
  const left = deadlineMs - serverNow();
  const clock = $("take-clock");
  clock.textContent = clockText(left);
  clock.parentElement.classList.toggle("is-low", left <= 60000);
  if (left <= 60000 && left > 0 && !warnedMinute) {
    warnedMinute = true;
    say(L.one_minute);
  }
  if (left <= 0) timeUp();
}

function timeUp() {
  if (locked) return;
  locked = true; // pending saves still go out: the grace period covers them
  questionsBox.querySelectorAll("input, textarea, button").forEach((c) => { c.disabled = true; });
  say(L.time_up);
  submit(5000);
}

// ---- submitting --------------------------------------------------------------------------------

async function submit(waitForSaves) {
  submitButton.disabled = true;
  say(L.submitting);
  await allSaved(waitForSaves);
  for (let failures = 0; ; failures += 1) {
    let response = null;
    try {
      response = await api("/submit", { method: "POST" });
    } catch (error) {
      response = null;
    }
    if (response && (response.ok || response.status === 409 || response.status === 410)) break;
    if (response && response.status === 404) break;
    say(L.submit_retrying);
    await sleep(backoff(failures + 1));
  }
  goToResult();
}

function confirmSubmit() {
  const done = screens.filter((s) => s.key !== "prediction" && answered(s.key)).length;
  $("take-confirm-count").textContent = fill(L.answered_of, { n: done, total: attempt.questions.length });
  $("take-confirm-unsaved").hidden = ![...savers.values()].some((s) => s.unsaved);
  if (typeof confirmDialog.showModal === "function") {
    confirmDialog.returnValue = "";
    confirmDialog.showModal();
  } else if (window.confirm(`${$("take-confirm-title").textContent}\n${$("take-confirm-count").textContent}`)) {
    locked = true;
    submit(15000);
  }
}

confirmDialog.addEventListener("close", () => {
  if (confirmDialog.returnValue === "submit") {
    locked = true;
    submit(15000);
  }
});
submitButton.addEventListener("click", confirmSubmit);

// ---- loading -----------------------------------------------------------------------------------

async function load() {
  for (let failures = 0; ; failures += 1) {
    const sentAt = Date.now();
    try {
      const response = await api("");
      if (response.status === 404) {
        say(L.load_failed);
        return;
      }
      if (response.ok) {
        const receivedAt = Date.now();
        attempt = await response.json();
        // The server read its clock about halfway through the round trip.
        offsetMs = Date.parse(attempt.server_now) - (sentAt + receivedAt) / 2;
        deadlineMs = Date.parse(attempt.deadline);
        break;
      }
    } catch (error) {
      // offline: try again below
    }
    say(L.load_failed);
    await sleep(backoff(failures + 1));
  }
  if (attempt.submitted) {
    goToResult();
    return;
  }
  say("");
  build();
  tick();
  setInterval(tick, 250);
}

load();
